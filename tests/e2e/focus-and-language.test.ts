/**
 * A keyboard and screen-reader user's story after in-page actions, and an English reader's story
 * on pages whose data is partly Chinese: focus never falls to <body> (WCAG 2.4.3), the focus ring
 * stands out (1.4.11), the clerk's queue reflows at 320 px in large-text mode (1.4.10), the
 * header's words stand on one line in large text, and
 * department names are English on English pages, with Chinese-only data marked lang="zh-CN" (3.1.2);
 * and times are Shenzhen's whatever zone the person's computer keeps.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, hasHorizontalScroll, seen, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, demoPerson, registerCitizen, submitOnline } from '../support/fixtures'

// the year of demo cases gives the clerk's queue more than one page
const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let clerk: Client
let citizen: Client
/** Contexts a test makes with browser.newContext, closed below: the suite closes only those it made. */
const contexts: BrowserContext[] = []

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
})

afterAll(async () => {
  for (const c of contexts) await c.close()
})

async function pageAs(who: Client | null, opts: { width?: number, largeText?: boolean, timezoneId?: string } = {}): Promise<Page> {
  const { context } = await suite.newContext(opts)
  if (who) {
    await addSession(context, suite.url, who)
  }
  return context.newPage()
}

/** What has focus, in words a failure message can show. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { tag: el?.tagName ?? '', role: el?.getAttribute('role') ?? '', text: (el?.textContent ?? '').trim().slice(0, 80), disabled: (el as HTMLButtonElement | null)?.disabled ?? false }
})

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

describe('a clerk working by keyboard', () => {
  it('after accepting a case, lands on the notice that says it was done', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'focus-after-action')
    const page = await pageAs(clerk)
    await page.goto(`/clerk/cases/${caseNo}`)
    await waitForHydration(page)
    await page.locator('input[name="action"][value="accept"]').check()
    await page.locator('form button[type="submit"]').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'P', role: 'status' })
    expect((await focused(page)).text).toMatch(/受理|Accept/)
  })

  it('choosing Return without a reason gets a summary that says what is wrong, not only where', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'return-no-reason')
    const page = await pageAs(clerk)
    await page.goto(`/en/clerk/cases/${caseNo}`)
    await waitForHydration(page)
    await page.locator('input[name="action"][value="return"]').check()
    await page.locator('form button[type="submit"]').click()
    const link = page.getByRole('alert').getByRole('link')
    await expect.poll(() => link.textContent()).toMatch(/^Reason \(the applicant will read it\): \S/)
  })

  it('reaching the last page with Next keeps focus on the pager, not on <body>', async () => {
    const all = await clerk.get<{ total: number }>('/api/cases?pageSize=20')
    const pages = Math.ceil(all.body.total / 20)
    expect(pages, 'the demo history gives the queue several pages').toBeGreaterThan(1)
    const page = await pageAs(clerk)
    await page.goto(`/clerk?status=&page=${pages - 1}`)
    await waitForHydration(page)
    await page.getByRole('button', { name: '下一页' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.url()).toContain(`page=${pages}`)
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'BUTTON', text: '上一页', disabled: false })
  })

  it('searching the queue for something that is not a case number is told so in a live region that was already there', async () => {
    const page = await pageAs(clerk)
    await page.goto('/clerk')
    await waitForHydration(page)
    const error = page.locator('#case-search-error')
    expect(await error.getAttribute('aria-live')).toBe('assertive')
    expect((await error.textContent())?.trim()).toBe('')
    await page.getByLabel('按办件编号查询（输入开头部分）').fill('张三')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await error.textContent())?.trim()).toMatch(/\S/)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-search')
  })

  it('finds the queue without sideways scrolling on a 320-pixel screen in large-text mode', async () => {
    const page = await pageAs(clerk, { width: 320, largeText: true })
    await page.goto('/clerk', { waitUntil: 'networkidle' })
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true)
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
  it('on a wide English page, has the search button beside the input, not after a gap under the longer label', async () => {
    const page = await pageAs(clerk, { width: 1280 })
    await page.goto('/en/clerk')
    await waitForHydration(page)
    const input = (await page.getByLabel('Find by case number (the beginning is enough)').boundingBox())!
    const button = (await page.getByRole('search').getByRole('button', { name: 'Search' }).boundingBox())!
    // the form's gap-3 (12px) and no more
    expect(button.x - (input.x + input.width)).toBeLessThanOrEqual(13)
    expect(input.width).toBeGreaterThanOrEqual(256)
  })
})

describe('the header in large-text mode', () => {
  /** Where the words of an element stand on the screen: the middle of their line. */
  const wordsMiddle = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => {
    const range = document.createRange()
    range.selectNodeContents(el)
    const box = range.getBoundingClientRect()
    return box.top + box.height / 2
  })

  it('puts the words of the sign-out button on the line of the links beside it', async () => {
    const page = await pageAs(citizen, { width: 390, largeText: true })
    await page.goto('/')
    await waitForHydration(page)
    const name = await wordsMiddle(page, `.site-header a:text-is("${demoPerson('citizen').name}")`)
    const signOut = await wordsMiddle(page, '.site-header button:text-is("退出")')
    const largeText = await wordsMiddle(page, '.site-header a:text-is("大字模式")')
    expect(Math.abs(signOut - name)).toBeLessThanOrEqual(2)
    expect(Math.abs(largeText - name)).toBeLessThanOrEqual(2)
  })
})

describe('a catalogue address past the last page', () => {
  it('says there is nothing on that page and links to the last one, which lists services', async () => {
    const page = await pageAs(null)
    await page.goto('/services?page=999')
    await waitForHydration(page)
    const note = page.getByText(/^第 999 页已经没有事项（共 \d+ 页）。/)
    await note.waitFor()
    const last = Number(/共 (\d+) 页/.exec(await note.innerText())![1])
    expect(last).toBeGreaterThan(1)
    await page.getByRole('link', { name: `转到第 ${last} 页` }).click()
    await page.waitForURL(url => url.searchParams.get('page') === String(last))
    await page.getByText(new RegExp(`^第 ${last} 页，共 ${last} 页（\\d+ 个事项）$`)).waitFor()
    expect(await page.locator('main ul li').count()).toBeGreaterThan(0)
  })

  it('says a search the server could not answer failed, not that the filter is wrong, and reads it again on request', async () => {
    const page = await pageAs(null)
    await page.goto('/services')
    await waitForHydration(page)
    // every try fails (the fetch tries a 500 twice) until the server is back
    const failing = '**/api/services?*'
    await page.route(failing, route => route.fulfill({ status: 500, json: { statusCode: 500, message: 'Internal Server Error' } }))
    await page.getByLabel('服务对象').selectOption({ index: 1 })
    const failed = page.getByRole('alert').filter({ hasText: '办事目录暂时无法读取，请稍后重试。' })
    await failed.waitFor()
    expect(await page.getByText('查询条件有误').count()).toBe(0)
    await page.unroute(failing)
    await failed.getByRole('button').click()
    await page.getByRole('status').filter({ hasText: /共找到 \d+ 个事项/ }).waitFor()
    expect(await failed.count()).toBe(0)
    expect(await focused(page)).toMatchObject({ tag: 'H2' })
    // a filter the server refuses is the person's to change
    await page.goto('/services?depth=9')
    await page.getByRole('alert').filter({ hasText: '查询条件有误，请修改后重试。' }).waitFor()
  })

  it('gives the search\'s examples as a visible hint read with the box, not a pale placeholder that goes at the first key', async () => {
    const page = await pageAs(null)
    await page.goto('/services')
    const box = page.getByRole('searchbox', { name: '搜索服务事项' })
    await box.fill('社保')
    const hint = page.getByText('输入事项名称或关键词，如 社保、护照、落户')
    await hint.waitFor({ state: 'visible' })
    expect(await box.getAttribute('aria-describedby')).toBe(await hint.getAttribute('id'))
    expect(await box.getAttribute('placeholder')).toBeNull()
  })

  it('has headings that do not skip a level, for screen readers that move by heading', async () => {
    const page = await pageAs(null)
    await page.goto('/services?q=%E8%AF%81')
    await page.locator('main h3').first().waitFor()
    const levels = await page.locator('main :is(h1, h2, h3, h4)').evaluateAll(hs => hs.map(h => Number(h.tagName[1])))
    expect(levels[0]).toBe(1)
    const skips = levels.slice(1).filter((level, i) => level > levels[i]! + 1)
    expect(skips).toEqual([])
  })

  it('reaching the last page with Next keeps focus on the pager, and the new page is announced', async () => {
    const page = await pageAs(null)
    await page.goto('/services?page=999')
    await waitForHydration(page)
    const last = Number(/共 (\d+) 页/.exec(await page.getByText(/^第 999 页已经没有事项/).innerText())![1])
    await page.goto(`/services?page=${last - 1}`)
    await waitForHydration(page)
    await page.getByRole('button', { name: '下一页' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('page') === String(last))
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'BUTTON', text: '上一页', disabled: false })
    // the position is in a live region, read out while focus stays on the pager
    const position = page.getByRole('navigation', { name: /^分页：/ }).locator('[aria-live="polite"]')
    await expect.poll(() => position.textContent()).toMatch(new RegExp(`^第 ${last} 页，共 ${last} 页`))
  })
})

describe('the guide of an item meant to be handled online whose form is not open yet', () => {
  it('says the form is not open yet, instead of claiming fully online and sending people to the counter at once', async () => {
    // SZRS-0006: depth 4 in the catalogue, no published form
    const page = await pageAs(null)
    await page.goto('/services/SZRS-0006')
    await page.getByText(/^本事项的网上申请表尚未开放，目前请到现场办理：/).waitFor()
    // the depth the catalogue gives, with what is missing for it
    expect(await page.getByText(/（网上申请表尚未开放）$/).count()).toBe(1)
    expect(await page.getByText(/^本事项请到现场办理：/).count()).toBe(0)
    expect(await page.getByRole('link', { name: '在线申请' }).count()).toBe(0)
    // nor that no visit is needed: that is once the form is open
    const visits = page.locator('xpath=//dt[normalize-space()="到办事现场次数"]/following-sibling::dd[1]')
    expect((await visits.innerText()).trim()).toMatch(/^目前需到现场办理（网上申请表开放后 0 次）/)
    // and its card in the catalogue says the same beside its depth
    await page.goto('/services?q=SZRS-0006')
    const card = page.getByRole('main').locator('li', { has: page.locator('a[href$="/services/SZRS-0006"]') })
    expect(await card.innerText()).toContain('Ⅳ级 全程网办（网上申请表尚未开放）')
  })
})

describe('a guide whose law counts its time limit in natural days', () => {
  /** The text of the definition that follows the term `term` on the page. */
  const definition = (page: Page, term: string) => page.locator(`xpath=//dt[normalize-space()="${term}"]/following-sibling::dd[1]`).innerText()

  it('gives the legal limit in natural days and the promise in working days, in both languages, and the editor shows the choice', async () => {
    // 居民身份证法 第十条: 六十日; the department promises 20 working days
    const page = await pageAs(null)
    await page.goto('/services/SZGA-0001')
    expect(await definition(page, '法定办结时限')).toBe('60 个自然日')
    expect(await definition(page, '承诺办结时限')).toBe('20 个工作日')
    await page.goto('/en/services/SZGA-0001')
    expect(await definition(page, 'Legal time limit')).toBe('60 calendar days')
    expect(await definition(page, 'Promised time limit')).toBe('20 working days')
    // an approval under the administrative licensing law counts working days
    await page.goto('/services/SZRS-0004')
    expect(await definition(page, '法定办结时限')).toBe('20 个工作日')

    const editor = await pageAs(await signedIn(suite.url, 'admin'))
    await editor.goto('/manage/catalogue/SZGA-0001')
    await waitForHydration(editor)
    expect(await editor.getByLabel('法定办结时限的计算方式').inputValue()).toBe('natural')
    // a promise longer than 60 natural days can hold is refused where it is typed
    await editor.locator('#g-promisedLimitDays').fill('43')
    // and so is 免提交 on a material the applicant or an agency provides: the department has nowhere to fetch it from
    const guide = (await citizen.get<{ materials: { source: string }[] }>('/api/services/SZGA-0001')).body
    expect(guide.materials.some(m => m.source !== 'government')).toBe(true)
    const own = guide.materials.findIndex(m => m.source !== 'government')
    await editor.locator(`#g-materials-${own}-fetched`).check()
    await editor.locator('#guide-editor button[type="submit"]').click()
    await editor.getByText('每 7 个自然日至多折合 5 个工作日').first().waitFor()
    const box = editor.locator(`#g-materials-${own}-fetched`)
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    expect(await editor.locator(`#${await box.getAttribute('aria-describedby')}`).innerText()).toContain('只有政府部门核发的材料可由部门自行获取')
  })
})

describe('a guide\'s materials the department obtains itself', () => {
  it('marks them as not needed from the applicant, and only them', async () => {
    const page = await pageAs(null)
    await page.goto('/services/SZRS-0004')
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: new RegExp(`^${name}`) }) })
    expect(await row('居民身份证').innerText()).toContain('免提交：由部门通过电子证照库或共享数据获取')
    expect(await row('近期免冠彩色数码照片回执').innerText()).not.toContain('免提交')
    await page.goto('/en/services/SZRS-0004')
    expect(await row('居民身份证').innerText()).toContain('Not needed from you')
  })

  it('on a phone in large text, lists each material as a card with every fact, not a table cut to three columns', async () => {
    const page = await pageAs(null, { width: 375, largeText: true })
    await page.goto('/services/SZRS-0004')
    await waitForHydration(page)
    const section = page.getByRole('region', { name: '申请材料', exact: true })
    // the table is not shown at this width, and nothing in the section scrolls sideways
    expect(await section.getByRole('table').count()).toBe(0)
    const card = section.getByRole('listitem').filter({ hasText: /^居民身份证/ })
    const text = await card.innerText()
    for (const fact of ['是否必需', '材料形式', '份数', '来源渠道', '免提交：由部门通过电子证照库或共享数据获取']) expect(text).toContain(fact)
    expect(await section.evaluate(el => el.scrollWidth <= el.clientWidth)).toBe(true)
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})

describe('the focus ring', () => {
  it.each([false, true])('contrasts at least 3:1 with white and the page grey (large text: %s)', async (largeText) => {
    const page = await pageAs(null, { largeText })
    await page.goto('/services')
    await waitForHydration(page)
    await page.keyboard.press('Tab')
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!)
      return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth), color: s.outlineColor.match(/\d+/g)!.slice(0, 3).map(Number) }
    })
    expect(ring.style).toBe('solid')
    expect(ring.width).toBeGreaterThanOrEqual(3)
    expect(contrast(ring.color, [255, 255, 255])).toBeGreaterThanOrEqual(3)
    expect(contrast(ring.color, [0xF5, 0xF7, 0xFA])).toBeGreaterThanOrEqual(3)
  })
})

describe('an English reader', () => {
  const han = /\p{Script=Han}/u

  it('reads the department in English on the clerk case page and the service guide', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'english-department')
    const page = await pageAs(clerk)
    await page.goto(`/en/clerk/cases/${caseNo}`)
    const line = await page.locator('article header p.text-lg').textContent()
    expect(line).not.toMatch(han)

    const anonymous = await pageAs(null)
    await anonymous.goto(`/en/services/${CLERK_SERVICE}`)
    expect(await anonymous.locator('article header p').first().textContent()).not.toMatch(han)
    // the guide's conditions exist only in Chinese, and say so
    expect(await anonymous.locator('section[aria-labelledby="conditions"] ol').getAttribute('lang')).toBe('zh-CN')
  })

  it('is told that a guide\'s details are in Chinese only, and reads the search\'s Chinese examples marked as Chinese', async () => {
    const page = await pageAs(null)
    await page.goto(`/en/services/${CLERK_SERVICE}`)
    await page.getByText('are published in Chinese only').waitFor()
    await page.goto('/en/services')
    const hint = page.locator('#service-search-hint')
    expect(await hint.innerText()).toMatch(/^Name or keyword, e\.g\. /)
    const chinese = await hint.evaluate(p => [...p.querySelectorAll('span')].filter(s => /\p{Script=Han}/u.test(s.textContent ?? '')).map(s => s.getAttribute('lang')))
    expect(chinese).toEqual(['zh-CN', 'zh-CN'])
    // and nothing Chinese outside them
    expect(await hint.evaluate(p => [...p.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''))).not.toMatch(han)
    // the Chinese page names no language on its own words
    await page.goto('/services')
    expect(await page.locator('#service-search-hint span[lang]').count()).toBe(0)
    expect(await page.getByText('本指南的内容以中文发布').count()).toBe(0)
  })

  it('sees English department names on service cards, and the API sends them', async () => {
    const res = await citizen.get<{ items: { department: { name: string, nameEn: string } }[] }>('/api/services?q=社保')
    expect(res.body.items[0]?.department.nameEn).toMatch(/^[^\p{Script=Han}]+$/u)
    const page = await pageAs(null)
    await page.goto('/en/services?q=社保')
    const meta = await page.locator('main li p.text-sm').first().textContent()
    expect(meta).not.toMatch(han)
  })

  it('sees English names on the supervision page', async () => {
    const manager = await signedIn(suite.url, 'manager')
    const page = await pageAs(manager)
    await page.goto('/en/manage/supervision')
    const names = await page.locator('section[aria-labelledby="sup-depts"] tbody th').allTextContents()
    expect(names.length).toBeGreaterThan(0)
    for (const n of names) expect(n).not.toMatch(han)
  })
})

describe('an applicant whose computer keeps New York time', () => {
  /** hours and minutes of an instant in a zone, 24-hour clock */
  const clockIn = (zone: string, at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)

  it('is told when the draft was saved in Shenzhen time, and reads the case history in the same style', async () => {
    const page = await pageAs(citizen, { timezoneId: 'America/New_York' })
    await page.goto(`/en/services/${CLERK_SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    await waitForHydration(page)
    const before = new Date()
    await page.getByRole('button', { name: 'Save draft' }).click()
    const status = await page.getByRole('status').filter({ hasText: 'Draft saved at' }).textContent()
    const after = new Date()
    // the minute may turn between the click and the answer
    const shenzhen = [clockIn('Asia/Shanghai', before), clockIn('Asia/Shanghai', after)]
    expect(shenzhen.some(hm => status?.includes(`Draft saved at ${hm}`)), `${status} is not one of ${shenzhen.join(', ')}`).toBe(true)
    expect(status).not.toContain(clockIn('America/New_York', before))

    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'time-zone')
    await page.goto(`/en/me/cases/${caseNo}`)
    // an instant of the history (a deadline is a day: <time datetime="YYYY-MM-DD">, written as one)
    const submitted = page.locator('time[datetime*="T"]').first()
    const at = new Date((await submitted.getAttribute('datetime'))!)
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', day: 'numeric', month: 'long', year: 'numeric' }).format(at)
    expect(await submitted.textContent()).toBe(`${day} at ${clockIn('Asia/Shanghai', at)}`)
    const deadline = page.locator('time[datetime]:not([datetime*="T"])').first()
    const due = (await deadline.getAttribute('datetime'))!
    expect(await deadline.textContent()).toBe(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(new Date(`${due}T12:00:00+08:00`)))
  })
})

describe('an administrator importing items', () => {
  it('is told why a file was refused, at the field, instead of "0 problems"', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const page = await pageAs(admin)
    await page.goto('/en/manage/catalogue/import')
    await waitForHydration(page)
    await page.getByLabel('Or paste the JSON').fill(JSON.stringify({ services: Array.from({ length: 5001 }, () => null) }))
    await page.getByRole('button', { name: 'Check (writes nothing)' }).click()
    const field = page.getByLabel('Or paste the JSON')
    await expect.poll(() => field.evaluate(el => el === document.activeElement)).toBe(true)
    const describedBy = await field.getAttribute('aria-describedby')
    expect(await page.locator(`#${describedBy}`).textContent()).toContain('At most 5000 items can be imported at once')
    expect(await page.getByText(/0 problems/).count()).toBe(0)
  })

  it('reads a passed check as passed, without a failure beside it', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const exported = (await admin.get<{ services: { code: string }[] }>('/api/manage/catalogue/export?dept=SZYC')).body.services[0]!
    const page = await pageAs(admin)
    await page.goto('/en/manage/catalogue/import')
    await waitForHydration(page)
    await page.getByLabel('Or paste the JSON').fill(JSON.stringify({ services: [exported] }))
    await page.getByRole('button', { name: 'Check (writes nothing)' }).click()
    await expect.poll(() => page.getByText('The item passes the check').count()).toBe(1)
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.getByRole('table').count()).toBe(0)
  })

  it('is warned before a withdrawn item is published again by an import', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const exported = (await admin.get<{ services: { code: string }[] }>('/api/manage/catalogue/export?dept=SZQX')).body.services[0]!
    expect((await admin.post(`/api/manage/services/${exported.code}/withdraw`, {})).status).toBe(200)
    const page = await pageAs(admin)
    await page.goto('/en/manage/catalogue/import')
    await waitForHydration(page)
    await page.getByLabel('Or paste the JSON').fill(JSON.stringify({ services: [exported] }))
    await page.getByRole('button', { name: 'Check (writes nothing)' }).click()
    await expect.poll(() => page.getByText(`importing publishes them again: ${exported.code}`).count()).toBe(1)
    // the check passed: that is said, and no failure beside it
    expect(await page.getByText('The item passes the check').count()).toBe(1)
    expect(await page.getByRole('alert').filter({ hasText: 'nothing was written' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect.poll(() => page.getByText(`Published again (they had been withdrawn): ${exported.code}`).count()).toBe(1)
    expect(await page.getByRole('alert').filter({ hasText: 'nothing was written' }).count()).toBe(0)
    expect((await admin.get(`/api/services/${exported.code}`)).status).toBe(200)
  })
})

describe('a person applying for an item for organisations', () => {
  it('without an organisation is told to add one first, with a link to it', async () => {
    const citizen2 = await signedIn(suite.url, 'citizen2')
    const page = await pageAs(citizen2)
    await page.goto('/en/services/SZGA-0017/apply')
    await waitForHydration(page)
    await expect.poll(() => page.getByText('This service is applied for on behalf of an organisation').count()).toBe(1)
    const link = page.getByRole('link', { name: 'Add an organisation in My account' })
    expect(await link.getAttribute('href')).toBe('/en/me#organizations-title')
    expect(await page.getByRole('radio', { name: 'Myself' }).count()).toBe(0)
  })

  it('with an organisation, chooses whom to apply for by keyboard and lands on the form\'s heading, not on <body>', async () => {
    const citizen2 = await signedIn(suite.url, 'citizen2')
    expect((await citizen2.post('/api/me/organizations', { name: '深圳市焦点测试有限公司', uscc: '91440300MA51000016' })).status).toBe(201)
    const page = await pageAs(citizen2)
    await page.goto('/services/SZJT-0003/apply')
    await waitForHydration(page)
    const me = page.getByRole('radio', { name: '以个人身份申请' })
    await me.waitFor()
    await me.focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1' })
  })

  it('whose organisations could not be read is told the form did not load, not to add one', async () => {
    const page = await pageAs(citizen)
    const failing = '**/api/me/organizations'
    await page.route(failing, route => route.fulfill({ status: 500, json: { statusCode: 500, message: 'failed' } }))
    await page.goto('/services/SZGA-0017/apply')
    await waitForHydration(page)
    const failed = page.getByRole('alert').filter({ hasText: '申请表加载失败，请检查网络后重试' })
    await failed.waitFor()
    expect(await page.getByText('本事项须以单位名义申请').count()).toBe(0)
    await page.unroute(failing)
    await failed.getByRole('button').click()
    await expect.poll(() => failed.count()).toBe(0)
  })
})

describe('an administrator editing a guide by keyboard, in either language', () => {
  const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')
  const han = /\p{Script=Han}/u

  it('keeps focus in the list after removing or moving a row, and on "Add" when the list is empty', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${CLERK_SERVICE}`)
    await waitForHydration(page)
    // the item's four steps: removing the second lands on the row now in its place
    await page.getByRole('button', { name: '删除办理流程第 2 项' }).press('Enter')
    await expect.poll(() => activeId(page)).toBe('g-steps-1-remove')
    // moving the first step down follows it to its new place
    const first = await page.locator('#g-steps-0-name').inputValue()
    await page.getByRole('button', { name: '下移办理流程第 1 项' }).press('Enter')
    await expect.poll(() => activeId(page)).toBe('g-steps-1-down')
    expect(await page.locator('#g-steps-1-name').inputValue()).toBe(first)
    // removing the last row lands on the new last one
    await page.getByRole('button', { name: '删除办理流程第 3 项' }).press('Enter')
    await expect.poll(() => activeId(page)).toBe('g-steps-1-remove')
    // the item has no fees and no intermediary services: a row added and removed again leaves focus on "Add"
    for (const [list, what] of [['fees', '收费项目'], ['intermediaryServices', '中介服务']] as const) {
      await page.locator(`#g-${list}`).press('Enter')
      await expect.poll(() => activeId(page)).toMatch(new RegExp(`^g-${list}-0-`))
      await page.getByRole('button', { name: `删除${what}第 1 项` }).press('Enter')
      await expect.poll(() => activeId(page)).toBe(`g-${list}`)
    }
    // so does removing the only legal basis
    await page.getByRole('button', { name: '删除设定依据第 1 项' }).press('Enter')
    await expect.poll(() => activeId(page)).toBe('g-legalBasis')
  })

  it('reads the English error summary in English punctuation and in the order of the page', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const page = await pageAs(admin)
    await page.goto(`/en/manage/catalogue/${CLERK_SERVICE}`)
    await waitForHydration(page)
    expect(await page.locator('main header dl').textContent()).toMatch(/Item code: /)
    const theme = (await page.locator('label[for="g-themes"]').textContent())?.trim()
    expect(theme).toMatch(/ \(\w+\)$/)
    expect(theme).not.toMatch(/[（）]/)
    // the schema checks visits before the legal time limit; the page shows the limit first
    await page.locator('#g-legalLimitDays').fill('')
    await page.locator('#g-visits').fill('9')
    await page.locator('#guide-editor button[type="submit"]').click()
    const links = page.getByRole('alert').getByRole('link')
    await expect.poll(() => links.count()).toBeGreaterThanOrEqual(2)
    const texts = await links.allTextContents()
    expect(texts[0]).toMatch(/^Legal time limit: \S/)
    expect(texts[1]).toBe('Visits in person: Visits must be 0 to 5')
    for (const text of texts) expect(text).not.toMatch(/[：（]/)
  })

  it('reads the import problems by field name, with the path beside it, on a Chinese page', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const exported = (await admin.get<{ services: Record<string, unknown>[] }>('/api/manage/catalogue/export?dept=SZYC')).body.services[0]!
    const broken = { ...exported, legalLimitDays: 0, specialProcedures: [{ name: '专家评审', limitDays: 0, basis: '依据' }] }
    const page = await pageAs(admin)
    await page.goto('/manage/catalogue/import')
    await waitForHydration(page)
    await page.getByLabel('或粘贴 JSON 内容').fill(JSON.stringify({ services: [broken] }))
    await page.getByRole('button', { name: '检查（不写入）' }).click()
    const fields = page.getByRole('table').locator('tbody td:nth-child(2)')
    await expect.poll(() => fields.count()).toBeGreaterThanOrEqual(2)
    const texts = (await fields.allTextContents()).map(s => s.replace(/\s+/g, ' ').trim())
    expect(texts).toContain('法定办结时限 legalLimitDays')
    expect(texts).toContain('特别程序第 1 项 · 时限（天） specialProcedures[0].limitDays')
  })

  it('sees the departments of the managed items in English on the English list', async () => {
    const admin = await signedIn(suite.url, 'admin')
    const page = await pageAs(admin)
    await page.goto('/en/manage/catalogue')
    const names = await page.locator('main table tbody td:nth-child(3)').allTextContents()
    expect(names.length).toBeGreaterThan(0)
    for (const n of names) expect(n).not.toMatch(han)
  })
})

describe('a manager on the supervision page', () => {
  it('is told a bookmarked page past the end does not exist, can go back to the first, and each pager names its list', async () => {
    const manager = await signedIn(suite.url, 'manager')
    const page = await pageAs(manager)
    await page.goto('/en/manage/supervision?overduePage=99&pageSize=1')
    await waitForHydration(page)
    const notice = page.getByText(/There is no such page: this list has \d+ pages\./)
    await expect.poll(() => notice.count()).toBe(1)
    const pagers = await page.getByRole('navigation').evaluateAll(navs => navs.map(n => n.getAttribute('aria-label') ?? ''))
    expect(pagers.filter(l => /^Overdue.*: Page/i.test(l)).length).toBe(1)
    await page.getByRole('button', { name: 'Go to the first page' }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('overduePage')).toBe('1')
    await expect.poll(() => notice.count()).toBe(0)
  })
})

describe('someone whose browser has not run the page\'s JavaScript (an older phone, or it is off)', () => {
  it('searches from the home page, reads the filter chosen, and switches to large text', async () => {
    const context = await suite.browser.newContext({ baseURL: suite.url, locale: 'zh-CN', javaScriptEnabled: false })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto('/')
    await page.getByRole('searchbox').first().fill('社保')
    await page.getByRole('searchbox').first().press('Enter')
    await page.waitForURL(url => url.pathname === '/services' && url.searchParams.get('q') === '社保')
    await page.getByText(/共找到 \d+ 个事项/).waitFor()

    await page.goto('/services?dept=SZGA')
    expect(await page.locator('#f-dept').inputValue()).toBe('SZGA')
    await page.getByRole('button', { name: '大字模式' }).click()
    await page.waitForURL(url => url.pathname === '/services' && url.searchParams.get('dept') === 'SZGA')
    expect(await page.locator('html').getAttribute('class')).toContain('large-text')
    expect(await page.getByRole('button', { name: '大字模式' }).getAttribute('aria-pressed')).toBe('true')
  })
})

describe('a screen-reader user moving through a long form by keyboard', () => {
  it('hears which step and section each heading is, and is not told a field just revealed is wrong before reaching it', async () => {
    const { client: applicant } = await registerCitizen(suite.url, 9301, 'steps')
    const page = await pageAs(applicant)
    await page.goto('/services/SZRS-0003/apply')
    await page.waitForURL(url => url.searchParams.has('draft'))
    await waitForHydration(page)
    const heading = page.getByRole('heading', { level: 1 })
    await expect.poll(() => heading.innerText()).toContain('第 1 步，共 3 步：申请人信息')
    await page.getByRole('button', { name: '下一步' }).press('Enter')
    // the heading that takes focus, and the page's title, name the new step
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('第 2 步，共 3 步：离职信息')
    expect(await page.title()).toMatch(/^第 2 步，共 3 步：离职信息 - 在线申请/)

    await page.getByRole('button', { name: '下一步' }).click()
    await seen(page.locator('#field-lastEmployer-error'))
    await page.getByLabel('离职原因').selectOption({ label: '其他非本人意愿原因' })
    const revealed = await seen(page.getByLabel('其他原因说明'))
    expect(await revealed.getAttribute('aria-invalid')).not.toBe('true')
    expect(await page.locator('#field-reasonDetail-error').count()).toBe(0)
    // the fields the person tried to go on with still say what is wrong
    expect(await page.locator('#field-lastEmployer-error').count()).toBe(1)
    // the next try includes it
    await page.getByRole('button', { name: '下一步' }).click()
    await seen(page.locator('#field-reasonDetail-error'))

    await page.getByLabel('原工作单位').fill('深圳市某某科技有限公司')
    await page.getByLabel('离职日期').fill('2026-10-31')
    await revealed.fill('公司搬迁外地，本人无法随迁')
    await page.getByRole('button', { name: '下一步' }).click()
    await expect.poll(() => heading.innerText()).toContain('第 3 步，共 3 步：申领信息')
    // the step is in the address: the language switch comes back to it, and so does the switch back
    await page.waitForURL(url => url.searchParams.get('step') === '3')
    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForURL(url => url.pathname === '/en/services/SZRS-0003/apply')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('Step 3 of 3')
    await page.getByRole('link', { name: '简体中文' }).click()
    await page.waitForURL(url => url.pathname === '/services/SZRS-0003/apply')
    await expect.poll(() => heading.innerText()).toContain('第 3 步，共 3 步：申领信息')
    // the file control carries its formats and limit, and says it is required while it has no file
    const file = page.getByLabel('选择文件上传：解除或终止劳动关系证明')
    const describedBy = (await file.getAttribute('aria-describedby')) ?? ''
    const descriptions = await Promise.all(describedBy.split(' ').map(id => page.locator(`#${id}`).innerText()))
    expect(descriptions.join(' ')).toContain('支持 PDF、JPG、PNG 格式')
    expect(await file.evaluate(el => (el as HTMLInputElement).required)).toBe(true)
  })
})

describe('a citizen on a page their role may not open (403)', () => {
  it('can still switch language by keyboard, to the same refusal in the other language and back', async () => {
    const page = await pageAs(citizen)
    await page.goto('/clerk?status=submitted')
    await waitForHydration(page)
    await seen(page.getByRole('heading', { level: 1, name: '您没有权限访问此页面' }))
    const english = page.getByRole('link', { name: 'English' })
    expect(await english.getAttribute('href')).toBe('/en/clerk?status=submitted')
    await english.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.pathname === '/en/clerk')
    await seen(page.getByRole('heading', { level: 1, name: 'You cannot open this page' }))
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.getByRole('link', { name: '简体中文' }).getAttribute('href')).toBe('/clerk?status=submitted')
  })
})
