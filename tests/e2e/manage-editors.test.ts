/**
 * Managers and administrators with older eyes or a keyboard: the report's charts write their
 * labels as large as the page's text when large-text mode is switched on; each problem of the form
 * builder is a link that opens the field and puts focus on the very input, marked invalid and
 * described by its message; and in the guide editor an error moves with its row, while focus stays
 * on the moved row's button. Two editors of one item, who share its draft, are each told when the
 * other changed it and neither overwrites nor publishes what they have not seen.
 */
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const zh = JSON.parse(readFileSync('i18n/locales/zh/manage.json', 'utf8')).manage
const en = JSON.parse(readFileSync('i18n/locales/en/manage.json', 'utf8')).manage
const common = JSON.parse(readFileSync('i18n/locales/zh/common.json', 'utf8'))
const form = JSON.parse(readFileSync('i18n/locales/zh/form.json', 'utf8')).form

// the year of demo cases, so that the report has a trend and departments to chart
const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let admin: Client

beforeAll(async () => {
  admin = await signedIn(suite.url, 'admin')
})

async function pageAs(who: Client): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, who)
  return context.newPage()
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

/** The text an input's aria-describedby points at. */
const description = (page: Page, id: string) => page.evaluate((id) => {
  const ids = document.getElementById(id)?.getAttribute('aria-describedby')?.split(/\s+/) ?? []
  return ids.map(d => document.getElementById(d)?.textContent ?? '').join(' ')
}, id)

/**
 * What the chart drawn in the canvas under `selector` was configured with, read from the Chart.js
 * instance itself: vue-chartjs exposes it on its component, found by walking Vue's rendered tree
 * from the app's root (production builds keep `_vnode` on the mount point).
 */
function chartFonts(page: Page, selector: string) {
  return page.evaluate((selector) => {
    type Font = { size?: number }
    interface ChartLike { canvas: HTMLCanvasElement, options: { plugins: { legend: { labels: { font: Font } }, tooltip: { titleFont: Font, bodyFont: Font } }, scales: Record<string, { ticks: { font: Font } }> } }
    interface VNodeLike { component?: { exposed?: { chart?: { value?: ChartLike } } | null, subTree?: VNodeLike } | null, suspense?: { activeBranch?: VNodeLike } | null, children?: unknown }
    const canvas = document.querySelector(`${selector} canvas`)
    const seen = new Set<unknown>()
    let found: ChartLike | null = null
    const walk = (v: VNodeLike | undefined) => {
      if (!v || typeof v !== 'object' || seen.has(v) || found) return
      seen.add(v)
      const chart = v.component?.exposed?.chart?.value
      if (chart && chart.canvas === canvas) found = chart
      walk(v.component?.subTree)
      walk(v.suspense?.activeBranch)
      if (Array.isArray(v.children)) for (const c of v.children) walk(c as VNodeLike)
    }
    walk((document.getElementById('__nuxt') as unknown as { _vnode?: VNodeLike })._vnode)
    const chart = found as ChartLike | null
    if (!chart) return null
    const o = chart.options
    return {
      legend: o.plugins.legend.labels.font.size,
      tooltip: [o.plugins.tooltip.titleFont.size, o.plugins.tooltip.bodyFont.size],
      ticks: Object.values(o.scales).map(s => s.ticks.font.size),
    }
  }, selector)
}

describe('a manager who switches on large-text mode on the reports page', () => {
  it('reads the charts\' labels, legend and tooltips at the page\'s text size, and the trend chart grows', async () => {
    const manager = await signedIn(suite.url, 'manager')
    const page = await pageAs(manager)
    await page.goto('/manage/reports')
    await settled(page)
    const trend = 'section[aria-labelledby="trend-heading"] [data-font-size]'
    const depts = 'section[aria-labelledby="dept-heading"] [data-font-size]'
    await expect.poll(() => chartFonts(page, trend)).not.toBeNull()
    await expect.poll(() => chartFonts(page, depts)).not.toBeNull()
    const body = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize))
    const small = await body()
    expect(small).toBe(16)
    for (const chart of [trend, depts]) {
      expect(await page.locator(chart).getAttribute('data-font-size')).toBe(String(small))
      expect(await chartFonts(page, chart)).toEqual({ legend: small, tooltip: [small, small], ticks: [small, small] })
    }
    const heightBefore = await page.locator(trend).evaluate(e => e.getBoundingClientRect().height)

    await page.getByRole('button', { name: common.nav.largeText }).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true)
    const large = await body()
    expect(large).toBeGreaterThan(small)
    for (const chart of [trend, depts]) {
      await expect.poll(() => page.locator(chart).getAttribute('data-font-size')).toBe(String(large))
      await expect.poll(() => chartFonts(page, chart)).toEqual({ legend: large, tooltip: [large, large], ticks: [large, large] })
    }
    expect(await page.locator(trend).evaluate(e => e.getBoundingClientRect().height)).toBeGreaterThan(heightBefore)
  })
})

interface Exported { code: string, steps: { name: string }[], conditions: string[], form: { fields: { key: string, label: { zh: string }, type: string, required?: boolean, showIf?: unknown }[] } | null }

describe('an editor correcting a guide', () => {
  it('sees an error move with its step and its condition, and keeps focus on the moved row\'s button', async () => {
    const { services } = (await admin.get<{ services: Exported[] }>('/api/manage/catalogue/export?dept=SZRS')).body
    const item = services.find(s => s.steps.length >= 2 && s.conditions.length >= 2)!
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${item.code}`)
    await settled(page)

    await page.locator('#g-steps-0-name').fill('')
    await page.locator('#g-conditions-0').fill('')
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(() => page.locator('#g-steps-0-name').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#g-conditions-0').getAttribute('aria-invalid')).toBe('true')

    // the empty step moves down: its error goes with it, and focus with the button pressed
    await page.locator('#g-steps-0-down').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#g-steps-1-name').inputValue()).toBe('')
    expect(await page.locator('#g-steps-1-name').getAttribute('aria-invalid')).toBe('true')
    expect(await description(page, 'g-steps-1-name')).toContain(zh.editor.errorPrefix)
    expect(await page.locator('#g-steps-0-name').inputValue()).toBe(item.steps[1]!.name)
    expect(await page.locator('#g-steps-0-name').getAttribute('aria-invalid')).toBeNull()
    expect(await focusedId(page)).toMatch(/^g-steps-1-(down|up)$/)
    // the summary's link leads to where the error now is
    expect(await page.locator('[role="alert"] a[href="#g-steps-1-name"]').count()).toBe(1)
    expect(await page.locator('[role="alert"] a[href="#g-steps-0-name"]').count()).toBe(0)

    // a condition in a list of its own (ManageStringList) does the same
    await page.locator('#g-conditions-0-down').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#g-conditions-1').inputValue()).toBe('')
    expect(await page.locator('#g-conditions-1').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#g-conditions-0').getAttribute('aria-invalid')).toBeNull()
    expect(await focusedId(page)).toMatch(/^g-conditions-1-(down|up)$/)

    // removed with its row, the error is gone rather than passed to the row after it
    await page.locator('#g-conditions-1-remove').click()
    await expect.poll(() => page.locator('[aria-invalid="true"][id^="g-conditions-"]').count()).toBe(0)
  })
})

describe('an editor stating a special procedure counted in natural days', () => {
  it('chooses the unit beside its limit, saves it, and is told a unit without a limit says nothing', async () => {
    const code = 'SZRS-0010'
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}`)
    await settled(page)
    const unit = page.locator('#g-specialProcedures-0-limitUnit')
    // a procedure stated before units were: working days, as the guide has always shown it
    expect(await unit.inputValue()).toBe('working')
    expect(await page.getByLabel(zh.field.limitUnit).first().evaluate(el => el.id)).toBe('g-specialProcedures-0-limitUnit')
    await unit.selectOption('natural')
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: zh.editor.saved }).count()).toBe(1)
    const draft = async () => (await admin.get<{ draft: { guide: { specialProcedures: unknown[] } } | null }>(`/api/manage/services/${code}`)).body.draft
    expect((await draft())!.guide.specialProcedures).toEqual([{ name: '拟补贴人员名单公示', limitDays: 5, limitUnit: 'natural', basis: expect.any(String) }])

    // natural days of a limit left empty: refused beside the unit, nothing saved
    await page.locator('#g-specialProcedures-0-limitDays').fill('')
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(() => unit.getAttribute('aria-invalid')).toBe('true')
    expect(await description(page, 'g-specialProcedures-0-limitUnit')).toContain(zh.rule.specialUnitWithoutLimit)
    expect((await draft())!.guide.specialProcedures).toEqual([expect.objectContaining({ limitDays: 5, limitUnit: 'natural' })])
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('an editor stating that the item\'s licence is held one at a time', () => {
  it('sees the seed\'s flag on the ID card, and clearing it leaves it out of the saved draft', async () => {
    const code = 'SZGA-0002'
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}`)
    await settled(page)
    const flag = page.getByLabel(zh.field.resultReplacesEarlier)
    expect(await flag.isChecked()).toBe(true)
    await flag.uncheck()
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: zh.editor.saved }).count()).toBe(1)
    const draft = (await admin.get<{ draft: { guide: Record<string, unknown> } | null }>(`/api/manage/services/${code}`)).body.draft
    // not stated is the guide saying nothing, as for every optional element
    expect(draft!.guide).not.toHaveProperty('resultReplacesEarlier')
    await flag.check()
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(async () => (await admin.get<{ draft: { guide: Record<string, unknown> } | null }>(`/api/manage/services/${code}`)).body.draft!.guide.resultReplacesEarlier).toBe(true)
  })
})

describe('an editor correcting a form in the form builder', () => {
  it('follows a problem\'s link to the input, which says what is wrong, and keeps focus on a moved field\'s button', async () => {
    const { services } = (await admin.get<{ services: Exported[] }>('/api/manage/catalogue/export?dept=SZRS')).body
    const { code, form } = services.find(s => (s.form?.fields.length ?? 0) >= 2)!
    const [first, second] = [form!.fields[0]!, form!.fields[1]!]
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}/form`)
    await settled(page)
    const rows = page.locator('section[aria-labelledby="fb-fields"] ol > li')
    const validity = page.locator('section[aria-labelledby="fb-validity"]')

    // the second field is given the first one's key, and closed again
    const toggle = rows.nth(1).locator('button[aria-expanded]')
    await toggle.click()
    await rows.nth(1).getByLabel(zh.builder.key).fill(first.key)
    await toggle.click()
    const link = validity.getByRole('link', { name: zh.formRule.keyDuplicate })
    await expect.poll(() => link.count()).toBe(1)
    expect(await link.textContent()).toContain(zh.builder.fieldN.replace('{n}', '2').replace('{name}', second.label.zh))
    // closed, the field says it has a problem, and its Edit button is described by that
    const note = zh.builder.fieldProblems.replace('{n}', '1')
    expect(await rows.nth(1).textContent()).toContain(note)
    expect(await toggle.evaluate((e) => {
      const id = e.getAttribute('aria-describedby')
      return id ? document.getElementById(id)?.textContent?.trim() : null
    })).toBe(note)

    await link.focus()
    await page.keyboard.press('Enter')
    const target = (await link.getAttribute('href'))!.slice(1)
    await expect.poll(() => focusedId(page)).toBe(target)
    const input = page.locator(`#${target}`)
    expect(await input.inputValue()).toBe(first.key)
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    expect(await description(page, target)).toContain(zh.formRule.keyDuplicate)
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')

    // moved to the top, the field keeps focus on its own "down" button ("up" is disabled there)
    await rows.nth(1).getByRole('button', { name: zh.rows.upLabel.replace('{what}', second.label.zh).replace('{n}', '2') }).click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toBe(zh.rows.downLabel.replace('{what}', second.label.zh).replace('{n}', '1'))
    // the problem is now the other field's: the later of two fields with one key
    expect(await link.textContent()).toContain(zh.builder.fieldN.replace('{n}', '2').replace('{name}', first.label.zh))
  })

  it('brackets each field\'s summary as the page\'s language writes it: full-width in Chinese, ASCII in English', async () => {
    const { services } = (await admin.get<{ services: Exported[] }>('/api/manage/catalogue/export?dept=SZRS')).body
    // a required field shown always: its summary is type · key · required
    const plain = (f: NonNullable<Exported['form']>['fields'][number]) => !!f.required && !f.showIf
    const { code, form } = services.find(s => s.form?.fields.some(plain))!
    const i = form!.fields.findIndex(plain)
    const field = form!.fields[i]!
    const page = await pageAs(admin)
    for (const [prefix, m, summary] of [
      ['', zh, `（${zh.fieldType[field.type]} · ${field.key} · ${zh.builder.required}`],
      ['/en', en, ` (${en.fieldType[field.type]} · ${field.key} · ${en.builder.required}`],
    ] as const) {
      await page.goto(`${prefix}/manage/catalogue/${code}/form`)
      await settled(page)
      const heading = (await page.locator('section[aria-labelledby="fb-fields"] ol > li').nth(i).locator('h3').textContent())!
      expect(heading).toContain(summary)
      expect(heading.trim()).toMatch(m === zh ? /）$/ : /\)$/)
      if (m === en) expect(heading).not.toMatch(/[（）]/)
    }
  })
})

describe('two editors of one department editing the same guide', () => {
  it('tells the second that the first changed the draft, loads it on request, and never publishes a draft its editor has not seen', async () => {
    const code = 'SZRS-0005'
    const clerk = await signedIn(suite.url, 'clerk')
    const clerkName = (await clerk.get<{ name: string }>('/api/auth/me')).body.name
    const adminName = (await admin.get<{ name: string }>('/api/auth/me')).body.name
    const before = (await new Client(suite.url).get<{ hours: string, location: string }>(`/api/services/${code}`)).body
    const [a, b] = [await pageAs(clerk), await pageAs(admin)]
    for (const page of [a, b]) {
      await page.goto(`/manage/catalogue/${code}`)
      await settled(page)
    }
    const save = async (page: Page) => page.locator('#guide-editor button[type="submit"]').click()
    const publish = (page: Page) => page.getByRole('button', { name: new RegExp(`^${zh.editor.publish.split('{v}')[0]}`) })
    const says = (page: Page, role: 'status' | 'alert', text: string) => expect.poll(() => page.getByRole(role).filter({ hasText: text }).count()).toBe(1)
    /** The alert of a refused save or publication, with who changed the draft since. */
    const changedBy = async (page: Page, who: string) => {
      const [head, tail] = zh.editor.draftChanged.replace('{who}', who).split('{time}') as [string, string]
      await says(page, 'alert', head)
      expect(await page.getByRole('alert').filter({ hasText: head }).textContent()).toContain(tail.trim())
    }

    // A changes the hours and saves; B, who opened the same draft, changes the location and saves
    await a.locator('#g-hours').fill('工作日 8:30-12:00')
    await save(a)
    await says(a, 'status', zh.editor.saved)
    await b.locator('#g-location').fill('市民中心A区')
    await save(b)
    await changedBy(b, clerkName)
    // B's save was refused: A's change stands, and B's edit is still on B's page until B chooses
    const draft = async () => (await admin.get<{ draft: { guide: { hours: string, location: string } } }>(`/api/manage/services/${code}`)).body.draft.guide
    expect(await draft()).toMatchObject({ hours: '工作日 8:30-12:00', location: before.location })
    expect(await b.locator('#g-location').inputValue()).toBe('市民中心A区')
    expect(await b.locator('#guide-editor button[type="submit"]').isDisabled()).toBe(true)
    expect(await b.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
    const violations = await axeViolations(b)
    expect(violations, describeViolations(violations)).toEqual([])

    await b.getByRole('button', { name: zh.editor.loadCurrentDraft }).click()
    await says(b, 'status', zh.editor.loaded)
    expect(await b.locator('#g-hours').inputValue()).toBe('工作日 8:30-12:00')
    expect(await b.locator('#g-location').inputValue()).toBe(before.location)
    await b.locator('#g-location').fill('市民中心A区')
    await save(b)
    await says(b, 'status', zh.editor.saved)

    // A's editor shows nothing unsaved, but not B's location: publishing is refused, nothing is published
    await publish(a).click()
    await changedBy(a, adminName)
    expect((await new Client(suite.url).get<{ hours: string, location: string }>(`/api/services/${code}`)).body).toMatchObject(before)

    await a.getByRole('button', { name: zh.editor.loadCurrentDraft }).click()
    await says(a, 'status', zh.editor.loaded)
    expect(await a.locator('#g-location').inputValue()).toBe('市民中心A区')
    await publish(a).click()
    await says(a, 'status', zh.editor.published)
    expect((await new Client(suite.url).get(`/api/services/${code}`)).body).toMatchObject({ hours: '工作日 8:30-12:00', location: '市民中心A区' })
  })
})

describe('two editors of one department building the same form', () => {
  it('tells the second that the first saved the form draft, and publishes what the second saw after loading it', async () => {
    const { services } = (await admin.get<{ services: Exported[] }>('/api/manage/catalogue/export?dept=SZRS')).body
    const { code, form } = services.find(s => s.code !== 'SZRS-0005' && (s.form?.fields.length ?? 0) >= 3)!
    type Field = NonNullable<Exported['form']>['fields'][number]
    const [first, second, third] = form!.fields.slice(0, 3) as [Field, Field, Field]
    const clerk = await signedIn(suite.url, 'clerk')
    const clerkName = (await clerk.get<{ name: string }>('/api/auth/me')).body.name
    const [a, b] = [await pageAs(clerk), await pageAs(admin)]
    for (const page of [a, b]) {
      await page.goto(`/manage/catalogue/${code}/form`)
      await settled(page)
    }
    const up = (page: Page, label: string, n: number) => page.getByRole('button', { name: zh.rows.upLabel.replace('{what}', label).replace('{n}', String(n)) }).click()
    const keys = async () => (await admin.get<{ formDraft: { definition: { fields: { key: string }[] } } | null }>(`/api/manage/services/${code}`)).body.formDraft?.definition.fields.map(f => f.key)

    // A moves the second field to the top and saves; B, on the form as it was, moves the third up and saves
    await up(a, second.label.zh, 2)
    await a.getByRole('button', { name: zh.builder.saveDraft, exact: true }).click()
    await expect.poll(() => a.getByRole('status').filter({ hasText: zh.builder.saved }).count()).toBe(1)
    await up(b, third.label.zh, 3)
    await b.getByRole('button', { name: zh.builder.saveDraft, exact: true }).click()
    const head = zh.builder.draftChanged.replace('{who}', clerkName).split('{time}')[0]
    await expect.poll(() => b.getByRole('alert').filter({ hasText: head }).count()).toBe(1)
    expect((await keys())!.slice(0, 3)).toEqual([second.key, first.key, third.key])
    expect(await b.getByRole('button', { name: zh.builder.publish }).isDisabled()).toBe(true)

    await b.getByRole('button', { name: zh.builder.loadCurrentDraft }).click()
    await expect.poll(() => b.getByRole('status').filter({ hasText: zh.builder.loaded }).count()).toBe(1)
    await b.getByRole('button', { name: zh.builder.publish }).click()
    await expect.poll(() => b.getByRole('status').filter({ hasText: zh.builder.published }).count()).toBe(1)
    const published = (await new Client(suite.url).get<{ form: { fields: { key: string }[] } }>(`/api/services/${code}`)).body.form
    expect(published.fields.slice(0, 3).map(f => f.key)).toEqual([second.key, first.key, third.key])
  })
})

describe('an editor whose work cannot be saved, or who leaves it', () => {
  it('is told the session ended, not to try again later, and the typed work stays', async () => {
    const editor = await signedIn(suite.url, 'admin')
    const page = await pageAs(editor)
    await page.goto('/manage/catalogue/SZRS-0004')
    await settled(page)
    const name = page.locator('#g-name')
    await name.fill('社会保障卡申领（修订）')
    expect((await editor.post('/api/auth/logout')).status).toBe(200)
    await page.getByRole('button', { name: zh.editor.saveDraft, exact: true }).first().click()
    await page.getByText(zh.editor.signedOut).first().waitFor()
    expect(await page.getByText(zh.editor.failed).count()).toBe(0)
    expect(await name.inputValue()).toBe('社会保障卡申领（修订）')
  })

  it('on the new item page, is asked before a typed guide is thrown away', async () => {
    const page = await pageAs(await signedIn(suite.url, 'admin'))
    await page.goto('/manage/catalogue/new')
    await settled(page)
    await page.locator('#g-name').fill('新的事项')
    const asked: string[] = []
    page.once('dialog', (d) => {
      asked.push(d.message())
      void d.dismiss()
    })
    await page.getByRole('link', { name: zh.editor.back }).click()
    await expect.poll(() => asked).toEqual([zh.editor.leaveUnsaved])
    expect(new URL(page.url()).pathname).toBe('/manage/catalogue/new')
  })

  it('whose item could not be read is told so under its code, with a retry, not shown a blank page', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/catalogue')
    await settled(page)
    const failing = '**/api/manage/services/SZRS-0004'
    await page.route(failing, route => route.fulfill({ status: 500, json: { statusCode: 500, message: 'failed' } }))
    // a navigation inside the portal: the item is read by the browser, which fails
    await page.evaluate(() => {
      const app = (document.getElementById('__nuxt') as HTMLElement & { __vue_app__: { config: { globalProperties: { $router: { push: (p: string) => Promise<unknown> } } } } }).__vue_app__
      return app.config.globalProperties.$router.push('/manage/catalogue/SZRS-0004').then(() => undefined)
    })
    const failed = page.getByRole('alert').filter({ hasText: '未能读取这些内容' })
    await failed.waitFor()
    await page.getByRole('heading', { level: 1, name: 'SZRS-0004' }).waitFor()
    await page.unroute(failing)
    await failed.getByRole('button').click()
    await page.locator('#g-name').waitFor()
    expect(await page.locator('#g-name').inputValue()).not.toBe('')
  })

  it('previews a file field without uploading anything', async () => {
    const page = await pageAs(admin)
    await page.goto('/manage/catalogue/SZRS-0004/form')
    await settled(page)
    const preview = page.locator('section').filter({ has: page.getByRole('heading', { name: zh.builder.preview }) })
    await preview.getByText(form.file.previewOnly).first().waitFor()
    const inputs = preview.locator('input[type="file"]')
    expect(await inputs.count()).toBeGreaterThan(0)
    for (const input of await inputs.all()) expect(await input.isDisabled()).toBe(true)
    expect(await preview.getByRole('button', { name: form.file.fromLibrary }).count()).toBe(0)
  })
})
