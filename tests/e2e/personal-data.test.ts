/**
 * A person's rights over their account on /me, by keyboard: they download a copy of their data
 * (the password again), then close the account, and the page says so and signs them out.
 * A citizen of this file's own, so no demo account is closed.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { axeViolations, describeViolations, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { syntheticIdNumber } from '../support/fixtures'

const USERNAME = 'pd-e2e-person'
const PASSWORD = 'Close-my-account-2026'

const suite = useBrowserSuite()
let page: Page

beforeAll(async () => {
  const res = await new Client(suite.url).post('/api/auth/register', {
    username: USERNAME, password: PASSWORD, name: '林注销', idNumber: syntheticIdNumber(9191), mobile: '13700009191',
  })
  expect(res.status).toBe(201)
  page = await suite.newPage()
  await signInThroughPage(page, USERNAME, PASSWORD)
})

const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

describe('my personal data', () => {
  it('downloads a copy of everything held about me, unmasked, after the password', async () => {
    await page.goto('/me')
    await waitForHydration(page)
    const section = page.getByRole('region', { name: '下载我的数据' })
    await section.getByLabel('密码').focus()
    await page.keyboard.type(PASSWORD)
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/)
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'))
    expect(data.profile).toMatchObject({ username: USERNAME, name: '林注销', idNumber: syntheticIdNumber(9191), mobile: '13700009191' })
    await section.getByText(/已开始下载文件 my-data-/).waitFor()
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('closes the account only when ticked, then shows it closed and signed out', async () => {
    const section = page.getByRole('region', { name: '注销账户' })
    await section.getByLabel('密码').focus()
    await page.keyboard.type(PASSWORD)
    await section.getByRole('button', { name: '注销账户' }).focus()
    await page.keyboard.press('Enter')
    // not ticked: the summary takes focus and nothing happens
    await expect.poll(focusedText).toContain('请勾选确认后再注销账户')
    await section.getByLabel('我已了解注销后无法恢复，确认注销账户').focus()
    await page.keyboard.press('Space')
    await section.getByRole('button', { name: '注销账户' }).focus()
    await page.keyboard.press('Enter')
    // the password is checked with scrypt first: a second or more on a busy two-core machine
    await expect.poll(focusedText, { timeout: 10_000 }).toBe('账户已注销')
    // the session is gone: /me now asks for a sign-in, and the password no longer signs in
    const login = await new Client(suite.url).post('/api/auth/login', { username: USERNAME, password: PASSWORD })
    expect(login.status).toBe(401)
  })
})

describe('a form sent before the page\'s script has run (a slow phone, a blocked script)', () => {
  it('never puts a password, ID number or mobile in the address: registration, password reset and tracking post', async () => {
    const context = await suite.browser.newContext({ baseURL: suite.url, javaScriptEnabled: false })
    try {
      const plain = await context.newPage()
      const sent: string[] = []
      plain.on('request', r => sent.push(`${r.method()} ${r.url()}`))
      for (const [path, fields] of [
        ['/register', { '#field-username': 'no-script-person', '#field-password': 'Never-in-a-URL-2026', '#field-idNumber': syntheticIdNumber(9292), '#field-mobile': '13700009292' }],
        ['/password-reset', { '#field-idNumber': syntheticIdNumber(9292), '#field-mobile': '13700009292' }],
        ['/track', { '#track-caseNo': 'SZ20261204000001', '#track-idNumber': syntheticIdNumber(9292) }],
      ] as const) {
        await plain.goto(path)
        for (const [selector, value] of Object.entries(fields)) await plain.locator(selector).first().fill(value)
        await Promise.all([plain.waitForLoadState('load'), plain.locator(Object.keys(fields)[0]!).first().press('Enter')])
        await plain.waitForLoadState('load')
      }
      const leaked = sent.filter(line => /password=|idNumber=|mobile=|44030/.test(decodeURIComponent(line)))
      expect(leaked).toEqual([])
      expect(sent.filter(line => line.startsWith('POST ')).length).toBe(3)
    }
    finally {
      await context.close()
    }
  })
})
