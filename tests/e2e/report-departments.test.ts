/**
 * A manager reading the dashboard's departments on a phone and on a desktop, in Chinese and in
 * English, with large-text mode on and off: every department's name beside its bars starts with
 * its first character on screen (a long name is cut at its end, never at its start: "lture,
 * Radio, Television, Tourism…" and "市管理和综合执法局" were), stands beside its own bars, and is
 * given whole as its title and in the chart's tooltip. In the table, the first click on a rate
 * where low is bad puts the worst department first.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

// the demo history: a year of cases, so that every department has bars
const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client

interface Department { code: string, name: string, nameEn: string, cases: { onTimeRate: number | null } }
let departments: Department[]

beforeAll(async () => {
  manager = await signedIn(suite.url, 'manager')
  departments = (await manager.get<{ byDepartment: Department[] }>('/api/reports/online-rate')).body.byDepartment
})

async function reportsPage(lang: 'zh' | 'en', width: number, largeText: boolean): Promise<Page> {
  const { context } = await suite.newContext({ width, largeText })
  await addSession(context, suite.url, manager)
  const page = await context.newPage()
  await page.goto(lang === 'en' ? '/en/manage/reports' : '/manage/reports')
  await settled(page)
  return page
}

interface DrawnName {
  text: string, title: string
  /** the name's first character, its box and the label's, and the chart's edges, in viewport px */
  first: { left: number, right: number, top: number, bottom: number }
  name: { left: number, right: number, top: number }
  row: { top: number, bottom: number }
  chartLeft: number
  /** the centre of this department's bars, from the Chart.js instance */
  barCentre: number | null
  overflowsSideways: boolean
}

/**
 * What each name beside the departments' bars shows, measured in the page; the bars' positions are
 * read from the Chart.js instance vue-chartjs exposes on its component (as manage-editors.test.ts).
 */
function drawnNames(page: Page): Promise<DrawnName[]> {
  return page.evaluate(() => {
    interface ChartLike { canvas: HTMLCanvasElement, scales: { y: { getPixelForValue: (v: number) => number } } }
    interface VNodeLike { component?: { exposed?: { chart?: { value?: ChartLike } } | null, subTree?: VNodeLike } | null, suspense?: { activeBranch?: VNodeLike } | null, children?: unknown }
    const box = document.querySelector('section[aria-labelledby="dept-heading"] [data-font-size]')!
    const canvas = box.querySelector('canvas')!
    const seen = new Set<unknown>()
    let chart: ChartLike | null = null
    const walk = (v: VNodeLike | undefined) => {
      if (!v || typeof v !== 'object' || seen.has(v) || chart) return
      seen.add(v)
      const c = v.component?.exposed?.chart?.value
      if (c && c.canvas === canvas) chart = c
      walk(v.component?.subTree)
      walk(v.suspense?.activeBranch)
      if (Array.isArray(v.children)) for (const x of v.children) walk(x as VNodeLike)
    }
    walk((document.getElementById('__nuxt') as unknown as { _vnode?: VNodeLike })._vnode)
    const found = chart as ChartLike | null
    const canvasTop = canvas.getBoundingClientRect().top
    return [...box.querySelectorAll('[data-chart-names] li')].map((li, i) => {
      const span = li.querySelector('[data-chart-name]') as HTMLElement
      const range = document.createRange()
      range.setStart(span.firstChild!, 0)
      range.setEnd(span.firstChild!, 1)
      const first = range.getBoundingClientRect()
      const name = span.getBoundingClientRect()
      const row = li.getBoundingClientRect()
      return {
        text: span.textContent ?? '', title: li.getAttribute('title') ?? '',
        first: { left: first.left, right: first.right, top: first.top, bottom: first.bottom },
        name: { left: name.left, right: name.right, top: name.top },
        row: { top: row.top, bottom: row.bottom },
        chartLeft: box.getBoundingClientRect().left,
        barCentre: found ? canvasTop + found.scales.y.getPixelForValue(i) : null,
        overflowsSideways: span.scrollWidth > span.clientWidth + 1,
      }
    })
  })
}

describe('a manager reading the departments\' chart', () => {
  it.each([
    ['zh', 390, true], ['en', 390, true], ['zh', 1280, true], ['en', 1280, true],
    ['zh', 390, false], ['en', 1280, false],
  ] as const)('in %s at %i px (large text: %s) sees each name from its first character, beside its own bars', async (lang, width, largeText) => {
    const page = await reportsPage(lang, width, largeText)
    await expect.poll(async () => (await drawnNames(page)).length).toBe(departments.length)
    await expect.poll(async () => (await drawnNames(page)).every(n => n.barCentre !== null)).toBe(true)
    const drawn = await drawnNames(page)
    const tolerance = 1
    departments.forEach((d, i) => {
      const name = lang === 'en' ? d.nameEn : d.name
      const n = drawn[i]!
      expect(n.text, name).toBe(name)
      // the whole label, "partly no data" included, on hover
      expect(n.title.startsWith(name), name).toBe(true)
      // the first character is drawn, inside the name's box, on the first line, on the screen
      expect(n.first.left, name).toBeGreaterThanOrEqual(Math.max(0, n.chartLeft, n.name.left) - tolerance)
      expect(n.first.right, name).toBeLessThanOrEqual(n.name.right + tolerance)
      expect(Math.abs(n.first.top - n.name.top), name).toBeLessThan(8)
      expect(n.first.top, name).toBeGreaterThanOrEqual(n.row.top - tolerance)
      expect(n.first.bottom, name).toBeLessThanOrEqual(n.row.bottom + tolerance)
      expect(n.overflowsSideways, name).toBe(false)
      // beside its own bars: the bars' centre is within the name's row
      expect(n.barCentre!, name).toBeGreaterThan(n.row.top)
      expect(n.barCentre!, name).toBeLessThan(n.row.bottom)
    })
    // the long names are there: the city's urban management bureau, in both languages
    expect(drawn.some(n => /城市管理和综合执法局|Urban Management and Law Enforcement/.test(n.text))).toBe(true)
    if (lang === 'zh' && width === 390 && largeText) expect(describeViolations(await axeViolations(page))).toBe('')
  })

  it('is given the whole name in the chart\'s tooltip on pointing at a department\'s bars', async () => {
    const page = await reportsPage('en', 390, true)
    await expect.poll(async () => (await drawnNames(page)).every(n => n.barCentre !== null)).toBe(true)
    const longest = departments.reduce((a, b) => (b.nameEn.length > a.nameEn.length ? b : a))
    const i = departments.indexOf(longest)
    const { barCentre } = (await drawnNames(page))[i]!
    const canvas = page.locator('section[aria-labelledby="dept-heading"] canvas')
    const box = (await canvas.boundingBox())!
    // along the department's row, right of its name, over the bars' area (scrolled to: the chart is taller than the screen)
    await canvas.hover({ position: { x: box.width * 0.75, y: barCentre! - box.y } })
    const title = () => page.evaluate(() => {
      interface VNodeLike { component?: { exposed?: { chart?: { value?: { canvas: HTMLCanvasElement, tooltip?: { title?: string[], opacity?: number } } } } | null, subTree?: VNodeLike } | null, suspense?: { activeBranch?: VNodeLike } | null, children?: unknown }
      const canvas = document.querySelector('section[aria-labelledby="dept-heading"] canvas')
      let text = ''
      const walk = (v: VNodeLike | undefined) => {
        if (!v || typeof v !== 'object' || text) return
        const c = v.component?.exposed?.chart?.value
        if (c && c.canvas === canvas && c.tooltip?.opacity) text = (c.tooltip.title ?? []).join(' ')
        walk(v.component?.subTree)
        walk(v.suspense?.activeBranch)
        if (Array.isArray(v.children)) for (const x of v.children) walk(x as VNodeLike)
      }
      walk((document.getElementById('__nuxt') as unknown as { _vnode?: VNodeLike })._vnode)
      return text
    })
    await expect.poll(title).toContain(longest.nameEn)
  })
})

describe('a manager sorting the dashboard\'s departments by their on-time rate', () => {
  it('gets the worst first on the first click, and the best on the second', async () => {
    const page = await reportsPage('zh', 1280, false)
    const table = page.getByRole('table', { name: '各部门统计表' })
    const heading = table.getByRole('columnheader', { name: '按时办结率', exact: true })
    const rates = departments.map(d => d.cases.onTimeRate).filter((r): r is number => r !== null)
    const [lowest, highest] = [Math.min(...rates), Math.max(...rates)]
    expect(lowest).toBeLessThan(highest)
    const named = (r: number) => departments.filter(d => d.cases.onTimeRate === r).map(d => d.name)
    const firstRow = async () => (await table.locator('tbody tr').first().getByRole('rowheader').innerText()).trim()

    await heading.getByRole('button').click()
    await expect.poll(() => heading.getAttribute('aria-sort')).toBe('ascending')
    expect(named(lowest)).toContain(await firstRow())

    await heading.getByRole('button').click()
    await expect.poll(() => heading.getAttribute('aria-sort')).toBe('descending')
    expect(named(highest)).toContain(await firstRow())
  })
})

describe('a manager reading the share of items fully online', () => {
  it('is told beside it how many of them are stated at Level IV with no form to apply with, in both languages', async () => {
    const { services } = (await manager.get<{ services: { fullyOnline: number, fullyOnlineWithoutForm: number, total: number } }>('/api/reports/online-rate')).body
    // the seed's three: 住房公积金缴存证明打印, 个人参保证明查询打印, 个人所得税综合所得年度汇算
    expect(services.fullyOnlineWithoutForm).toBe(3)
    const zh = await reportsPage('zh', 1280, false)
    await zh.getByText(`网办深度为Ⅳ级（全程网办）的事项：${services.fullyOnline} / ${services.total} 项；其中 3 项标为Ⅳ级但没有发布申请表，实际不能网上申请（见“尚未实现网上可办的事项”）`).waitFor()
    const en = await reportsPage('en', 1280, false)
    await en.getByText('Of these, 3 items are stated at Level IV but have no published form, so nobody can apply for them online').waitFor()
  })
})
