/**
 * The administration pages as their editors use them: unsaved edits are never published unseen,
 * lost on withdraw or restore, or left behind without a warning; a form builder opened before an
 * import is told instead of overwriting it; the calendar's radios form one group, focus survives a
 * removal and a failure is said where it belongs; large-text mode keeps the editor in one column
 * at a tablet's width; and the audit log's page past the end says so and links to the last page.
 * A calendar year the portal does not keep is said, not shown as an empty year to add to; a report
 * period starting after today without an end date is said as such, beside the start date.
 */
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, hasHorizontalScroll, requestsTo, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, createDraft, demoPerson, getCase, RESULT_SERVICE } from '../support/fixtures'

const zh = JSON.parse(readFileSync('i18n/locales/zh/manage.json', 'utf8')).manage

const suite = useBrowserSuite()
let admin: Client

beforeAll(async () => {
  admin = await signedIn(suite.url, 'admin')
})

async function pageAs(who: Client, opts: { width?: number, largeText?: boolean } = {}): Promise<Page> {
  const { context } = await suite.newContext(opts)
  await addSession(context, suite.url, who)
  return context.newPage()
}

const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { tag: el?.tagName ?? '', role: el?.getAttribute('role') ?? '', text: (el?.textContent ?? '').trim() }
})

/** Whether the page asks before it is unloaded (a synthetic beforeunload, as the browser sends). */
const asksBeforeUnload = (page: Page) => page.evaluate(() => {
  const e = new Event('beforeunload', { cancelable: true })
  window.dispatchEvent(e)
  return e.defaultPrevented
})

interface Managed { status: string, version: number, draft: { version: number } | null, current: { hours: string }, publishedForm: { id: number, version: number } | null }
const managed = async (code: string) => (await admin.get<Managed>(`/api/manage/services/${code}`)).body

describe('an editor with unsaved changes in the guide editor', () => {
  const code = 'SZRS-0001'
  const edited = '工作日 8:00-20:00（尚未保存）'

  it('is asked to save before publishing, keeps the changes through withdraw and restore, and is warned before leaving', async () => {
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}`)
    await settled(page)
    expect(await asksBeforeUnload(page)).toBe(false)
    // a saved draft, so publishing is possible; then a change not saved
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(async () => (await managed(code)).draft).not.toBeNull()
    await expect.poll(() => page.getByRole('status').filter({ hasText: zh.editor.saved }).count()).toBe(1)
    const before = await managed(code)
    await page.locator('#g-hours').fill(edited)

    await page.locator('section[aria-labelledby="actions"] button', { hasText: '发布草稿' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(zh.editor.saveFirst)
    expect(await page.locator('#g-hours').inputValue()).toBe(edited)
    const after = await managed(code)
    expect({ version: after.version, draft: after.draft?.version, hours: after.current.hours }).toEqual({ version: before.version, draft: before.draft?.version, hours: before.current.hours })

    await page.getByRole('button', { name: zh.editor.withdraw }).click()
    await page.getByRole('button', { name: zh.editor.restore }).waitFor()
    expect((await managed(code)).status).toBe('withdrawn')
    expect(await page.locator('#g-hours').inputValue()).toBe(edited)
    await page.getByRole('button', { name: zh.editor.restore }).click()
    await page.getByRole('button', { name: zh.editor.withdraw }).waitFor()
    expect((await managed(code)).status).toBe('published')
    expect(await page.locator('#g-hours').inputValue()).toBe(edited)

    // leaving: the browser's own warning, and a question before the link is followed
    expect(await asksBeforeUnload(page)).toBe(true)
    const questions: string[] = []
    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('link', { name: zh.editor.back }).click()
    await expect.poll(() => questions).toEqual([zh.editor.leaveUnsaved])
    expect(new URL(page.url()).pathname).toBe(`/manage/catalogue/${code}`)
    expect(await page.locator('#g-hours').inputValue()).toBe(edited)
    page.once('dialog', d => void d.accept())
    await page.getByRole('link', { name: zh.editor.back }).click()
    await page.waitForURL(url => url.pathname === '/manage/catalogue')
  })

  it('leaves without a question when nothing is changed', async () => {
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}`)
    await settled(page)
    const questions: string[] = []
    page.on('dialog', (d) => {
      questions.push(d.message())
      void d.dismiss()
    })
    expect(await asksBeforeUnload(page)).toBe(false)
    await page.getByRole('link', { name: zh.editor.back }).click()
    await page.waitForURL(url => url.pathname === '/manage/catalogue')
    expect(questions).toEqual([])
  })
})

describe('a form builder opened before an import published another form', () => {
  it('is told, keeps its work, warns before leaving, and replaces the form only when asked again', async () => {
    const exported = (await admin.get<{ services: { code: string, form: { fields: unknown[] } | null }[] }>('/api/manage/catalogue/export?dept=SZRS')).body.services
      .find(s => s.code !== 'SZRS-0001' && (s.form?.fields.length ?? 0) >= 2)!
    const { code, form } = exported as { code: string, form: { fields: unknown[] } }
    const n = form.fields.length
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}/form`)
    await settled(page)
    await page.getByRole('button', { name: zh.builder.addField }).click()
    const heading = zh.builder.fields.replace('{n}', String(n + 1))
    await expect.poll(() => page.getByText(heading).count()).toBeGreaterThan(0)

    // meanwhile an import publishes a shorter form
    expect((await admin.post(`/api/manage/catalogue/import`, { services: [{ ...exported, form: { ...form, fields: form.fields.slice(0, n - 1) } }] })).status).toBe(200)
    const imported = (await managed(code)).publishedForm!

    await page.getByRole('button', { name: zh.builder.publish }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(zh.builder.overtaken.split('（')[0])
    expect(await page.getByRole('alert').textContent()).toContain(`v${imported.version}`)
    expect((await managed(code)).publishedForm).toEqual(imported)
    expect((await admin.get<{ form: { fields: unknown[] } }>(`/api/services/${code}`)).body.form.fields).toHaveLength(n - 1)
    expect(await page.getByText(heading).count()).toBeGreaterThan(0)

    expect(await asksBeforeUnload(page)).toBe(true)
    const questions: string[] = []
    page.once('dialog', (d) => {
      questions.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('link', { name: zh.builder.back }).click()
    await expect.poll(() => questions).toEqual([zh.editor.leaveUnsaved])
    expect(new URL(page.url()).pathname).toBe(`/manage/catalogue/${code}/form`)

    // told, the editor publishes again: now their form is the one in force, and nothing is unsaved
    await page.getByRole('button', { name: zh.builder.publish }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: zh.builder.published }).count()).toBe(1)
    expect((await admin.get<{ form: { fields: unknown[] } }>(`/api/services/${code}`)).body.form.fields).toHaveLength(n + 1)
    expect(await asksBeforeUnload(page)).toBe(false)
  })
})

describe('an administrator keeping the working-day calendar', () => {
  it('chooses the kind in one radio group, keeps focus after a removal, and reads a failed removal apart from the add form', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/calendar?year=2031')
    await settled(page)
    const names = await page.locator('input[type="radio"]').evaluateAll(els => els.map(e => (e as HTMLInputElement).name))
    expect(names).toHaveLength(2)
    expect(names[0]).not.toBe('')
    expect(names[1]).toBe(names[0])
    // a year after the built-in notices has the law's holidays built in, the Spring Festival's among
    // them, and says they are the law's, not a notice's
    const springFestival = page.getByRole('row').filter({ has: page.locator('time[datetime="2031-01-23"]') })
    expect(await springFestival.textContent()).toContain(zh.calendar.builtinLaw)
    expect(await page.getByRole('cell', { name: zh.calendar.builtin, exact: true }).count()).toBe(0)

    // the days are said as dates are written in Chinese, not as ISO strings
    for (const [date, said] of [['2031-05-06', '2031年5月6日'], ['2031-05-07', '2031年5月7日']] as const) {
      await page.locator('#cal-date').fill(date)
      await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
      await expect.poll(() => page.getByRole('button', { name: zh.calendar.remove.replace('{date}', said) }).count()).toBe(1)
      expect(await page.getByRole('status').textContent()).toContain(zh.calendar.added.replace('{date}', said))
    }

    await page.getByRole('button', { name: zh.calendar.remove.replace('{date}', '2031年5月6日') }).press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'P', role: 'status' })
    expect((await focused(page)).text).toContain(zh.calendar.removed.replace('{date}', '2031年5月6日'))

    // the next removal fails at the server
    await page.route('**/api/calendar/days', route => route.request().method() === 'PUT'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, message: 'Server Error' }) })
      : route.continue())
    await page.getByRole('button', { name: zh.calendar.remove.replace('{date}', '2031年5月7日') }).click()
    await expect.poll(() => page.getByRole('alert').filter({ hasText: zh.calendar.removeFailed.replace('{date}', '2031年5月7日') }).count()).toBe(1)
    expect(await page.locator('#cal-date').getAttribute('aria-invalid')).toBeNull()
    expect(await page.locator('a[href="#cal-date"]').count()).toBe(0)
    // the earlier success is no longer announced beside the failure
    expect((await page.getByRole('status').textContent())?.trim()).toBe('')
    expect(await page.getByRole('button', { name: zh.calendar.remove.replace('{date}', '2031年5月7日') }).count()).toBe(1)
  })
})

describe('an administrator entering a day the server would refuse', () => {
  // the page checks the server's rules (PUT /api/calendar/days: a year it keeps, a note without
  // control characters, the shared CONTROL_CHARS) before sending, and says what is wrong as it
  // says the server's refusals: in the summary, linked to the field, which is marked invalid
  it('is told of a year past 2199 and of a tab in the note without anything being sent, then saves the corrected day', async () => {
    const page = await pageAs(admin)
    const sent = requestsTo(page, '/api/calendar/days')
    await page.goto('/manage/calendar?year=2035')
    await settled(page)
    const dateBox = page.locator('#cal-date')
    const noteBox = page.locator('#cal-note')
    // the date picker offers only the years the calendar keeps
    expect(await dateBox.getAttribute('min')).toBe('1900-01-01')
    expect(await dateBox.getAttribute('max')).toBe('2199-12-31')

    await dateBox.fill('2205-10-09')
    await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
    const yearError = page.getByRole('alert').filter({ hasText: '年份须在 1900 年至 2199 年之间' })
    await yearError.waitFor()
    expect(await yearError.locator('a[href="#cal-date"]').count()).toBe(1)
    expect(await dateBox.getAttribute('aria-invalid')).toBe('true')

    // a tab pasted inside the note (one at its ends is trimmed away before sending, as ever)
    await dateBox.fill('2035-10-09')
    await noteBox.fill('调休\t补班')
    expect(await noteBox.inputValue()).toBe('调休\t补班')
    await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
    const noteError = page.getByRole('alert').filter({ hasText: '含有不可见的控制字符' })
    await noteError.waitFor()
    expect(await noteError.locator('a[href="#cal-note"]').count()).toBe(1)
    expect(await noteBox.getAttribute('aria-invalid')).toBe('true')
    expect(await dateBox.getAttribute('aria-invalid')).toBeNull()

    await noteBox.fill('调休 补班')
    await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
    await expect.poll(() => page.getByRole('button', { name: zh.calendar.remove.replace('{date}', '2035年10月9日') }).count()).toBe(1)
    expect(await page.getByRole('status').textContent()).toContain(zh.calendar.added.replace('{date}', '2035年10月9日'))
    expect(await page.getByRole('cell', { name: '调休 补班', exact: true }).count()).toBe(1)
    expect(await page.locator('a[href="#cal-note"], a[href="#cal-date"]').count()).toBe(0)
    expect(await noteBox.getAttribute('aria-invalid')).toBeNull()
    // the answer came after any request the refused attempts could have sent: only the last went
    // (the page reads the year's days again after a change: a GET)
    const puts = sent.filter(r => r.method === 'PUT')
    expect(puts).toHaveLength(1)
    expect(JSON.parse(puts[0]!.body!)).toEqual({ add: [{ date: '2035-10-09', kind: 'holiday', note: '调休 补班' }] })
  })
})

describe('an administrator closing a day on which a poor rating\'s answer is due', () => {
  it('is told that the answer\'s deadline moved, beside the open cases\'', async () => {
    // an approved case rated 1 by its applicant: a rectification due in 15 working days
    const citizen = await signedIn(suite.url, 'citizen')
    const clerk = await signedIn(suite.url, 'clerk')
    const draft = await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, demoPerson('citizen'), []))
    const caseNo = (await citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)).body.caseNo
    for (const action of ['accept', 'approve']) {
      expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })).status).toBe(200)
    }
    const rated = await citizen.post<{ rectification: { deadline: string } }>(`/api/cases/${caseNo}/rating`, { score: 1 })
    expect(rated.status).toBe(201)
    const due = rated.body.rectification.deadline

    const page = await pageAs(admin)
    await page.goto(`/manage/calendar?year=${due.slice(0, 4)}`)
    await settled(page)
    await page.locator('#cal-date').fill(due)
    await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/\d+ 项差评整改的答复期限随之调整。/)
  })
})

describe('an administrator opening a year of the calendar the portal does not keep', () => {
  it('is told the years it keeps instead of an empty year with a form to add to it, and is led back into them', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/calendar?year=1800')
    await settled(page)
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '年份须在 1900 年至 2199 年之间' }).count()).toBe(1)
    expect(await page.getByText(zh.calendar.notEntered.split('：')[0].replace('{year}', '1800')).count()).toBe(0)
    expect(await page.locator('#cal-date').count()).toBe(0)
    expect(await page.getByRole('button', { name: zh.calendar.add, exact: true }).count()).toBe(0)
    expect(await page.getByRole('button', { name: zh.calendar.previousYear }).isDisabled()).toBe(true)

    await page.getByRole('button', { name: zh.calendar.nextYear }).click()
    await page.waitForURL(url => url.searchParams.get('year') === '1900')
    await page.locator('#cal-date').waitFor()
    expect(await page.getByRole('alert').filter({ hasText: '年份须在' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: zh.calendar.previousYear }).isDisabled()).toBe(true)
  })
})

describe('a manager bookmarking a report period that starts after today, without an end date', () => {
  it.each(['/manage/reports', '/manage/satisfaction'])('is told the start is after today, not after an end date left empty (%s)', async (path) => {
    const page = await pageAs(await signedIn(suite.url, 'manager'))
    await page.goto(`${path}?from=2099-01-01`)
    await settled(page)
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '开始日期不能晚于今天（未填结束日期时统计到今天）' }).count()).toBe(1)
    expect(await page.getByText('开始日期不能晚于结束日期').count()).toBe(0)
    // said beside the start date the manager gave, not the empty end date
    expect(await page.locator('#report-from').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#report-to').getAttribute('aria-invalid')).toBeNull()
  })
})

describe('a manager changing the period by keyboard, with a screen reader', () => {
  it.each([
    ['/manage/reports', /^统计期间：2026年1月1日 至 2026年1月31日 · /],
    ['/manage/satisfaction', /^统计期间：2026年1月1日 至 2026年1月31日$/],
    ['/manage/supervision', /^统计期间 2026年1月1日 至 2026年1月31日$/],
  ])('hears the new period once the figures change, and reads no date format the date control contradicts (%s)', async (path, said) => {
    const page = await pageAs(await signedIn(suite.url, 'manager'))
    await page.goto(path)
    await settled(page)
    // the browser draws its own date control: no "year-month-day" hint beside it
    expect(await page.locator('#report-date-hint').count()).toBe(0)
    expect(await page.locator('#report-from').getAttribute('aria-describedby')).toBeNull()
    await page.locator('#report-from').fill('2026-01-01')
    await page.locator('#report-to').fill('2026-01-31')
    await page.locator('#report-to').press('Enter')
    await page.waitForURL(url => url.searchParams.get('from') === '2026-01-01')
    const status = page.getByRole('status').filter({ hasText: /统计期间/ })
    await expect.poll(async () => (await status.innerText()).trim()).toMatch(said)
  })
})

describe('the catalogue editor in large-text mode on a tablet', () => {
  it.each(['', '/form'])('keeps every grid in one column without sideways scrolling (%s)', async (sub) => {
    const page = await pageAs(admin, { width: 800, largeText: true })
    await page.goto(`/manage/catalogue/SZRS-0003${sub}`)
    await settled(page)
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true)
    const columns = await page.locator('main .grid').evaluateAll(grids => grids
      .filter(g => getComputedStyle(g).display === 'grid')
      .map(g => getComputedStyle(g).gridTemplateColumns.trim().split(/\s+/).length))
    expect(columns.length).toBeGreaterThan(0)
    expect(columns.filter(c => c !== 1)).toEqual([])
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})

describe('the catalogue list on a phone in large-text mode', () => {
  it('keeps the search button\'s word whole, on one line, without sideways scrolling', async () => {
    const page = await pageAs(admin, { width: 375, largeText: true })
    await page.goto('/en/manage/catalogue')
    await settled(page)
    const lines = await page.getByRole('search').getByRole('button').first().evaluate((button) => {
      const range = document.createRange()
      range.selectNodeContents(button)
      return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size
    })
    expect(lines).toBe(1)
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})

describe('an auditor reading the audit log', () => {
  it('is told a page past the end does not exist and is linked to the last one, and reads roles by name', async () => {
    const auditor = await signedIn(suite.url, 'auditor')
    const page = await pageAs(auditor)
    await page.goto('/manage/audit?page=9999')
    await settled(page)
    await expect.poll(() => page.locator('main').textContent()).toContain('没有这一页')
    await page.getByRole('link', { name: /转到最后一页/ }).click()
    await expect.poll(() => page.locator('main table tbody tr').count()).toBeGreaterThan(0)
    expect(new URL(page.url()).searchParams.get('page')).toMatch(/^[1-9]\d*$/)
    expect(new URL(page.url()).searchParams.get('page')).not.toBe('9999')

    await page.goto('/manage/audit?actor=admin')
    await settled(page)
    const actors = await page.locator('main table tbody tr td:nth-child(3)').allTextContents()
    expect(actors.length).toBeGreaterThan(0)
    for (const a of actors) expect(a.replace(/\s+/g, '')).toBe('admin（系统管理员）')
  })
})

describe('a manager reading how far a rate is from its target', () => {
  it('reads the distance in percentage points, not as a percentage', async () => {
    const page = await pageAs(await signedIn(suite.url, 'manager'))
    await page.goto('/manage/reports')
    await settled(page)
    const main = (await page.getByRole('main').innerText())
    expect(main).toMatch(/（差 \d+\.\d 个百分点）/)
    expect(main).not.toMatch(/（差 \d+\.\d%）/)
    await page.goto('/en/manage/reports')
    await settled(page)
    expect(await page.getByRole('main').innerText()).toMatch(/\(\d+\.\d percentage points short\)/)
  })
})

describe('the guide editor of an item with no draft', () => {
  it('offers no publication, and names it without a version', async () => {
    expect((await managed('SZMZ-0006')).draft).toBeNull()
    const page = await pageAs(admin)
    await page.goto('/manage/catalogue/SZMZ-0006')
    await settled(page)
    const publish = page.getByRole('button', { name: '发布草稿', exact: true })
    expect(await publish.isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: /^发布草稿 v/ }).count()).toBe(0)
  })
})

describe('an administrator choosing a good file after a bad paste', () => {
  it('no longer sees the bad paste\'s error on the new content', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/catalogue/import')
    await settled(page)
    await page.locator('#import-json').fill('{oops')
    await page.getByRole('button', { name: zh.import.dryRun }).click()
    await seen(page.getByText(zh.import.notJson))
    expect(await page.locator('#import-json').getAttribute('aria-invalid')).toBe('true')
    await page.locator('#import-file').setInputFiles({ name: 'catalogue.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ services: [] })) })
    await expect.poll(() => page.locator('#import-json').inputValue()).toBe('{"services":[]}')
    expect(await page.getByText(zh.import.notJson).count()).toBe(0)
    expect(await page.locator('#import-json').getAttribute('aria-invalid')).toBeNull()
  })
})

describe('an administrator entering a day of another year than the one shown', () => {
  it('is taken to that year, where the day is listed, and told it was entered', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/calendar?year=2033')
    await settled(page)
    await page.locator('#cal-date').fill('2034-05-08')
    await page.getByRole('button', { name: zh.calendar.add, exact: true }).click()
    await page.waitForURL(url => url.searchParams.get('year') === '2034')
    await expect.poll(() => page.getByRole('button', { name: zh.calendar.remove.replace('{date}', '2034年5月8日') }).count()).toBe(1)
    expect(await page.getByRole('status').textContent()).toContain(zh.calendar.added.replace('{date}', '2034年5月8日'))
  })
})
