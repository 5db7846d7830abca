/**
 * A city manager on the demo portal looking for the departments that finish late and the poor
 * ratings nobody answered: supervision lists the departments worst first (the lowest on-time rate,
 * then the most open overdue cases) with the rate shown and sortable headings, and says how many
 * follow-ups of poor ratings are past their deadline, with a link to them; so do the satisfaction
 * page's figure and the manager's navigation. Each page says which period it shows by default.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

// the year of demo history: departments completing late, cases overdue, poor ratings unanswered
const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client

interface Department { code: string, name: string, completed: number, completedOnTime: number, completedExtended: number, openOverdue: number, openNear: number, acceptanceDecided: number, correctionsLapsed: number, extensionsAwaiting: number }
interface Supervision { departments: Department[], rectifications: { open: number, overdue: number } }
let data: Supervision

beforeAll(async () => {
  manager = await signedIn(suite.url, 'manager')
  data = (await manager.get<Supervision>('/api/supervision')).body
})

async function managerPage(path: string): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, manager)
  const page = await context.newPage()
  await page.goto(path)
  await settled(page)
  return page
}

/** The order a manager expects, written apart from the page's: lowest rate, most overdue, nothing to judge last. */
function worstFirst(departments: Department[]): string[] {
  const rateOf = (d: Department) => (d.completed ? d.completedOnTime / d.completed : Number.POSITIVE_INFINITY)
  return [...departments]
    .filter(d => d.completed || d.openOverdue || d.openNear || d.acceptanceDecided || d.correctionsLapsed || d.extensionsAwaiting)
    .sort((a, b) => rateOf(a) - rateOf(b) || b.openOverdue - a.openOverdue || (a.code < b.code ? -1 : 1))
    .map(d => d.name)
}

const rowNames = async (page: Page) => (await page.locator('section[aria-labelledby="sup-depts"] tbody th').allInnerTexts()).map(s => s.trim())

describe('a manager looking for the departments that complete late', () => {
  it('finds the worst first, with its on-time rate, and the rate column marked as the order', async () => {
    const page = await managerPage('/manage/supervision')
    const expected = worstFirst(data.departments)
    expect(expected.length).toBeGreaterThan(2)
    expect(await rowNames(page)).toEqual(expected)
    const table = page.getByRole('table', { name: '各部门按时办结情况' })
    const rate = table.getByRole('columnheader', { name: '按时办结率', exact: true })
    expect(await rate.getAttribute('aria-sort')).toBe('ascending')
    // the worst department's rate, cut to one decimal as every rate on the pages
    const worst = data.departments.find(d => d.name === expected[0])!
    const shown = Math.floor((worst.completedOnTime / worst.completed) * 1000 + 1e-9) / 10
    const firstRow = table.locator('tbody tr').first()
    expect(await firstRow.innerText()).toContain(`${shown.toFixed(1)}%`)
    expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('sorts by the open overdue cases, the most first, and back by the rate, the best first', async () => {
    const page = await managerPage('/manage/supervision')
    const table = page.getByRole('table', { name: '各部门按时办结情况' })
    const overdue = table.getByRole('columnheader', { name: '在办已超期', exact: true })
    await overdue.getByRole('button').click()
    await expect.poll(() => overdue.getAttribute('aria-sort')).toBe('descending')
    expect(await table.getByRole('columnheader', { name: '按时办结率', exact: true }).getAttribute('aria-sort')).toBe('none')
    const most = Math.max(...data.departments.map(d => d.openOverdue))
    expect(data.departments.filter(d => d.openOverdue === most).map(d => d.name)).toContain((await rowNames(page))[0])

    const rate = table.getByRole('columnheader', { name: '按时办结率', exact: true })
    await rate.getByRole('button').click()
    await expect.poll(() => rate.getAttribute('aria-sort')).toBe('ascending')
    await rate.getByRole('button').click()
    await expect.poll(() => rate.getAttribute('aria-sort')).toBe('descending')
    const rates = data.departments.filter(d => d.completed).map(d => d.completedOnTime / d.completed)
    const best = data.departments.filter(d => d.completed && d.completedOnTime / d.completed === Math.max(...rates)).map(d => d.name)
    expect(best).toContain((await rowNames(page))[0])
  })

  it('reads beside the on-time figures how many completions were in time only after an extension', async () => {
    const page = await managerPage('/manage/supervision')
    const table = page.getByRole('table', { name: '各部门按时办结情况' })
    // the demo clerk's department, whose head extended some limits
    const szrs = data.departments.find(d => d.code === 'SZRS')!
    expect(szrs.completedExtended).toBeGreaterThan(0)
    const headings = (await table.locator('thead th').allInnerTexts()).map(s => s.trim())
    const column = headings.indexOf('延期后办结')
    expect(column).toBeGreaterThan(0)
    const row = table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: szrs.name, exact: true }) })
    expect((await row.locator('th, td').nth(column).innerText()).trim()).toBe(String(szrs.completedExtended))
    await seen(page.getByText(/经负责人批准延长过办理时限的件数/))
  })

  it('in English too, with the rate column named', async () => {
    const page = await managerPage('/en/manage/supervision')
    const table = page.getByRole('table', { name: 'On-time completion by department' })
    expect(await table.getByRole('columnheader', { name: 'On-time completion rate', exact: true }).getAttribute('aria-sort')).toBe('ascending')
  })
})

describe('a manager looking for the poor ratings nobody answered', () => {
  it('reads on supervision how many are past their deadline, and follows the link to them', async () => {
    expect(data.rectifications.overdue).toBeGreaterThan(0)
    const page = await managerPage('/manage/supervision')
    const section = page.getByRole('region', { name: '差评整改' })
    expect(await section.innerText()).toContain('超过整改期限仍未答复的差评')
    expect(await section.locator('dd').first().innerText()).toBe(String(data.rectifications.overdue))
    expect(await section.innerText()).toContain(`待答复的差评共 ${data.rectifications.open} 件`)
    await section.getByRole('link', { name: /查看待答复的差评整改/ }).click()
    await page.waitForURL(url => url.pathname === '/clerk/rectifications' && url.searchParams.get('status') === 'open')
    await seen(page.getByRole('heading', { level: 1, name: '差评整改' }))
    // the soonest deadline first: the first one shown is overdue
    await seen(page.locator('article').first().getByText('已超期', { exact: true }))
  })

  it('follows the link beside the satisfaction page\'s on-time figure, and finds the list in the navigation', async () => {
    const page = await managerPage('/manage/satisfaction')
    const figure = page.locator('dl > div').filter({ hasText: '差评按期整改率' })
    await figure.getByRole('link', { name: /查看待答复的差评整改/ }).click()
    await page.waitForURL(url => url.pathname === '/clerk/rectifications' && url.searchParams.get('status') === 'open')
    await seen(page.getByRole('heading', { level: 1, name: '差评整改' }))

    await page.goto('/en/manage/reports')
    await settled(page)
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rectifications' }).click()
    await page.waitForURL(url => url.pathname === '/en/clerk/rectifications')
    await seen(page.getByRole('heading', { level: 1, name: 'Poor ratings to answer' }))
  })
})

describe('a manager comparing the three pages without choosing a period', () => {
  it.each(['/manage/reports', '/manage/supervision', '/manage/satisfaction'])('is told the default is the last 12 months, shared by the three (%s)', async (path) => {
    const page = await managerPage(path)
    const note = page.getByText('未选择统计期间时，统计最近 12 个月（本月算到今天）')
    expect(await note.count()).toBe(1)
    // a period chosen is its own: the note goes
    await page.goto(`${path}?from=2026-01-01&to=2026-03-31`)
    await settled(page)
    expect(await note.count()).toBe(0)
  })
})
