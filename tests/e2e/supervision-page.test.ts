/**
 * The supervision page as a manager uses it: the period of the departments' figures is chosen on
 * the page (as on the reports page) and kept in the address, a wrong period is said beside its
 * field, and a period without any activity says so in words instead of a table of headers only.
 * The departments without a head, whose time limits nobody can extend, are named whatever their
 * figures. Every state passes axe.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { counterCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'

// the demo accounts without the demo history: no case, so no department has anything to show
const suite = useBrowserSuite()

async function managerPage(): Promise<Page> {
  const manager = await signedIn(suite.url, 'manager')
  const { context } = await suite.newContext()
  await addSession(context, suite.url, manager)
  return context.newPage()
}

const focusedText = (page: Page) => page.evaluate(() => (document.activeElement?.textContent ?? '').trim())

describe('a manager choosing the period on the supervision page', () => {
  it('chooses a period, keeps it in the address, and is told in words that no department had any activity', async () => {
    const page = await managerPage()
    await page.goto('/en/manage/supervision')
    await waitForHydration(page)
    const none = page.getByText('In this period no department completed a case or decided on an acceptance, and none has a case overdue, due soon, with its period to correct run out unhandled, or a request to extend awaiting the head.')
    await none.waitFor()
    expect(await page.getByRole('table', { name: 'On-time completion by department' }).count()).toBe(0)

    await page.getByLabel('From', { exact: true }).fill('2026-03-01')
    await page.getByLabel('To', { exact: true }).fill('2026-03-31')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect.poll(() => new URL(page.url()).search).toBe('?from=2026-03-01&to=2026-03-31')
    await expect.poll(() => page.getByLabel('From', { exact: true }).inputValue()).toBe('2026-03-01')
    await none.waitFor()
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('is told which departments have no head to extend a time limit, even with nothing else to show', async () => {
    const page = await managerPage()
    await page.goto('/en/manage/supervision')
    await waitForHydration(page)
    const section = page.getByRole('region', { name: 'Departments without a head (25)' })
    await section.waitFor()
    await section.getByText('These departments have no active head: none of their cases\' time limits can be extended').waitFor()
    const names = (await section.getByRole('listitem').allInnerTexts()).map(n => n.trim())
    // the demo head (赵志刚) heads human resources and social security; nobody heads the others
    expect(names).toHaveLength(25)
    expect(names).toContain('Shenzhen Municipal Public Security Bureau')
    expect(names).not.toContain('Human Resources and Social Security Bureau of Shenzhen Municipality')
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('is told beside the field when the period runs backwards, with the summary taking focus', async () => {
    const page = await managerPage()
    await page.goto('/en/manage/supervision?from=2026-03-01&to=2026-03-31')
    await waitForHydration(page)
    await page.getByLabel('From', { exact: true }).fill('2026-04-01')
    await page.getByRole('button', { name: 'Show' }).click()
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    await expect.poll(() => focusedText(page)).toContain('The start date must not be after the end date')
    expect(await page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    // nothing was asked of the server: the address still holds the period shown
    expect(new URL(page.url()).search).toBe('?from=2026-03-01&to=2026-03-31')
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('shows the server\'s refusal of a bookmarked period on the filter, not a failed load', async () => {
    const page = await managerPage()
    await page.goto('/manage/supervision?from=2099-03-01')
    await waitForHydration(page)
    // no end date in the address: the period would end today, so it is today the start is after
    await page.getByRole('alert').filter({ hasText: '开始日期不能晚于今天' }).waitFor()
    expect(await page.getByText('开始日期不能晚于结束日期').count()).toBe(0)
    expect(await page.getByText('电子监察数据暂时无法读取').count()).toBe(0)
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('is told the start date is after today, not after an end date, when the end date is left empty', async () => {
    const page = await managerPage()
    await page.goto('/manage/supervision')
    await waitForHydration(page)
    await page.getByLabel('开始日期').fill('2099-03-01')
    await page.getByLabel('结束日期').fill('')
    await page.getByRole('button', { name: '查看' }).click()
    await expect.poll(() => new URL(page.url()).search).toBe('?from=2099-03-01')
    const summary = page.getByRole('alert').filter({ hasText: '请修改以下问题' })
    await summary.waitFor()
    await expect.poll(() => focusedText(page)).toContain('开始日期不能晚于今天')
    expect(await page.getByText('开始日期不能晚于结束日期').count()).toBe(0)
    expect(await page.getByLabel('开始日期').getAttribute('aria-invalid')).toBe('true')
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('gets the twelve months up to an end date given alone, in English, as on the dashboard', async () => {
    const page = await managerPage()
    await page.goto('/en/manage/supervision?to=2001-12-31')
    await waitForHydration(page)
    await expect.poll(() => page.getByLabel('From', { exact: true }).inputValue()).toBe('2001-01-01')
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('2001-12-31')
    expect(await page.getByRole('alert').filter({ hasText: 'There is a problem' }).count()).toBe(0)
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBeNull()
  })
})

describe('a case suspended in time, on the supervision page', () => {
  it('is listed with its clock stopped, since when, and the time its applicant was told', async () => {
    const clerk = await signedIn(suite.url, 'clerk')
    const caseNo = await counterCase(clerk, RESULT_SERVICE, { name: '吴暂停', idNumber: syntheticIdNumber(7171), mobile: '13900007171' })
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'suspend', version: 2, suspension: { kind: 'testing', expectedDays: 30 } })).status).toBe(200)
    const page = await managerPage()
    // the newest suspension is listed last: its page, whatever the demo history holds
    const total = (await (await signedIn(suite.url, 'manager')).get<{ paused: { total: number, pageSize: number } }>('/api/supervision')).body.paused
    await page.goto(`/manage/supervision?pausedPage=${Math.ceil(total.total / total.pageSize)}`)
    await waitForHydration(page)
    await expect.poll(() => page.getByRole('heading', { name: '暂停计时中的办件（暂停最久的在前）' }).count()).toBe(1)
    const row = page.locator('section[aria-labelledby="sup-paused"] tr').filter({ hasText: caseNo })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.innerText()).toContain('告知申请人预计需要 30 日')
    expect(await row.innerText()).toContain('暂停计时')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('a case not corrected in time, on the supervision page', () => {
  it('is listed with the last day to correct, how long ago it passed and what the department is to do', async () => {
    const page = await managerPage()
    await page.goto('/manage/supervision')
    await waitForHydration(page)
    await expect.poll(() => page.getByText('目前没有补正期限已过仍未处理的办件。').count()).toBe(1)

    const clerk = await signedIn(suite.url, 'clerk')
    const caseNo = await counterCase(clerk, RESULT_SERVICE, { name: '郑逾期', idNumber: syntheticIdNumber(7272), mobile: '13900007272' })
    const returned = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version: 1, comment: '请补交身份证复印件。', supplement: { fields: [], materials: [], days: 1 } })
    expect(returned.status).toBe(200)
    // the period ran out (its last day put in the past, for this test only): Monday 5 January 2026
    const db = new Database(join(suite.server.dataDir, 'portal.db'))
    try { db.prepare(`UPDATE cases SET supplement_notice = json_set(supplement_notice, '$.due', '2026-01-05') WHERE case_no = ?`).run(caseNo) }
    finally { db.close() }

    await page.reload()
    await waitForHydration(page)
    const list = page.locator('section[aria-labelledby="sup-lapsed"]')
    await expect.poll(() => list.getByRole('heading', { name: '补正期限已过、申请人仍未补正的办件（逾期最久的在前）' }).count()).toBe(1)
    const row = list.locator('tr').filter({ hasText: caseNo })
    await expect.poll(() => row.count()).toBe(1)
    const text = await row.innerText()
    expect(text).toContain('补正期限 2026年1月5日 已过')
    expect(text).toContain('待部门作出“视为撤回”处理或接收补正')
    expect(text).toMatch(/补正期限已过 \d+ 个工作日/)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    // its number opens the case, where the department records it
    await row.getByRole('link', { name: caseNo }).click()
    await page.waitForURL(`**/clerk/cases/${caseNo}`)
  })
})
