/**
 * The clerk's own pages when something goes wrong: a search text that is not a case number, an
 * item's form or the list of items that does not load, two items chosen quickly, a full ID number
 * that cannot be shown, and a session that ended (401) while the clerk was working. In each, the
 * clerk is told what happened where it happened, and nothing misleading ("try again later", an
 * error page) takes the place of the work in front of them.
 *
 * And what the page says of whom it talks to: the optional note of an action is labelled as read by
 * the applicant, and a manager (who comes from supervision and may only read) is told so and
 * linked back to supervision, not to the clerks' queue they may not open.
 *
 * And what heads the queue: the cases whose clock runs, not one returned to its applicant a month
 * ago, which says it waits on them instead of showing a deadline long past.
 *
 * The items are the demo clerk's department's (SZRS): 社会保障卡申领 (CLERK_SERVICE, a bank to
 * choose) and 职业技能培训补贴申领 (RESULT_SERVICE, a bank account to type).
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { dayText } from '../../shared/utils/date-format'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, screenshot, seen, settled, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, CLERK_SERVICE, counterCase, createDraft, demoPerson, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'

const APPLICANT = { name: '钱柜台', idNumber: syntheticIdNumber(6161), mobile: '13900006161' }
const SERVER_ERROR = { status: 500, json: { statusCode: 500, message: 'Internal Server Error' } }
const SIGNED_OUT = { status: 401, json: { statusCode: 401, message: 'Unauthorized' } }

const suite = useBrowserSuite()
let clerk: Client
let page: Page
let caseNo = ''

/** Marks the live regions now in the page, to tell later whether a message came into one of them. */
const markLiveRegions = () => page.evaluate(() => document.querySelectorAll('[role=status],[role=alert]').forEach((e) => {
  (e as HTMLElement).dataset.before = '1'
}))

/** The requests the page sends to `pathPart` from now on. */
function requestsTo(pathPart: string): string[] {
  const seenUrls: string[] = []
  page.on('request', (r) => {
    if (r.url().includes(pathPart)) seenUrls.push(`${r.method()} ${r.url()}`)
  })
  return seenUrls
}

async function openClerkPage(path: string): Promise<void> {
  await page.goto(path)
  await waitForHydration(page)
  await settled(page)
}

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  caseNo = await counterCase(clerk, RESULT_SERVICE, APPLICANT)
  page = await suite.newPage()
  await signInThroughPage(page, 'clerk')
})

describe('the queue search', () => {
  it('says by the field that a name is not a case number, and keeps the queue and its counts', async () => {
    await openClerkPage('/clerk')
    await seen(page.getByRole('link', { name: caseNo }))
    const searches = requestsTo('/api/cases?')
    const field = page.getByLabel('按办件编号查询（输入开头部分）')
    await field.fill('张三')
    await page.getByRole('button', { name: '查询', exact: true }).click()

    const note = await seen(page.locator('#case-search-error'))
    expect((await note.textContent())?.trim()).toBe('办件编号格式不正确')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await field.getAttribute('aria-describedby')).toBe('case-search-hint case-search-error')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-search')
    // the queue is still there, with its numbers, and nothing says "try again later"
    await seen(page.getByRole('link', { name: caseNo }))
    expect(await page.getByRole('link', { name: /^已提交，待受理 \([1-9]\d*\)$/ }).count()).toBe(1)
    expect(await page.getByText('操作未成功，请稍后再试。').count()).toBe(0)
    expect(searches).toEqual([])
    await screenshot(page, 'clerk-queue-search-refused')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('refuses "SZ-2026" the same way', async () => {
    await page.getByLabel('按办件编号查询（输入开头部分）').fill('SZ-2026')
    await page.keyboard.press('Enter')
    await seen(page.locator('#case-search-error').filter({ hasText: '办件编号格式不正确' }))
    await seen(page.getByRole('link', { name: caseNo }))
  })

  it('finds a case typed in lower case with spaces around it', async () => {
    await page.getByLabel('按办件编号查询（输入开头部分）').fill(`  ${caseNo.slice(0, 10).toLowerCase()} `)
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('q') === caseNo.slice(0, 10))
    await settled(page)
    await seen(page.getByRole('link', { name: caseNo }))
    // the live region stays on the page, empty, so that the next refusal is announced
    expect((await page.locator('#case-search-error').textContent())?.trim()).toBe('')
    expect(await page.getByLabel('按办件编号查询（输入开头部分）').getAttribute('aria-describedby')).toBe('case-search-hint')
    expect(await page.getByLabel('按办件编号查询（输入开头部分）').inputValue()).toBe(caseNo.slice(0, 10))
    // what the table now holds is said in a status region, since focus stayed in the field
    const shown = page.getByRole('status').filter({ hasText: /编号以/ })
    await expect.poll(async () => (await shown.innerText()).trim()).toMatch(new RegExp(`^全部，编号以 ${caseNo.slice(0, 10)} 开头：共 [1-9]\\d* 件$`))
    await page.getByLabel('按办件编号查询（输入开头部分）').fill('SZ1999')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await shown.innerText()).trim()).toBe('全部，编号以 SZ1999 开头：共 0 件')
  })

  it('looks a number up in every status, from whichever tab: a decided case is found too', async () => {
    // a counter case the applicant withdrew at the window, recorded by the clerk
    const decided = await counterCase(clerk, RESULT_SERVICE, { name: '孙撤回', idNumber: syntheticIdNumber(6162), mobile: '13900006162' })
    const withdrawn = await clerk.post(`/api/cases/${decided}/transitions`, { action: 'withdraw', comment: '申请人于窗口书面申请撤回', version: (await getCase(clerk, decided)).version })
    expect(withdrawn.status).toBe(200)
    await openClerkPage('/clerk')
    const currentTab = page.getByRole('navigation', { name: '按状态筛选' }).locator('[aria-current="page"]')
    expect(await currentTab.innerText()).toMatch(/^办理中（全部） \(\d+\)$/)
    expect(await page.getByRole('link', { name: decided }).count()).toBe(0)
    await page.getByLabel('按办件编号查询（输入开头部分）').fill(decided)
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('q') === decided)
    await settled(page)
    await seen(page.getByRole('link', { name: decided }))
    expect(await currentTab.innerText()).toMatch(/^全部 \(\d+\)$/)
  })

  it('shows the server\'s refusal of a search text by the field too, and the queue without it', async () => {
    // a rule the server may one day have that the page does not know: played back as its own 400
    const refused = await clerk.get('/api/cases?q=%E5%BC%A0')
    expect(refused.status).toBe(400)
    await page.route(url => url.pathname === '/api/cases' && url.searchParams.get('q') === 'SZ2', route => route.fulfill({ status: 400, json: refused.body }))
    await page.getByLabel('按办件编号查询（输入开头部分）').fill('SZ2')
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('q') === 'SZ2')
    await settled(page)
    await seen(page.locator('#case-search-error').filter({ hasText: '办件编号格式不正确' }))
    await seen(page.getByRole('link', { name: caseNo }))
    expect(await page.getByText('操作未成功，请稍后再试。').count()).toBe(0)
    await page.unrouteAll()
  })
})

describe('counter intake when an item\'s form does not load', () => {
  it('says so, offers to load it again, and records nothing without it', async () => {
    await page.route(`**/api/services/${CLERK_SERVICE}`, route => route.fulfill(SERVER_ERROR))
    await openClerkPage('/clerk/counter')
    const intakes = requestsTo('/api/counter-cases')
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    const alert = await seen(page.getByRole('alert').filter({ hasText: '未能读取该事项的申请表' }))
    await page.getByLabel('姓名', { exact: true }).fill(APPLICANT.name)
    await page.getByLabel('身份证号码').fill(APPLICANT.idNumber)
    await page.getByLabel('手机号码', { exact: true }).fill(APPLICANT.mobile)
    await page.getByRole('button', { name: '登记收件' }).click()

    await seen(page.getByRole('alert').getByRole('link', { name: '办理事项：未能读取该事项的申请表，暂不能登记收件。' }))
    expect(intakes).toEqual([])
    expect(await page.getByLabel('选择合作银行').count()).toBe(0)
    await screenshot(page, 'clerk-counter-guide-failed')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    // loaded again, by keyboard: the form is there and focus is back on the choice of item
    await page.unrouteAll()
    await alert.getByRole('button', { name: '重新读取申请表' }).focus()
    await page.keyboard.press('Enter')
    await seen(page.getByLabel('选择合作银行'))
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('counter-service')
    expect(await page.getByText('未能读取该事项的申请表').count()).toBe(0)
  })

  it('shows the form of the item chosen last when an earlier choice\'s form arrives late', async () => {
    await openClerkPage('/clerk/counter')
    let release = () => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route(`**/api/services/${CLERK_SERVICE}`, async (route) => {
      await held
      await route.continue()
    })
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('办理事项').selectOption({ label: '职业技能培训补贴申领' })
    await seen(page.getByLabel('本人银行账号'))
    const late = page.waitForEvent('requestfinished', r => r.url().endsWith(`/api/services/${CLERK_SERVICE}`))
    release()
    await late
    await settled(page)
    expect(await page.getByLabel('本人银行账号').count()).toBe(1)
    expect(await page.getByLabel('选择合作银行').count()).toBe(0)
    expect(await page.getByLabel('办理事项').inputValue()).toBe(RESULT_SERVICE)
    await page.unrouteAll()
  })

  it('announces the new case in a live region that was already on the page', async () => {
    await openClerkPage('/clerk/counter')
    await markLiveRegions()
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('吴窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(6262))
    await page.getByLabel('手机号码', { exact: true }).fill('13900006262')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()
    const created = await seen(page.getByRole('status').filter({ hasText: '已登记收件' }))
    expect(await created.getAttribute('data-before')).toBe('1')
  })
})

describe('the list of the department\'s items at the counter', () => {
  it('says when it does not load and loads it again on request', async () => {
    await openClerkPage('/clerk')
    await page.route(url => url.pathname === '/api/services', route => route.fulfill(SERVER_ERROR))
    await page.getByRole('link', { name: '窗口收件' }).click()
    const alert = await seen(page.getByRole('alert').filter({ hasText: '未能读取本部门的事项列表。' }))
    await page.unrouteAll()
    await alert.getByRole('button', { name: '重新读取事项列表' }).click()
    await page.getByLabel('办理事项').locator('option', { hasText: '社会保障卡申领' }).waitFor({ state: 'attached' })
    expect(await page.getByText('未能读取本部门的事项列表。').count()).toBe(0)
    // the button is gone with the alert: focus is on the choice of service, not the top of the page
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('counter-service')
  })

  it('lists every item of a department with more than one page of them', async () => {
    await openClerkPage('/clerk')
    const item = (n: number) => ({ code: `SZRS-${String(9000 + n)}`, name: `测试事项${n}`, nameEn: `Test item ${n}` })
    await page.route(url => url.pathname === '/api/services', (route) => {
      const p = Number(new URL(route.request().url()).searchParams.get('page') ?? '1')
      const items = p === 1 ? Array.from({ length: 100 }, (_, i) => item(i + 1)) : [item(101)]
      return route.fulfill({ json: { items, total: 101, page: p, pageSize: 100 } })
    })
    await page.getByRole('link', { name: '窗口收件' }).click()
    await page.getByLabel('办理事项').locator('option', { hasText: '测试事项101' }).waitFor({ state: 'attached' })
    expect(await page.getByLabel('办理事项').locator('option').count()).toBe(102)
    await page.unrouteAll()
  })
})

describe('the full ID number on the clerk\'s case page', () => {
  it('announces that it could not be shown, and shows it, with focus on it, when it can', async () => {
    await openClerkPage(`/clerk/cases/${caseNo}`)
    await markLiveRegions()
    await page.route('**/reveal', route => route.fulfill(SERVER_ERROR))
    const reveal = page.getByRole('button', { name: '显示完整身份证号码' })
    await reveal.click()
    const failed = await seen(page.getByRole('alert').filter({ hasText: '未能显示完整身份证号码，请稍后再试。' }))
    expect(await failed.getAttribute('data-before')).toBe('1')
    expect(await page.getByText(APPLICANT.idNumber).count()).toBe(0)

    await page.unrouteAll()
    await reveal.focus()
    await page.keyboard.press('Enter')
    const shown = await seen(page.getByRole('status').filter({ hasText: APPLICANT.idNumber }))
    expect(await shown.getAttribute('data-before')).toBe('1')
    expect((await shown.textContent())?.replace(/\s+/g, '')).toBe(`完整身份证号码：${APPLICANT.idNumber}`)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')), { timeout: 10_000 }).toBe('status')
    expect(await page.getByText('未能显示完整身份证号码').count()).toBe(0)
  })
})

describe('a session that ended while the clerk works', () => {
  it('opening a case gives the case page, not an error page', async () => {
    await openClerkPage('/clerk')
    await page.route(`**/api/cases/${caseNo}`, route => route.fulfill(SIGNED_OUT))
    await page.getByRole('link', { name: caseNo }).click()
    await seen(page.getByRole('heading', { level: 1, name: `办件 ${caseNo}` }))
    await settled(page)
    expect(await page.getByRole('heading', { name: '出错了，请稍后再试' }).count()).toBe(0)
    expect(new URL(page.url()).pathname).toBe(`/clerk/cases/${caseNo}`)
    await page.unrouteAll()
  })

  it('the queue does not say "try again later"', async () => {
    await openClerkPage('/clerk/counter')
    await page.route(url => url.pathname === '/api/cases', route => route.fulfill(SIGNED_OUT))
    await page.getByRole('link', { name: '受理工作台' }).first().click()
    await seen(page.getByRole('heading', { level: 1, name: '受理工作台' }))
    await settled(page)
    expect(await page.getByText('操作未成功，请稍后再试。').count()).toBe(0)
    expect(await page.getByText('暂无办件').count()).toBe(0)
    await page.unrouteAll()
  })

  it('the poor ratings to answer do not say "reload the page"', async () => {
    await openClerkPage('/clerk')
    await page.route(url => url.pathname === '/api/rectifications', route => route.fulfill(SIGNED_OUT))
    await page.getByRole('link', { name: '差评整改' }).click()
    await seen(page.getByRole('heading', { level: 1, name: '差评整改' }))
    await settled(page)
    expect(await page.getByText('加载失败，请刷新页面重试。').count()).toBe(0)
    await page.unrouteAll()
  })
})

/** An approved case of the clerk's department, rated 1 by its applicant: an item to answer. */
async function poorlyRatedCase(): Promise<{ caseNo: string, id: number }> {
  const citizen = await signedIn(suite.url, 'citizen')
  const draft = await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, demoPerson('citizen'), []))
  const caseNo = (await citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)).body.caseNo
  for (const action of ['accept', 'approve']) {
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })).status).toBe(200)
  }
  const rating = await citizen.post<{ rectification: { id: number } }>(`/api/cases/${caseNo}/rating`, { score: 1, comment: '等了太久' })
  expect(rating.status).toBe(201)
  return { caseNo, id: rating.body.rectification.id }
}

describe('an answer to a poor rating when the session ends before it is sent', () => {
  it('stays in its field, says the session ended, and is sent after signing in again in another tab', async () => {
    const { id } = await poorlyRatedCase()

    // a session of its own (the other tests share `page`'s), ended through the API like idling out
    const own = await signedIn(suite.url, 'clerk')
    const { context } = await suite.newContext()
    await addSession(context, suite.url, own)
    const tab = await context.newPage()
    await tab.goto('/clerk/rectifications')
    await waitForHydration(tab)
    await settled(tab)
    const item = tab.locator(`main article[aria-labelledby="rect-${id}"]`)
    const answer = `已约谈窗口人员并加强培训（${id}）。`
    await item.getByLabel('整改答复').fill(answer)

    expect((await own.post('/api/auth/logout')).status).toBe(200)
    await item.getByRole('button', { name: '提交答复' }).click()
    await seen(tab.locator('main [aria-live="assertive"]').filter({ hasText: '您的登录已结束' }))
    // in the answer's error summary, linking to the field: not "try again later"
    await seen(item.getByRole('link', { name: /^整改答复：未能保存：您的登录已结束/ }))
    expect(await item.getByText('稍后').count()).toBe(0)
    // the form is still there, with the answer in it
    expect(await item.getByLabel('整改答复').inputValue()).toBe(answer)

    const other = await context.newPage()
    await signInThroughPage(other, 'clerk')
    await other.close()
    await item.getByRole('button', { name: '提交答复' }).click()
    await seen(tab.getByRole('status').filter({ hasText: '答复已提交，已通知申请人。' }))
    await expect.poll(() => tab.locator('main [aria-live="assertive"]').filter({ hasText: '您的登录已结束' }).count()).toBe(0)

    const answered: { id: number, answer: string | null }[] = []
    for (let p = 1; !answered.some(r => r.id === id); p++) {
      const res = await clerk.get<{ items: { id: number, answer: string | null }[] }>(`/api/rectifications?status=answered&page=${p}&pageSize=100`)
      expect(res.status).toBe(200)
      if (!res.body.items.length) break
      answered.push(...res.body.items)
    }
    expect(answered.find(r => r.id === id)?.answer).toBe(answer)
    await context.close()
  })
})

describe('the note a clerk may add to an action', () => {
  it('is labelled as a note the applicant will read, not an internal comment', async () => {
    const accepted = await counterCase(clerk, RESULT_SERVICE, { name: '孙说明', idNumber: syntheticIdNumber(6363), mobile: '13900006363' })
    await openClerkPage(`/clerk/cases/${accepted}`)
    await page.getByRole('radio', { name: '受理', exact: true }).check()
    const note = await seen(page.getByLabel('给申请人的说明（可选，申请人可见）'))
    expect(await page.getByText('备注（可选）').count()).toBe(0)
    await note.fill('请留意短信通知。')
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：受理' }))
    expect((await getCase(clerk, accepted)).status).toBe('accepted')
  })
})

describe('extending a case\'s time limit (延期)', () => {
  it('is for the head of the department: asks for the days and the reason, says what is wrong by each field, then shows the new deadline, by how much and by whose approval', async () => {
    const kase = await counterCase(clerk, RESULT_SERVICE, { name: '孙延期', idNumber: syntheticIdNumber(6767), mobile: '13900006767' })
    expect((await clerk.post(`/api/cases/${kase}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    const before = (await getCase(clerk, kase)).deadline
    // 第四十二条: the demo clerk does not extend a time limit, they ask the head of the department (extension-requests.test.ts)
    await openClerkPage(`/clerk/cases/${kase}`)
    await seen(page.getByRole('heading', { level: 3, name: '申请延期' }))
    expect(await page.getByRole('radio', { name: '延长办理时限', exact: true }).count()).toBe(0)

    const { context } = await suite.newContext()
    await addSession(context, suite.url, await signedIn(suite.url, 'head'))
    const tab = await context.newPage()
    await tab.goto(`/clerk/cases/${kase}`)
    await waitForHydration(tab)
    await settled(tab)
    await tab.getByRole('radio', { name: '延长办理时限', exact: true }).check()
    const days = await seen(tab.getByLabel('延长天数'))
    // the head extends on their own approval: nobody to name
    expect(await tab.locator('#action-approved-by').count()).toBe(0)
    await seen(tab.getByText('由本部门负责人决定'))
    // full-width digits as a Chinese keyboard may type them; over the limit first
    await days.fill('１２')
    await tab.getByRole('button', { name: '延长办理时限', exact: true }).click()
    await seen(tab.locator('#action-comment-error').filter({ hasText: '请填写' }))
    await seen(tab.locator('#action-days-error').filter({ hasText: '延长天数须为 1 至 10 的整数' }))
    expect(await days.getAttribute('aria-invalid')).toBe('true')
    expect((await getCase(clerk, kase)).version).toBe(2)

    await days.fill('５')
    await tab.getByLabel('理由（申请人将看到）').fill('需组织专家评审')
    await tab.getByRole('button', { name: '延长办理时限', exact: true }).click()
    await seen(tab.getByRole('status').filter({ hasText: '已完成操作：延长办理时限' }))
    const after = await getCase(clerk, kase)
    expect(after).toMatchObject({ status: 'accepted', extendedDays: 5 })
    expect(after.deadline > before).toBe(true)
    await seen(tab.getByRole('definition').filter({ hasText: /^5 日$/ }))
    // the approval recorded is the head's own, by name
    await seen(tab.getByText('经本部门负责人 赵志刚 批准延期'))
    // once only: the choice is gone
    expect(await tab.getByRole('radio', { name: '延长办理时限', exact: true }).count()).toBe(0)
    const violations = await axeViolations(tab)
    expect(violations, describeViolations(violations)).toEqual([])
    await context.close()
  })
})

describe('the Back link of a case page', () => {
  it('for a manager from supervision: says managers only view cases, and goes back to supervision, not to a forbidden page', async () => {
    // an instant item's case is due on its day of receipt: it is listed as near its deadline
    const res = await clerk.post<{ caseNo: string }>('/api/counter-cases', { serviceCode: 'SZRS-0006', applicant: { name: '周监察', idNumber: syntheticIdNumber(6464), mobile: '13900006464' }, answers: {} })
    expect(res.status).toBe(201)
    const due = res.body.caseNo
    const { context } = await suite.newContext()
    await addSession(context, suite.url, await signedIn(suite.url, 'manager'))
    const tab = await context.newPage()
    await tab.goto('/manage/supervision')
    await waitForHydration(tab)
    await settled(tab)
    await tab.getByRole('link', { name: due }).click()
    await tab.waitForURL(url => url.pathname === `/clerk/cases/${due}`)
    await seen(tab.getByRole('heading', { level: 1, name: `办件 ${due}` }))
    await seen(tab.getByText('管理人员仅可查看办件，不能办理。'))
    expect(await tab.getByText('当前状态下没有可执行的操作。').count()).toBe(0)

    await tab.getByRole('link', { name: '返回', exact: true }).click()
    await tab.waitForURL(url => url.pathname === '/manage/supervision')
    await seen(tab.getByRole('heading', { level: 1, name: '电子监察' }))
    expect(await tab.getByText('Forbidden').count()).toBe(0)
    await context.close()
  })

  it('opened from the rectifications, by a manager or a clerk, goes back to the rectifications', async () => {
    const { caseNo } = await poorlyRatedCase()
    for (const role of ['manager', 'clerk'] as const) {
      const { context } = await suite.newContext()
      await addSession(context, suite.url, await signedIn(suite.url, role))
      const tab = await context.newPage()
      await tab.goto('/clerk/rectifications')
      await waitForHydration(tab)
      await settled(tab)
      await tab.getByRole('link', { name: new RegExp(caseNo) }).first().click()
      await tab.waitForURL(url => url.pathname === `/clerk/cases/${caseNo}`)
      await seen(tab.getByRole('heading', { level: 1, name: `办件 ${caseNo}` }))
      await tab.getByRole('link', { name: '返回', exact: true }).click()
      await tab.waitForURL(url => url.pathname === '/clerk/rectifications')
      await seen(tab.getByRole('heading', { level: 1, name: '差评整改' }))
      await context.close()
    }
  })
})

describe('a case returned to its applicant a month ago, in the queue', () => {
  it('comes after a case that is due, and says it waits on the applicant\'s corrections instead of a past deadline', async () => {
    const returned = await counterCase(clerk, RESULT_SERVICE, { name: '郑补正', idNumber: syntheticIdNumber(6565), mobile: '13900006565' })
    expect((await clerk.post(`/api/cases/${returned}/transitions`, { action: 'return', comment: '请补正银行账号', version: 1 })).status).toBe(200)
    // a month on: its stored deadline is the acceptance deadline of the day it went back (in time, before it)
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)
    const db = new Database(join(suite.server.dataDir, 'portal.db'))
    try { db.prepare('UPDATE cases SET deadline = ?, suspended_since = ? WHERE case_no = ?').run(daysAgo(30), daysAgo(35), returned) }
    finally { db.close() }
    const due = await counterCase(clerk, RESULT_SERVICE, { name: '冯在办', idNumber: syntheticIdNumber(6566), mobile: '13900006566' })

    await openClerkPage('/clerk')
    const listed = await page.locator('main tbody tr td:first-child a').allTextContents()
    expect(listed.map(s => s.trim())).toContain(due)
    expect(listed.map(s => s.trim()).indexOf(returned)).toBeGreaterThan(listed.map(s => s.trim()).indexOf(due))
    const deadlineCell = page.getByRole('row').filter({ has: page.getByRole('link', { name: returned }) }).getByRole('cell').nth(4)
    // with the last day the notice gave to correct
    const { supplementNotice } = (await clerk.get<{ supplementNotice: { due: string } }>(`/api/cases/${returned}`)).body
    expect((await deadlineCell.innerText()).trim()).toBe(`等待申请人补正（补正期限 ${dayText(supplementNotice.due, 'zh')}）`)
    expect(await deadlineCell.locator('time').count()).toBe(0)
    // the case that is due keeps its date
    const dueCell = page.getByRole('row').filter({ has: page.getByRole('link', { name: due }) }).getByRole('cell').nth(4)
    expect(await dueCell.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await screenshot(page, 'clerk-queue-waiting-on-applicant')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    await openClerkPage('/en/clerk')
    const enCell = page.getByRole('row').filter({ has: page.getByRole('link', { name: returned }) }).getByRole('cell').nth(4)
    expect((await enCell.innerText()).trim()).toBe(`Waiting for the applicant's corrections (due by ${dayText(supplementNotice.due, 'en')})`)
  })
})

describe('a poor rating of the clerk\'s own case', () => {
  it('says another member of the department answers it, with no answer form', async () => {
    const { id } = await poorlyRatedCase()
    // the applicant's number put on record as the clerk's own (npm run user:id-number), for this test only
    const onRecord = (idNumber: string | null) => {
      const db = new Database(join(suite.server.dataDir, 'portal.db'))
      try { db.prepare('UPDATE users SET staff_id_number = ? WHERE username = \'clerk\'').run(idNumber) }
      finally { db.close() }
    }
    onRecord(demoPerson('citizen').idNumber)
    try {
      await openClerkPage('/clerk/rectifications')
      const item = page.locator(`main article[aria-labelledby="rect-${id}"]`)
      await seen(item.getByText('这是您本人的申请，按回避规定由本部门其他工作人员答复。'))
      expect(await item.getByLabel('整改答复').count()).toBe(0)
      expect(await item.getByRole('button', { name: '提交答复' }).count()).toBe(0)

      await openClerkPage('/en/clerk/rectifications')
      await seen(page.locator(`main article[aria-labelledby="rect-${id}"]`).getByText('This is your own application: under the recusal rule another member of your department answers it.'))
    }
    finally { onRecord(null) }
    // with the number gone the form is back: the note was the recusal's
    await openClerkPage('/clerk/rectifications')
    await seen(page.locator(`main article[aria-labelledby="rect-${id}"]`).getByLabel('整改答复'))
  })
})

describe('the rating area of a case still being handled', () => {
  it('tells the clerk that the applicant can rate once it is completed, not "you can rate"', async () => {
    await openClerkPage(`/clerk/cases/${caseNo}`)
    await seen(page.getByText('办结后申请人可以对本次服务进行评价。'))
    expect(await page.getByText('办结后可以对本次服务进行评价。').count()).toBe(0)
    await openClerkPage(`/en/clerk/cases/${caseNo}`)
    await seen(page.getByText('The applicant can rate the service once the case is completed.'))
  })
})

describe('the filter of the poor ratings to answer', () => {
  it('names the list shown: from the address, and after Back', async () => {
    await openClerkPage('/clerk/rectifications?status=all')
    expect(await page.locator('#rect-status').inputValue()).toBe('all')
    await page.locator('#rect-status').selectOption('answered')
    await page.getByRole('button', { name: '筛选' }).click()
    await page.waitForURL(url => url.searchParams.get('status') === 'answered')
    await page.goBack()
    await page.waitForURL(url => url.searchParams.get('status') === 'all')
    await expect.poll(() => page.locator('#rect-status').inputValue()).toBe('all')
  })
})

describe('a poor rating whose answer is late, on its case page', () => {
  it('is flagged overdue there as on the rectifications page', async () => {
    const { caseNo, id } = await poorlyRatedCase()
    const db = new Database(join(suite.server.dataDir, 'portal.db'))
    try { db.prepare('UPDATE rectifications SET deadline = ? WHERE id = ?').run('2026-01-05', id) }
    finally { db.close() }
    await openClerkPage(`/clerk/cases/${caseNo}`)
    const rating = page.locator('section[aria-labelledby="rating-heading"]')
    await seen(rating.getByText('已超期'))
    await openClerkPage(`/en/clerk/cases/${caseNo}`)
    await seen(page.getByRole('heading', { level: 2, name: 'Service rating' }))
    await seen(page.locator('section[aria-labelledby="rating-heading"]').getByText('Overdue'))
  })
})

describe('suspending a case (中止, 行政许可法 第四十五条)', () => {
  it('asks why and for how long, says what is missing by each field, then shows the applicant\'s notice in the history', async () => {
    const kase = await counterCase(clerk, RESULT_SERVICE, { name: '周中止', idNumber: syntheticIdNumber(6868), mobile: '13900006868' })
    expect((await clerk.post(`/api/cases/${kase}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    await openClerkPage(`/clerk/cases/${kase}`)
    await page.getByRole('radio', { name: '暂停计时', exact: true }).check()
    const days = await seen(page.getByLabel('预计所需时间（日）'))
    // nothing chosen, and more days than the form takes
    await days.fill('400')
    await page.getByRole('button', { name: '暂停计时', exact: true }).click()
    await seen(page.locator('#action-suspension-kind-error').filter({ hasText: '请填写' }))
    await seen(page.locator('#action-suspension-days-error').filter({ hasText: '请输入 1 至 365 之间的整数天数' }))
    expect(await page.getByLabel('暂停原因').getAttribute('aria-invalid')).toBe('true')
    expect((await getCase(clerk, kase)).status).toBe('accepted')

    await page.getByLabel('暂停原因').selectOption({ label: '专家评审' })
    await days.fill('１５')
    await page.getByRole('button', { name: '暂停计时', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：暂停计时' }))
    expect(await getCase(clerk, kase)).toMatchObject({ status: 'suspended', events: expect.arrayContaining([expect.objectContaining({ action: 'suspend', suspension: { kind: 'expertReview', expectedDays: 15 } })]) })
    await seen(page.getByText('暂停原因：专家评审，预计需要 15 日，所需时间不计入办理时限。'))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
