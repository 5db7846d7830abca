/**
 * A citizen signing out other devices from 我的账户 › 登录设备 by keyboard. The pressed button goes
 * with its row; before, focus fell to <body> and the next Tab started again at the top of the
 * page. Now it moves to the button in the ended row's place (the row above, when the last row
 * went), and the status line, there from the start, says the device was signed out.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const suite = useBrowserSuite()

/** The row (0 = first) whose button has focus, or -1 when focus is not on a sessions button. */
const focusedRow = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  const row = el?.tagName === 'BUTTON' ? el.closest('section[aria-labelledby="sessions-title"] tbody tr') : null
  return row ? [...row.parentElement!.children].indexOf(row) : -1
})

describe('a citizen ending their other sessions by keyboard', () => {
  it('is on the next row\'s button after each, or the row above after the last, and hears it', async () => {
    // three other devices, then this one: it heads the list, which is by last activity
    for (let i = 0; i < 3; i++) await signedIn(suite.url, 'citizen')
    const here = await signedIn(suite.url, 'citizen')
    const { context } = await suite.newContext()
    await addSession(context, suite.url, here)
    const page = await context.newPage()
    await page.goto('/me')
    await settled(page)
    const section = page.locator('section[aria-labelledby="sessions-title"]')
    const rows = section.locator('tbody tr')
    expect(await rows.count()).toBe(4)
    const status = section.getByRole('status')
    expect((await status.textContent())!.trim()).toBe('')

    // the second row (the first is this device): the row after it moves up into its place
    await rows.nth(1).getByRole('button').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => rows.count()).toBe(3)
    await expect.poll(() => focusedRow(page)).toBe(1)
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/^退出该设备/)
    await expect.poll(async () => (await status.textContent())!.trim()).toBe('已退出该设备的登录')

    // the last row: focus goes to the row above it
    await rows.nth(2).getByRole('button').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => rows.count()).toBe(2)
    await expect.poll(() => focusedRow(page)).toBe(1)
    await expect.poll(async () => (await status.textContent())!.trim()).toBe('已退出该设备的登录')

    // the last other device: what is left is this device's own button, "退出本设备"
    await page.keyboard.press('Enter')
    await expect.poll(() => rows.count()).toBe(1)
    await expect.poll(() => focusedRow(page)).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/^退出本设备/)
    // and the three are signed out on the server, this one not
    const left = await here.get<{ id: number }[]>('/api/me/sessions')
    expect(left.status).toBe(200)
    expect(left.body).toHaveLength(1)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await context.close()
  })
})
