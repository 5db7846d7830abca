/**
 * An auditor reading the log in English sees who acted as "auditor (Auditor)", with the English
 * page's own brackets, and in Chinese as "auditor（审计员）": the role's brackets follow the language.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, hasHorizontalScroll, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const suite = useBrowserSuite()

async function auditorPage(): Promise<Page> {
  const auditor = await signedIn(suite.url, 'auditor')
  const { context } = await suite.newContext()
  await addSession(context, suite.url, auditor)
  return context.newPage()
}

/** The "who" cells of the log's first page. */
const actors = (page: Page) => page.locator('tbody tr td:nth-child(3)').allInnerTexts()

describe('the audit log\'s "who" column', () => {
  it('brackets the role as each language does', async () => {
    const page = await auditorPage()
    await page.goto('/en/manage/audit')
    await settled(page)
    const english = await actors(page)
    // signing in as the auditor is itself in the log
    expect(english).toContain('auditor (Auditor)')
    expect(english.join('')).not.toMatch(/[（）]/)
    await page.goto('/manage/audit')
    await settled(page)
    expect(await actors(page)).toContain('auditor（审计员）')
  })
})

describe('an auditor on a bookmarked page past the end of the log', () => {
  it('goes back to the last page, not to the page before the bookmarked one', async () => {
    // refused reads of the log are themselves in it: enough rows for more than one page
    const citizen = await signedIn(suite.url, 'citizen')
    for (let i = 0; i < 60; i++) expect((await citizen.get('/api/audit')).status).toBe(403)
    const page = await auditorPage()
    await page.goto('/manage/audit?page=999')
    await settled(page)
    const pager = page.getByRole('navigation', { name: /^翻页/ })
    const position = (await pager.getByText(/^第 999 页，共 \d+ 页$/).textContent())!
    const last = Number(/共 (\d+) 页/.exec(position)![1])
    expect(last).toBeGreaterThan(1)
    await pager.getByRole('button', { name: '上一页' }).click()
    await page.waitForURL(url => url.searchParams.get('page') === String(last))
  })
})

describe('an auditor reading the log on a phone in large-text mode', () => {
  it('scrolls the table, not the page, with a case number on one line and the detail readable', async () => {
    const auditor = await signedIn(suite.url, 'auditor')
    const { context } = await suite.newContext({ width: 375, largeText: true })
    await addSession(context, suite.url, auditor)
    const page = await context.newPage()
    await page.goto('/en/manage/audit')
    await settled(page)
    const widths = await page.locator('tbody tr').first().locator('td').evaluateAll(cells => cells.map(c => c.getBoundingClientRect().width))
    const fontSize = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('tbody td')!).fontSize))
    // the subject keeps room for a 15-character case number, the detail for a line of JSON
    expect(widths[4]! / fontSize).toBeGreaterThanOrEqual(10)
    expect(widths[6]! / fontSize).toBeGreaterThanOrEqual(18)
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})
