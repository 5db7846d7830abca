/**
 * The idle session's warning (WCAG 2.2.1): three minutes before the 30 idle minutes are up the page
 * says when, and a key, a click or its button keeps the session alive; at the end the page learns
 * whether it really ended. The browser's clock is run forward (Playwright's clock), the server's
 * is not: the session is alive on the server throughout, unless the test ends it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const suite = useBrowserSuite()

async function idlePage(who: Client): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, who)
  const page = await context.newPage()
  await page.clock.install()
  await page.goto('/me')
  await waitForHydration(page)
  return page
}

const minutes = (n: number) => n * 60_000
const bar = (page: Page) => page.getByText(/登录将于 \d{2}:\d{2} 失效/)
const keepalives = (page: Page) => {
  const sent: string[] = []
  page.on('request', r => r.url().endsWith('/api/auth/keepalive') && sent.push(r.method()))
  return sent
}

describe('a signed-in person who leaves the page alone', () => {
  it('is warned three minutes before the end, and stays signed in with the button', async () => {
    const page = await idlePage(await signedIn(suite.url, 'citizen'))
    const sent = keepalives(page)
    await page.clock.runFor(minutes(25))
    expect(await bar(page).count()).toBe(0)
    await page.clock.runFor(minutes(1.5))
    await bar(page).waitFor()
    expect(await bar(page).evaluate(el => el.closest('[aria-live]')?.getAttribute('aria-live'))).toBe('assertive')
    expect(sent).toEqual([])
    await page.getByRole('button', { name: '继续使用' }).click()
    await expect.poll(() => bar(page).count()).toBe(0)
    expect(sent).toEqual(['POST'])
    await expect.poll(() => page.getByText('已保持登录。').count()).toBe(1)
    // and the next warning comes 26 minutes after that (30, less the minute the server may not
    // have written down, less the 3 minutes' warning)
    await page.clock.runFor(minutes(25))
    expect(await bar(page).count()).toBe(0)
    await page.clock.runFor(minutes(1.5))
    await bar(page).waitFor()
  })

  it('stays signed in by pressing any key once warned', async () => {
    const page = await idlePage(await signedIn(suite.url, 'citizen'))
    const sent = keepalives(page)
    await page.clock.runFor(minutes(27.5))
    await bar(page).waitFor()
    await page.keyboard.press('Shift')
    await expect.poll(() => bar(page).count()).toBe(0)
    expect(sent).toEqual(['POST'])
  })

  it('is told the session has ended when it has (signed out elsewhere), at the end and not before', async () => {
    const citizen = await signedIn(suite.url, 'citizen2')
    const page = await idlePage(citizen)
    await page.clock.runFor(minutes(27.5))
    await bar(page).waitFor()
    expect((await citizen.post('/api/auth/logout')).status).toBe(200)
    await page.clock.runFor(minutes(3))
    await page.getByText('您的登录已结束').waitFor()
    expect(await bar(page).count()).toBe(0)
  })
})

describe('a person using the page', () => {
  it('keeps the session alive by typing, with no warning, one request per five minutes at most', async () => {
    const page = await idlePage(await signedIn(suite.url, 'citizen'))
    const sent = keepalives(page)
    let answered = 0
    const isKeepalive = (url: string) => url.endsWith('/api/auth/keepalive')
    page.on('requestfinished', r => isKeepalive(r.url()) && answered++)
    page.on('requestfailed', r => isKeepalive(r.url()) && answered++)
    for (let minute = 0; minute < 40; minute += 2) {
      await page.clock.runFor(minutes(2))
      await page.keyboard.press('Shift')
      // two minutes of a person's typing are ages for the server, not so the clock run forward:
      // its answer, which moves the page's idle clock, comes before the next key as it would
      await expect.poll(() => answered, { timeout: 15_000 }).toBe(sent.length)
    }
    expect(await bar(page).count()).toBe(0)
    // the page's own requests count as much as these: between one and one per five minutes
    await expect.poll(() => sent.length).toBeGreaterThanOrEqual(1)
    expect(sent.length).toBeLessThanOrEqual(7)
  })
})
