/**
 * 文书: the written documents of a case, which the Administrative Licensing Law asks for in
 * writing, are read and printed from the case's history. The applicant follows the link of their
 * notice of acceptance and reads its title, number, case number and deadline, in Chinese and in
 * English; a returned case's notice lists what to correct; a refusal and a rejection give the
 * reason and the right of appeal. The clerk opens the notice of a counter case returned for a
 * material on paper, to print for an applicant without an account. Each prints without the site's
 * header, and passes axe; another person's document, or an event that issued none, is a 404.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, screenshot, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, demoPerson, getCase, RESULT_SERVICE, submitOnline, syntheticIdNumber } from '../support/fixtures'
import { dayText } from '../../shared/utils/date-format'
import { makeUscc } from '../../shared/utils/uscc'

const suite = useBrowserSuite()
let clerk: Client
let citizen: Client
const me = demoPerson('citizen')

const PHOTO = '近期免冠彩色数码照片回执'
const ID_CARD = '居民身份证'
// the reconsideration body named, as a written decision must (the item's department is the city's)
const APPEAL_TEXT = '如对本决定不服，可以自收到本决定之日起六十日内向深圳市人民政府申请行政复议，或者自知道或者应当知道作出本决定之日起六个月内依法向人民法院提起行政诉讼。'

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
})

/** A clerk's action on a case through the API, at the case's current version; throws unless 200. */
async function act(caseNo: string, body: Record<string, unknown>): Promise<void> {
  const { version } = await getCase(clerk, caseNo)
  const res = await clerk.post(`/api/cases/${caseNo}/transitions`, { ...body, version })
  if (res.status !== 200) throw new Error(`${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`)
}

async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** A page of a browser signed in as `client`. */
async function pageAs(client: Client): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, client)
  return context.newPage()
}

/** Opens a case page and follows its history's link to a document, as a person clicks it; returns the document's heading. */
async function followLink(page: Page, casePath: string, link: string, title: string) {
  await page.goto(casePath)
  await settled(page)
  await page.getByRole('link', { name: link, exact: true }).click()
  const heading = await seen(page.getByRole('heading', { level: 1, name: title, exact: true }))
  await settled(page)
  return heading
}

/** The list items under a heading of the document (its section is a region named by it). */
const listUnder = (page: Page, heading: string) => page.getByRole('region', { name: heading, exact: true }).getByRole('listitem').allInnerTexts()

describe('an applicant whose application was accepted', () => {
  let caseNo = ''
  let deadline = ''
  let received = ''

  beforeAll(async () => {
    caseNo = (await submitOnline(citizen, me, CLERK_SERVICE, 'document-accepted')).caseNo
    await act(caseNo, { action: 'accept' })
    const detail = await citizen.get<{ deadline: string, receivedDate: string }>(`/api/cases/${caseNo}`)
    deadline = detail.body.deadline
    received = detail.body.receivedDate
  })

  it('follows the link of the notice of acceptance and reads its title, case number and deadline', async () => {
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《受理通知书》', '受理通知书')
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/me/cases/${caseNo}/documents/\\d+$`))
    expect(await page.title()).toContain('受理通知书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`文书编号：${caseNo}-01`)
    expect(text).toContain(`${me.name}：`)
    expect(text).toContain(`“社会保障卡申领”申请（办件编号：${caseNo}），申请材料齐全、符合法定形式，本机关决定予以受理。`)
    expect(text).toContain(`本机关将于${dayText(deadline, 'zh')}前作出决定。`)
    expect(text).toContain('本件为深圳市网上办事大厅打印件，未加盖印章；内容以出具机关的记录为准。')
    // the ID number masked as the case page shows it; no article of the licensing law for an item that is no licence
    expect(text).toContain(`${me.idNumber.slice(0, 6)}********${me.idNumber.slice(-4)}`)
    expect(text).not.toContain(me.idNumber)
    expect(text).not.toContain('行政许可法')
    await screenshot(page, 'case-document-acceptance')
    await expectNoViolations(page)

    // back to the case from the document
    await page.getByRole('link', { name: `返回办件 ${caseNo}`, exact: true }).click()
    await page.waitForURL(url => url.pathname === `/me/cases/${caseNo}`)
  })

  it('prints it without the site\'s header, navigation or the page\'s own buttons', async () => {
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《受理通知书》', '受理通知书')
    const print = await seen(page.getByRole('button', { name: '打印', exact: true }))
    await seen(page.locator('header.site-header'))
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header.site-header').isVisible()).toBe(false)
    expect(await page.getByRole('navigation').count()).toBe(0)
    expect(await print.isVisible()).toBe(false)
    expect(await page.getByRole('heading', { level: 1, name: '受理通知书' }).isVisible()).toBe(true)
    expect(await page.getByText(`本机关将于${dayText(deadline, 'zh')}前作出决定。`).isVisible()).toBe(true)
  })

  it('reads it in English', async () => {
    const page = await pageAs(citizen)
    await followLink(page, `/en/me/cases/${caseNo}`, 'View and print: Notice of Acceptance', 'Notice of Acceptance')
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/en/me/cases/${caseNo}/documents/\\d+$`))
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.title()).toContain('Notice of Acceptance')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`Document no.: ${caseNo}-01`)
    expect(text).toContain(`Your application for "Application for a Social Security Card" received on ${dayText(received, 'en')} (case no. ${caseNo}) has all its materials in the required form, and this department has accepted it.`)
    expect(text).toContain(`A decision will be made by ${dayText(deadline, 'en')}.`)
    // the applicant's name is Chinese inside an English page
    expect(await page.locator('span[lang="zh-CN"]', { hasText: me.name }).count()).toBe(1)
    await seen(page.getByRole('button', { name: 'Print', exact: true }))
    await expectNoViolations(page)
  })

  it('is not found by another citizen, nor as an event that issued no document', async () => {
    const { events } = (await citizen.get<{ events: { id: number, action: string, document?: string }[] }>(`/api/cases/${caseNo}`)).body
    const accepted = events.find(e => e.document === 'acceptance')!
    const submitted = events.find(e => e.action === 'submit')!
    expect(submitted.document).toBeUndefined()
    const other = await pageAs(await signedIn(suite.url, 'citizen2'))
    expect((await other.goto(`/me/cases/${caseNo}/documents/${accepted.id}`))?.status()).toBe(404)
    const page = await pageAs(citizen)
    expect((await page.goto(`/me/cases/${caseNo}/documents/${submitted.id}`))?.status()).toBe(404)
  })
})

describe('an applicant whose application was returned for corrections', () => {
  const REASON = '合作银行选择有误，请重新选择。\n照片回执不清晰，请重新上传。'
  let caseNo = ''

  beforeAll(async () => {
    caseNo = (await submitOnline(citizen, me, CLERK_SERVICE, 'document-returned')).caseNo
    await act(caseNo, { action: 'return', comment: REASON, supplement: { fields: ['cardBank'], materials: [PHOTO] } })
  })

  it('reads on the notice every answer and material to correct, and the reason', async () => {
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《补正材料通知书》', '补正材料通知书')
    const text = await page.locator('main').innerText()
    expect(text).toContain('申请材料不齐全或者不符合法定形式。请一次性补正下列内容后重新提交；补正期间不计入办理时限。')
    expect(await listUnder(page, '需补正的填报内容')).toEqual(['选择合作银行'])
    expect(await listUnder(page, '需补正的材料')).toEqual([PHOTO])
    // an online case's photo is uploaded again: nothing to bring to the counter
    expect(await page.getByRole('heading', { name: '请携带纸质件到窗口提交' }).count()).toBe(0)
    // the reason with its line break kept
    expect((await page.getByRole('region', { name: '说明', exact: true }).getByText('合作银行选择有误').innerText()).trim()).toBe(REASON)
    await expectNoViolations(page)
  })
})

describe('an applicant whose application was refused or rejected', () => {
  it('reads on the decision not to accept the reason and the right of appeal', async () => {
    const caseNo = (await submitOnline(citizen, me, CLERK_SERVICE, 'document-refused')).caseNo
    await act(caseNo, { action: 'refuse', comment: '申请事项不属于本部门职权范围' })
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《不予受理决定书》', '不予受理决定书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`（办件编号：${caseNo}），经审查，本机关决定不予受理。理由：`)
    expect(text).toContain('申请事项不属于本部门职权范围')
    const appeal = page.getByRole('region', { name: '如对决定不服', exact: true })
    expect(await appeal.innerText()).toContain(APPEAL_TEXT)
    await screenshot(page, 'case-document-refusal')
    await expectNoViolations(page)
  })

  it('reads the decision of an item that is no licence as a decision not to grant, so named in the history', async () => {
    const caseNo = (await submitOnline(citizen, me, CLERK_SERVICE, 'document-rejected')).caseNo
    await act(caseNo, { action: 'accept' })
    await act(caseNo, { action: 'reject', comment: '经核查，申请人已持有有效社会保障卡' })
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《不予办理决定书》', '不予办理决定书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`文书编号：${caseNo}-02`)
    expect(text).toContain('经审查，本机关决定不予办理。理由：')
    expect(text).toContain('经核查，申请人已持有有效社会保障卡')
    expect(await page.getByRole('region', { name: '如对决定不服', exact: true }).innerText()).toContain(APPEAL_TEXT)
    await expectNoViolations(page)
  })
})

describe('a clerk printing the notice of a counter case for an applicant without an account', () => {
  const person = { name: '孙柜台', idNumber: syntheticIdNumber(8484), mobile: '13900008484' }
  const REASON = '身份证复印件不清晰，请携带身份证原件到窗口核验；照片回执编号无效。'
  let caseNo = ''

  beforeAll(async () => {
    caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    await act(caseNo, { action: 'return', comment: REASON, supplement: { fields: [], materials: [ID_CARD, PHOTO] } })
  })

  it('opens it from the case page, with the material to bring on paper to the counter listed apart', async () => {
    const page = await pageAs(clerk)
    await followLink(page, `/clerk/cases/${caseNo}`, '查看、打印《补正材料通知书》', '补正材料通知书')
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/clerk/documents/${caseNo}/\\d+$`))
    expect(await page.title()).toContain('补正材料通知书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`${person.name}：`)
    expect(text).toContain(`文书编号：${caseNo}-01`)
    expect(await listUnder(page, '请携带纸质件到窗口提交')).toEqual([ID_CARD])
    expect(await listUnder(page, '需补正的材料')).toEqual([PHOTO])
    expect(await page.getByRole('heading', { name: '需补正的填报内容' }).count()).toBe(0)
    expect(text).toContain(REASON)
    expect(text).not.toContain(person.idNumber)
    await seen(page.getByRole('button', { name: '打印', exact: true }))
    expect(await page.getByRole('link', { name: `返回办件 ${caseNo}`, exact: true }).getAttribute('href')).toBe(`/clerk/cases/${caseNo}`)
    await screenshot(page, 'case-document-counter-corrections')
    await expectNoViolations(page)
  })

  it('reads it in English, the materials\' Chinese names marked as Chinese', async () => {
    const page = await pageAs(clerk)
    await followLink(page, `/en/clerk/cases/${caseNo}`, 'View and print: Notice to Correct the Application', 'Notice to Correct the Application')
    const counter = page.getByRole('region', { name: 'Bring these on paper to the counter', exact: true })
    expect(await counter.getByRole('listitem').getAttribute('lang')).toBe('zh-CN')
    expect(await page.getByRole('region', { name: 'Notes', exact: true }).innerText()).toContain(REASON)
    await expectNoViolations(page)
  })
})

describe('an approval that issued an e-licence', () => {
  /** Accepts and approves the case; returns the code of the e-licence its approval issued. */
  async function approved(caseNo: string): Promise<string> {
    await act(caseNo, { action: 'accept' })
    await act(caseNo, { action: 'approve' })
    return (await clerk.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
  }

  it('tells the online applicant its verification code and that it is under "My e-licences"', async () => {
    const caseNo = (await submitOnline(citizen, me, RESULT_SERVICE, 'document-licence')).caseNo
    const code = await approved(caseNo)
    const page = await pageAs(citizen)
    await followLink(page, `/me/cases/${caseNo}`, '查看、打印《办结通知书》', '办结通知书')
    expect(await page.locator('main').innerText()).toContain(`电子证照核验码：${code}。可在“我的电子证照”中查看、下载，或在本网站“电子证照核验”页面核验。`)
  })

  it('tells a person served at the counter what account will hold it, rather than sending them to a page they cannot have', async () => {
    const person = { name: '钱柜台', idNumber: syntheticIdNumber(8585), mobile: '13900008585' }
    const caseNo = await counterCase(clerk, RESULT_SERVICE, person)
    const code = await approved(caseNo)
    const page = await pageAs(clerk)
    await followLink(page, `/clerk/cases/${caseNo}`, '查看、打印《办结通知书》', '办结通知书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`电子证照核验码：${code}。申请人以本人身份证号码和本办件登记的手机号码在本网站注册，并验证该手机号码后，可在“我的电子证照”中查看、下载`)
    expect(text).not.toContain('可在“我的电子证照”中查看、下载，或')
    await expectNoViolations(page)
  })

  it('tells an organisation served at the counter only where the licence is verified: no account holds it', async () => {
    const person = { name: '孙经办', idNumber: syntheticIdNumber(8686), mobile: '13900008686' }
    const employer = { name: '深圳市柜台科技有限公司', uscc: makeUscc('91440300MA5G86868') }
    const res = await clerk.post<{ caseNo: string }>('/api/counter-cases', {
      serviceCode: 'SZRS-0014',
      applicant: person,
      answers: { orgName: employer.name, orgCode: employer.uscc, bankName: '招商银行', bankAccount: '755912348686', employeeCount: 12, industry: 'it' },
    })
    expect(res.status).toBe(201)
    const code = await approved(res.body.caseNo)
    const page = await pageAs(clerk)
    await followLink(page, `/clerk/cases/${res.body.caseNo}`, '查看、打印《办结通知书》', '办结通知书')
    const text = await page.locator('main').innerText()
    expect(text).toContain(`电子证照核验码：${code}。可在本网站“电子证照核验”页面核验。`)
    expect(text).not.toContain('我的电子证照')
  })
})
