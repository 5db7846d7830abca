/**
 * A manager reading the satisfaction page (好差评统计) after seven ratings of one item, one of them
 * poor and answered on time: every percentage has one decimal ("100.0%", not "100%"), the good
 * rating share is cut down and the poor one rounded up, so 1 poor rating of 7 (14.28…%) reads
 * 14.3%, not a flattering 14.2%. Shown the same in the overall figures and in both tables.
 */
import type { Locator } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, createDraft, demoPerson, getCase, RESULT_SERVICE } from '../support/fixtures'

// no demo history: the seven ratings below are the only ones
const suite = useBrowserSuite()

beforeAll(async () => {
  const citizen = await signedIn(suite.url, 'citizen')
  const clerk = await signedIn(suite.url, 'clerk')
  for (const score of [1, 5, 5, 5, 5, 5, 4]) {
    const draft = await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, demoPerson('citizen'), []))
    const caseNo = (await citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)).body.caseNo
    for (const action of ['accept', 'approve']) {
      expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })).status).toBe(200)
    }
    const rating = await citizen.post<{ rectification: { id: number } | null }>(`/api/cases/${caseNo}/rating`, { score })
    expect(rating.status).toBe(201)
    // the poor rating is answered at once: answered on time, 1 of 1
    if (rating.body.rectification) expect((await clerk.post(`/api/rectifications/${rating.body.rectification.id}/answer`, { answer: '已约谈窗口人员。' })).status).toBe(200)
  }
})

/** The cells of the table's row with `count` ratings (there must be one), by column heading. */
async function rowWith(table: Locator, count: number): Promise<Record<string, string>> {
  const rows = table.locator('tbody tr').filter({ has: table.page().locator('td', { hasText: new RegExp(`^\\s*${count}\\s*$`) }) })
  expect(await rows.count()).toBe(1)
  const headings = (await table.locator('thead th').allTextContents()).map(s => s.trim())
  const cells = (await rows.locator('th, td').allTextContents()).map(s => s.trim())
  return Object.fromEntries(headings.map((h, i) => [h, cells[i] ?? '']))
}

describe('the satisfaction page after one poor rating of seven', () => {
  it('shows every share with one decimal, the poor-rating share rounded up, the good one cut down', async () => {
    const manager = await signedIn(suite.url, 'manager')
    const { context } = await suite.newContext()
    await addSession(context, suite.url, manager)
    const page = await context.newPage()
    await page.goto('/manage/satisfaction')
    await settled(page)

    const overall = page.locator('section[aria-labelledby="sat-overall"]')
    // a figure's value is its first definition (the on-time one has a link to the poor ratings below it)
    const figure = (label: string) => overall.locator('div', { has: page.getByText(label, { exact: true }) }).locator('dd').first()
    expect((await figure('评价数').textContent())?.trim()).toBe('7')
    // 6 of 7 (85.71…%) cut down; 1 of 7 (14.28…%) rounded up
    expect((await figure('好评率').textContent())?.trim()).toBe('85.7%')
    expect((await figure('差评率').textContent())?.trim()).toBe('14.3%')
    expect((await figure('差评按期整改率').textContent())?.trim()).toMatch(/^100\.0%\s*1 \/ 1$/)

    // the item's row, and its department's: the same seven ratings
    for (const section of ['sat-byDepartment', 'sat-byService']) {
      const row = await rowWith(page.locator(`section[aria-labelledby="${section}"] table`), 7)
      expect(row['好评率'], section).toBe('85.7%')
      expect(row['差评率'], section).toBe('14.3%')
      expect(row['差评按期整改率'], section).toBe('100.0% (1 / 1)')
    }
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
