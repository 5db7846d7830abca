/**
 * One application's whole life, told as the people in it live it, in Debian's Chromium and in
 * Chinese (the default locale): 张晓明 finds a service by search, applies with an upload, saves
 * and resumes his draft, submits; the clerk returns it with a one-time notice; he corrects and
 * resubmits; the clerk accepts and approves; he rates the service, opens his e-licence and a
 * stranger verifies it; the manager sees the case counted on the dashboard. Every page of the
 * journey passes axe and leaves a screenshot in test-results/screenshots.
 *
 * The item is 职业技能培训补贴申领 (RESULT_SERVICE, SZRS-0010): the demo clerk's department, a
 * short form, an optional file field for the upload, promised (so accept comes before approve),
 * and its approval issues an e-licence (补贴核准通知).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, screenshot, seen, signInThroughPage } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { RESULT_SERVICE } from '../support/fixtures'
import { samplePdf } from '../support/files'

const SERVICE_NAME = '职业技能培训补贴申领'
const INVOICE = 'training-invoice.pdf'
const FIRST_ACCOUNT = '6225880012345678'
const CORRECTED_ACCOUNT = '6225880099998888'
const RETURN_REASON = '银行账号与本人银行卡不一致，请核对后重新填写。'

interface ReportFigures { cases: { total: number, online: number, completed: number } }

const suite = useBrowserSuite()
let manager: Client
let casesBefore: ReportFigures['cases']
/** Every context of the story, for its requests to other hosts (the suite closes the contexts). */
const contexts: { context: BrowserContext, foreignRequests: string[] }[] = []
/** What the story carries from one chapter to the next. */
const story = { caseNo: '', draftId: '', resultCode: '', verifyUrl: '' }
let citizen: Page

async function openContext(): Promise<Page> {
  const entry = await suite.newContext()
  contexts.push(entry)
  return entry.context.newPage()
}

/** The page passes axe (WCAG 2.1 A and AA) and its screenshot is kept under `name`. */
async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle')
  await screenshot(page, name)
  const violations = await axeViolations(page)
  expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([])
}

/** The value beside a term in a description list (`<dt>` then `<dd>`). */
function described(page: Page, term: string): Locator {
  return page.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]')
}

async function reportCases(): Promise<ReportFigures['cases']> {
  const res = await manager.get<ReportFigures>('/api/reports/online-rate')
  expect(res.status).toBe(200)
  return res.body.cases
}

/** As a clerk, chooses an action on the case page and confirms it with its button. */
async function clerkActs(page: Page, action: string): Promise<void> {
  await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: action, exact: true }).check()
  await page.getByRole('button', { name: action, exact: true }).click()
  await seen(page.getByRole('status').filter({ hasText: `已完成操作：${action}` }))
}

/**
 * The clerk signs in (a context of their own), finds the case in the department's queue by the
 * beginning of its number (the demo history fills many pages) and opens it.
 */
async function clerkOpensCase(queueScreenshot?: string): Promise<Page> {
  const clerk = await openContext()
  await signInThroughPage(clerk, 'clerk')
  await clerk.waitForURL('**/clerk')
  await seen(clerk.getByRole('heading', { level: 1, name: '受理工作台' }))
  await clerk.getByRole('searchbox', { name: '按办件编号查询（输入开头部分）' }).fill(story.caseNo)
  await clerk.getByRole('button', { name: '查询' }).click()
  const link = await seen(clerk.getByRole('table', { name: '本部门办件队列' }).getByRole('link', { name: story.caseNo }))
  if (queueScreenshot) await checkPage(clerk, queueScreenshot)
  await link.click()
  await seen(clerk.getByRole('heading', { level: 1, name: `办件 ${story.caseNo}` }))
  return clerk
}

beforeAll(async () => {
  manager = await signedIn(suite.url, 'manager')
  casesBefore = await reportCases()
  citizen = await openContext()
})

describe('张晓明 applies for a training subsidy, and everyone plays their part', () => {
  it('he finds the service by searching from the home page and reads its guide', async () => {
    await citizen.goto('/')
    await checkPage(citizen, 'journey-01-home')
    await citizen.getByRole('searchbox', { name: '搜索服务事项' }).fill('技能培训')
    await citizen.getByRole('button', { name: '搜索' }).click()
    await citizen.waitForURL(url => url.pathname === '/services' && url.searchParams.get('q') === '技能培训')
    const result = await seen(citizen.getByRole('link', { name: SERVICE_NAME }))
    await checkPage(citizen, 'journey-02-search-results')
    await result.click()
    await citizen.waitForURL(`**/services/${RESULT_SERVICE}`)
    await seen(citizen.getByRole('heading', { level: 1, name: SERVICE_NAME }))
    await checkPage(citizen, 'journey-03-guide')
  })

  it('he is asked to sign in when he applies, and comes back to the form', async () => {
    await citizen.getByRole('link', { name: '在线申请' }).click()
    await citizen.waitForURL(url => url.pathname === '/login' && url.searchParams.get('redirect') === `/services/${RESULT_SERVICE}/apply`)
    await checkPage(citizen, 'journey-04-sign-in')
    await citizen.getByLabel('用户名').fill('citizen')
    await citizen.getByLabel('密码', { exact: true }).fill('portal-demo-2026')
    await citizen.getByRole('button', { name: '登录' }).click()
    // the form starts a draft at once and keeps its id in the address, to survive a reload
    await citizen.waitForURL(url => url.pathname === `/services/${RESULT_SERVICE}/apply` && url.searchParams.has('draft'))
    story.draftId = new URL(citizen.url()).searchParams.get('draft')!
    await seen(citizen.getByRole('heading', { level: 1, name: `在线申请：${SERVICE_NAME}` }))
    // his own details come from his account
    expect(await (await seen(citizen.getByLabel('申请人姓名'))).inputValue()).toBe('张晓明')
  })

  it('he fills part of the form, uploads the invoice, saves the draft and leaves', async () => {
    // checking too early: the summary names each missing answer, and a choice is asked for as a choice
    await citizen.getByRole('button', { name: '检查填写内容' }).click()
    const summary = await seen(citizen.getByRole('alert').filter({ hasText: '请更正以下问题' }))
    await seen(summary.getByRole('link', { name: '证书编号：请填写此项' }))
    await seen(summary.getByRole('link', { name: '证书等级：请选择一项' }))
    await seen(citizen.locator('#field-skillLevel-error').filter({ hasText: '请选择一项' }))
    await citizen.getByLabel('证书编号').fill('S4403202600123')
    await citizen.getByLabel('证书等级').selectOption({ label: '四级/中级工' })
    await citizen.getByLabel('选择文件上传：培训费用发票').setInputFiles({ name: INVOICE, mimeType: 'application/pdf', buffer: samplePdf })
    await seen(citizen.getByRole('list', { name: '已添加的材料' }).getByRole('link', { name: new RegExp(INVOICE) }))
    await citizen.getByRole('button', { name: '保存草稿' }).click()
    await seen(citizen.getByRole('status').filter({ hasText: /草稿已于 .+ 保存/ }))
    await checkPage(citizen, 'journey-05-form-draft-saved')
    await citizen.getByRole('link', { name: '深圳市网上办事大厅' }).click()
    await citizen.waitForURL(url => url.pathname === '/')
  })

  it('he comes back through 我的申请, resumes the draft where he left it and finishes the form', async () => {
    await citizen.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的申请' }).click()
    await citizen.waitForURL('**/me/applications')
    const resume = await seen(citizen.getByRole('link', { name: `继续填写 ${SERVICE_NAME}` }))
    await checkPage(citizen, 'journey-06-my-applications')
    await resume.click()
    await citizen.waitForURL(url => url.pathname === `/services/${RESULT_SERVICE}/apply` && url.searchParams.get('draft') === story.draftId)
    expect(await (await seen(citizen.getByLabel('证书编号'))).inputValue()).toBe('S4403202600123')
    expect(await citizen.getByLabel('证书等级').inputValue()).toBe('l4')
    await seen(citizen.getByRole('list', { name: '已添加的材料' }).getByRole('link', { name: new RegExp(INVOICE) }))
    await citizen.getByLabel('发证日期').fill('2026-01-05')
    await citizen.getByLabel('开户银行').fill('招商银行')
    await citizen.getByLabel('本人银行账号').fill(FIRST_ACCOUNT)
    await checkPage(citizen, 'journey-07-form-complete')
    await citizen.getByRole('button', { name: '检查填写内容' }).click()
    await citizen.waitForURL(`**/services/${RESULT_SERVICE}/apply/review?draft=${story.draftId}`)
  })

  it('he checks his answers, ticks the declaration, submits and reads the case number on the receipt', async () => {
    await seen(citizen.getByRole('heading', { level: 1, name: '检查您的申请' }))
    await seen(described(citizen, '证书等级').filter({ hasText: '四级/中级工' }))
    await seen(described(citizen, '本人银行账号').filter({ hasText: FIRST_ACCOUNT }))
    await seen(described(citizen, '培训费用发票').filter({ hasText: INVOICE }))
    await checkPage(citizen, 'journey-08-review')
    await citizen.getByLabel(/本人承诺所填写的信息/).check()
    await citizen.getByRole('button', { name: '确认并提交申请' }).click()
    await citizen.waitForURL(/\/me\/cases\/[^/]+\/receipt$/)
    await seen(citizen.getByRole('heading', { level: 1, name: '申请已提交' }))
    story.caseNo = /\/me\/cases\/([^/]+)\/receipt$/.exec(new URL(citizen.url()).pathname)![1]!
    expect(story.caseNo).toMatch(/^SZ\d{14}$/)
    // the number he is told to write down, printed under its caption
    await seen(citizen.getByText('办件编号', { exact: true }))
    await seen(citizen.getByText(story.caseNo, { exact: true }))
    await seen(described(citizen, '申请事项').filter({ hasText: SERVICE_NAME }))
    // the date by which the department decides, written as people write dates, not 2026-03-09
    const deadline = await described(citizen, '受理期限').textContent()
    expect(deadline).toMatch(/部门将在 \d{4}年\d{1,2}月\d{1,2}日 前决定是否受理/)
    await checkPage(citizen, 'journey-09-receipt')
  })

  it('the clerk finds the case in the queue and returns it for supplement with a one-time notice', async () => {
    const clerk = await clerkOpensCase('journey-10-clerk-queue')
    await seen(clerk.getByRole('link', { name: new RegExp(`查看 ${INVOICE}`) }))
    await clerk.getByRole('group', { name: '操作' }).getByRole('radio', { name: '退回补正' }).check()
    await clerk.getByLabel('理由（申请人将看到）').fill(RETURN_REASON)
    await clerk.getByRole('group', { name: '需补正的申请表内容' }).getByRole('checkbox', { name: '本人银行账号' }).check()
    await checkPage(clerk, 'journey-11-clerk-return')
    await clerk.getByRole('button', { name: '退回补正' }).click()
    await seen(clerk.getByRole('status').filter({ hasText: '已完成操作：退回补正' }))
    await seen(described(clerk, '状态').filter({ hasText: '待补正材料' }))
    await clerk.close()
  })

  it('张晓明 reads the notice on his case page, corrects the listed item and resubmits', async () => {
    await citizen.goto(`/me/cases/${story.caseNo}`)
    const notice = await seen(citizen.getByRole('region', { name: '一次性告知：需要补正的内容' }))
    await seen(notice.getByText(RETURN_REASON))
    const account = notice.getByLabel('本人银行账号')
    expect(await account.inputValue()).toBe(FIRST_ACCOUNT)
    // only what the notice lists can be changed
    expect(await notice.getByLabel('开户银行').count()).toBe(0)
    await checkPage(citizen, 'journey-12-supplement-notice')
    await account.fill(CORRECTED_ACCOUNT)
    await notice.getByRole('button', { name: '提交补正' }).click()
    await seen(citizen.getByRole('status').filter({ hasText: '已完成操作：补正后重新提交' }))
    await seen(described(citizen, '状态').filter({ hasText: '已提交，待受理' }))
    await seen(citizen.getByRole('region', { name: '申请表内容' }).getByText(CORRECTED_ACCOUNT))
    await checkPage(citizen, 'journey-13-resubmitted')
  })

  it('the clerk accepts the corrected application and approves it', async () => {
    const clerk = await clerkOpensCase()
    await seen(clerk.getByRole('region', { name: '申请表内容' }).getByText(CORRECTED_ACCOUNT))
    await clerkActs(clerk, '受理')
    await seen(described(clerk, '状态').filter({ hasText: '已受理，办理中' }))
    await checkPage(clerk, 'journey-14-clerk-accepted')
    await clerkActs(clerk, '准予办结')
    await seen(described(clerk, '状态').filter({ hasText: '已办结（准予）' }))
    await checkPage(clerk, 'journey-15-clerk-approved')
    await clerk.close()
  })

  it('张晓明 sees his case approved and rates the service', async () => {
    await citizen.goto(`/me/cases/${story.caseNo}`)
    await seen(described(citizen, '状态').filter({ hasText: '已办结（准予）' }))
    const rating = citizen.getByRole('region', { name: '服务评价（好差评）' })
    await checkPage(citizen, 'journey-16-case-approved')
    await rating.getByRole('group', { name: '总体评价' }).getByRole('radio', { name: '5 分：非常满意' }).check()
    const comment = rating.getByLabel('意见和建议（可选）')
    // a pasted comment over 500 characters is kept whole and the count says by how much (𠮷 is one character)
    await comment.fill('𠮷'.repeat(501))
    expect(Array.from(await comment.inputValue()).length).toBe(501)
    await seen(rating.getByText('超出 1 字（最多 500 字）'))
    await comment.fill('网上办理很方便，补正说明清楚。')
    await seen(rating.getByText('已输入 15 / 500 字'))
    await rating.getByRole('button', { name: '提交评价' }).click()
    await seen(rating.getByText('感谢您的评价！', { exact: true }).first())
    await seen(described(citizen, '总体评价').filter({ hasText: '5 分：非常满意' }))
    await seen(described(citizen, '意见和建议（可选）').filter({ hasText: '网上办理很方便' }))
    await checkPage(citizen, 'journey-17-rated')
  })

  it('he opens his e-licence and follows the verification link it offers', async () => {
    const result = citizen.getByRole('region', { name: '办理结果' })
    const verifyLink = result.getByRole('link', { name: '查看并验证电子证照' })
    story.resultCode = (await verifyLink.getAttribute('href'))!.replace('/verify/', '')
    expect(story.resultCode).toMatch(/^[A-Z0-9]{16}$/)
    await result.getByRole('link', { name: '查看电子证照（可打印、下载）' }).click()
    await citizen.waitForURL(`**/me/results/${story.resultCode}`)
    await seen(citizen.getByRole('heading', { level: 1, name: '补贴核准通知' }))
    await seen(described(citizen, '持证人').filter({ hasText: '张晓明' }))
    await seen(described(citizen, '身份证号码').filter({ hasText: '440305********2319' }))
    await seen(described(citizen, '办件编号').filter({ hasText: story.caseNo }))
    // the address under the QR code, a link too
    story.verifyUrl = `${suite.url}/verify/${story.resultCode}`
    const verify = await seen(citizen.getByRole('link', { name: story.verifyUrl }))
    await checkPage(citizen, 'journey-18-e-licence')
    await verify.click()
    await citizen.waitForURL(`**/verify/${story.resultCode}`)
    await seen(citizen.getByText('真实有效：该电子证照由本平台核发，目前处于有效期内。'))
  })

  it('a stranger, not signed in, verifies the e-licence: valid, with the holder\'s name masked', async () => {
    const visitor = await openContext()
    await visitor.goto(story.verifyUrl)
    await seen(visitor.getByRole('heading', { level: 1, name: '电子证照核验' }))
    await seen(visitor.getByText('真实有效：该电子证照由本平台核发，目前处于有效期内。'))
    expect((await described(visitor, '持证人').innerText()).trim()).toBe('张**')
    expect(await visitor.getByText('张晓明').count()).toBe(0)
    await seen(described(visitor, '证照名称').filter({ hasText: '补贴核准通知' }))
    await seen(described(visitor, '核验码').filter({ hasText: story.resultCode }))
    await checkPage(visitor, 'journey-19-verified')
    // in English, the licence by its English title, not the item's name nor the Chinese title
    await visitor.goto(`${suite.url}/en/verify/${story.resultCode}`)
    const title = await seen(described(visitor, 'Title'))
    expect((await title.innerText()).trim()).toBe('Notice of Subsidy Approval')
    expect(await title.getAttribute('lang')).toBeNull()
  })

  it('the manager sees the case counted on the dashboard', async () => {
    const after = await reportCases()
    // the case was received online and completed within the period the dashboard opens on
    expect(after.total).toBe(casesBefore.total + 1)
    expect(after.online).toBe(casesBefore.online + 1)
    expect(after.completed).toBe(casesBefore.completed + 1)
    const page = await openContext()
    await signInThroughPage(page, 'manager')
    await page.waitForURL('**/manage/reports')
    await seen(page.getByRole('heading', { level: 1, name: '网上办事统计分析' }))
    const received = await seen(described(page, '收件数'))
    expect(Number((await received.innerText()).replace(/\D/g, ''))).toBe(after.total)
    await seen(page.getByText(`网上 ${after.online.toLocaleString('zh-CN')} 件，窗口`))
    await checkPage(page, 'journey-20-dashboard')
  })

  it('nothing in the journey was loaded from another host', () => {
    expect(contexts.flatMap(c => c.foreignRequests)).toEqual([])
  })
})

describe('a keyboard user on the sign-in page', () => {
  it('skips to the content, submits the empty form, and the error summary leads to the field', async () => {
    const page = await openContext()
    await page.goto('/login')
    await page.waitForLoadState('networkidle')
    const focused = () => page.evaluate(() => {
      const el = document.activeElement
      return { id: el?.id ?? '', text: el?.textContent?.trim() ?? '', role: el?.getAttribute('role') ?? '' }
    })
    await page.keyboard.press('Tab')
    expect((await focused()).text).toBe('跳到主要内容')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused()).id).toBe('main')
    // the first thing after main's start is the user-name field; Enter in it submits the form
    await page.keyboard.press('Tab')
    expect((await focused()).id).toBe('field-username')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused()).role).toBe('alert')
    const summary = page.getByRole('alert')
    await seen(summary.getByRole('heading', { name: '请修改以下问题后再提交' }))
    await screenshot(page, 'journey-21-keyboard-error-summary')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await page.keyboard.press('Tab')
    expect((await focused()).text).toBe(await summary.getByRole('link').first().innerText())
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused()).id).toBe('field-username')
  })
})
