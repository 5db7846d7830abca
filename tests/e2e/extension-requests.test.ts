/**
 * 延期申请 (行政许可法 第四十二条: a time limit is extended only with the approval of the head of the
 * department). The demo clerk (王建国) asks for an extension on an accepted case by keyboard, is told
 * by each field what is wrong, then sees the request waiting; the head of the department (`head`,
 * 赵志刚) finds it in the list of requests waiting for them, opens the case and approves it, and the
 * case shows the extension and the head's approval in its history. A request the head declines tells
 * the clerk why; a clerk who is not the head is told the list is not theirs. The head is told of a
 * request in their messages, and the clerk who asked of the decision. A clerk of a department with
 * no head (clerk2, 公安局) is told nobody can approve an extension. Each page passes axe.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { dayText, instantText } from '../../shared/utils/date-format'
import type { ExtensionState } from '../../shared/types/case'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, requestsTo, seen, settled, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK2_SERVICE, counterCase, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
let clerk: Client
let head: Client
let clerkPage: Page
let headPage: Page

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  head = await signedIn(suite.url, 'head')
  clerkPage = await suite.newPage()
  await signInThroughPage(clerkPage, 'clerk')
  headPage = await suite.newPage()
  await signInThroughPage(headPage, 'head')
})

async function openPage(page: Page, path: string): Promise<void> {
  await page.goto(path)
  await waitForHydration(page)
  await settled(page)
}

/** A counter case of the demo clerk's department, accepted: its time limit may be extended. */
async function acceptedCase(serial: number, name: string): Promise<string> {
  const caseNo = await counterCase(clerk, RESULT_SERVICE, { name, idNumber: syntheticIdNumber(serial), mobile: `1390000${serial}` })
  expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
  return caseNo
}

async function extensionOf(client: Client, caseNo: string): Promise<ExtensionState> {
  const res = await client.get<{ extension: ExtensionState }>(`/api/cases/${caseNo}`)
  expect(res.status).toBe(200)
  return res.body.extension
}

async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')
const activeText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

/** The value a case summary gives for `term` (dt), e.g. 办理时限已延长. */
const summaryValue = (page: Page, term: string) => page.locator('dt').filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) }).locator('xpath=following-sibling::dd[1]')

describe('a clerk who is not the head of the department', () => {
  it('asks by keyboard for an extension, is told by each field what is wrong, then sees the request waiting for the head', async () => {
    const caseNo = await acceptedCase(7171, '孙申请')
    await openPage(clerkPage, `/clerk/cases/${caseNo}`)
    // the clerk no longer extends a time limit: they ask the head
    expect(await clerkPage.getByRole('radio', { name: '延长办理时限', exact: true }).count()).toBe(0)
    await seen(clerkPage.getByRole('heading', { level: 3, name: '申请延期' }))

    // over the limit, in full-width digits as a Chinese keyboard may type them, and no reason
    const days = clerkPage.getByLabel('延长天数', { exact: true })
    await days.focus()
    await clerkPage.keyboard.type('１２')
    await clerkPage.keyboard.press('Tab')
    expect(await activeId(clerkPage)).toBe('extension-request-reason')
    await clerkPage.keyboard.press('Tab')
    expect(await activeText(clerkPage)).toBe('提交延期申请')
    await clerkPage.keyboard.press('Enter')

    await seen(clerkPage.locator('#extension-request-days-error').filter({ hasText: '延长天数须为 1 至 10 的整数' }))
    await seen(clerkPage.locator('#extension-request-reason-error').filter({ hasText: '请填写此项' }))
    expect(await days.getAttribute('aria-invalid')).toBe('true')
    expect(await days.getAttribute('aria-describedby')).toBe('extension-request-days-hint extension-request-days-error')
    expect(await clerkPage.getByLabel('延期理由（必填，申请人将看到）').getAttribute('aria-invalid')).toBe('true')
    // the summary has focus, and its link takes the keyboard to the field
    const summary = clerkPage.getByRole('alert').filter({ hasText: '请检查以下问题' })
    await expect.poll(() => summary.evaluate(el => el === document.activeElement)).toBe(true)
    await summary.getByRole('link', { name: '延长天数：延长天数须为 1 至 10 的整数' }).press('Enter')
    expect(await activeId(clerkPage)).toBe('extension-request-days')
    expect((await extensionOf(clerk, caseNo)).open).toBeNull()

    // a reason with a character that turns what follows around is stopped before it is sent, as
    // the server would stop it (the applicant reads the reason in their messages and by SMS)
    const sent = requestsTo(clerkPage, /\/extension-request$/)
    const reason = clerkPage.getByLabel('延期理由（必填，申请人将看到）')
    await reason.fill('需组织\u202E专家评审')
    await clerkPage.getByRole('button', { name: '提交延期申请' }).click()
    await seen(clerkPage.locator('#extension-request-reason-error').filter({ hasText: '含有不可见的控制字符，请删除后重新输入' }))
    sent.stop()
    expect(sent).toEqual([])
    await reason.fill('')
    await days.focus()

    await clerkPage.keyboard.press('ControlOrMeta+A')
    await clerkPage.keyboard.type('５')
    await clerkPage.keyboard.press('Tab')
    await clerkPage.keyboard.type('需组织专家评审')
    await clerkPage.keyboard.press('Tab')
    await clerkPage.keyboard.press('Enter')

    const status = await seen(clerkPage.getByRole('status').filter({ hasText: '延期申请已提交，等待本部门负责人审批。' }))
    await expect.poll(() => status.evaluate(el => el === document.activeElement)).toBe(true)
    const waiting = (await extensionOf(clerk, caseNo)).open!
    expect(waiting).toMatchObject({ days: 5, reason: '需组织专家评审', requestedBy: '王建国' })
    const panel = clerkPage.locator('div', { has: clerkPage.getByRole('heading', { level: 3, name: '延期申请待负责人审批' }) }).last()
    await seen(panel)
    expect((await summaryValue(clerkPage, '申请延长').innerText()).trim()).toBe('5 日')
    expect((await summaryValue(clerkPage, '延期理由').innerText()).trim()).toBe('需组织专家评审')
    expect((await summaryValue(clerkPage, '提出人').innerText()).trim()).toBe('王建国')
    expect((await summaryValue(clerkPage, '提出时间').innerText()).trim()).toBe(instantText(waiting.requestedAt, 'zh'))
    await seen(panel.getByText('由本部门负责人审批；审批前，本件仍按现办理期限办理。'))
    // the clerk cannot decide, nor ask again while it waits
    expect(await clerkPage.getByRole('button', { name: '批准延期' }).count()).toBe(0)
    expect(await clerkPage.getByRole('button', { name: '提交延期申请' }).count()).toBe(0)
    // nothing changed for the applicant yet
    expect((await getCase(clerk, caseNo)).extendedDays).toBe(0)
    await expectNoViolations(clerkPage)
  })

  it('is told when a request was sent meanwhile (another tab), and sees that request', async () => {
    const caseNo = await acceptedCase(7272, '周并发')
    await openPage(clerkPage, `/clerk/cases/${caseNo}`)
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 2, comment: '另一标签页提交', version })).status).toBe(200)

    await clerkPage.getByLabel('延长天数', { exact: true }).fill('3')
    await clerkPage.getByLabel('延期理由（必填，申请人将看到）').fill('需补充核查')
    await clerkPage.getByRole('button', { name: '提交延期申请' }).click()
    await seen(clerkPage.getByRole('status').filter({ hasText: '本件已有延期申请在等待负责人审批，页面已刷新。' }))
    await seen(clerkPage.getByRole('heading', { level: 3, name: '延期申请待负责人审批' }))
    expect((await summaryValue(clerkPage, '延期理由').innerText()).trim()).toBe('另一标签页提交')
    expect((await extensionOf(clerk, caseNo)).open).toMatchObject({ days: 2 })
  })

  it('is told that the list of requests waiting is the head\'s, and has no link to it', async () => {
    await openPage(clerkPage, '/clerk')
    await seen(clerkPage.getByRole('heading', { level: 1, name: '受理工作台' }))
    expect(await clerkPage.getByRole('link', { name: '待审批的延期申请' }).count()).toBe(0)
    await openPage(clerkPage, '/clerk/extensions')
    await seen(clerkPage.getByRole('heading', { level: 1, name: '待审批的延期申请' }))
    await seen(clerkPage.getByText('只有本部门负责人可以查看和审批延期申请，本页没有您需要处理的内容。'))
    expect(await clerkPage.getByRole('table').count()).toBe(0)
    await expectNoViolations(clerkPage)
  })
})

describe('a clerk of a department without a head', () => {
  it('is told on an accepted case that nobody can approve an extension, and is offered no request', async () => {
    const clerk2 = await signedIn(suite.url, 'clerk2')
    const caseNo = await counterCase(clerk2, CLERK2_SERVICE, { name: '郑无批', idNumber: syntheticIdNumber(7575), mobile: '13900007575' })
    expect((await clerk2.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    const page = await suite.newPage()
    await signInThroughPage(page, 'clerk2')
    await openPage(page, `/clerk/cases/${caseNo}`)
    await seen(page.getByRole('heading', { level: 2, name: '延期申请' }))
    await seen(page.getByText('本部门尚未设置负责人，延长办理时限无人可以批准（《行政许可法》第四十二条），因此现在不能申请延期。请联系系统管理员设置本部门负责人。'))
    expect(await page.getByRole('button', { name: '提交延期申请' }).count()).toBe(0)
    expect(await extensionOf(clerk2, caseNo)).toMatchObject({ canRequest: false, noHead: true })
    // nor through the API: a request nobody would see would lapse with the deadline
    const refused = await clerk2.post<{ data: { reason: string } }>(`/api/cases/${caseNo}/extension-request`, { days: 1, comment: '需核查', version: 2 })
    expect([refused.status, refused.body.data.reason]).toEqual([409, 'noHead'])
    await expectNoViolations(page)
  })
})

describe('the head of the department', () => {
  it('finds the request in the list, opens the case and approves it: the case is extended, by the head\'s approval', async () => {
    const caseNo = await acceptedCase(7373, '吴批准')
    const before = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 4, comment: '需组织专家评审', version: before.version })).status).toBe(200)
    const { requestedAt } = (await extensionOf(clerk, caseNo)).open!

    await openPage(headPage, '/clerk')
    // the queue marks the case
    const queued = headPage.getByRole('row').filter({ has: headPage.getByRole('link', { name: caseNo }) })
    await seen(queued.getByText('延期申请待负责人审批'))
    // the link says how many wait (the other tests' requests among them)
    const waiting = (await head.get<{ items: unknown[] }>('/api/extension-requests')).body.items.length
    expect(waiting).toBeGreaterThan(0)
    await headPage.getByRole('link', { name: `待审批的延期申请（${waiting}）`, exact: true }).click()
    await headPage.waitForURL(url => url.pathname === '/clerk/extensions')
    await settled(headPage)
    await seen(headPage.getByRole('heading', { level: 1, name: '待审批的延期申请' }))
    const row = headPage.getByRole('row').filter({ has: headPage.getByRole('link', { name: caseNo }) })
    const cells = (await row.getByRole('cell').allInnerTexts()).map(s => s.trim())
    expect(cells).toEqual([caseNo, '职业技能培训补贴申领', dayText(before.deadline, 'zh'), '4 日', '需组织专家评审', '王建国', instantText(requestedAt, 'zh')])
    await expectNoViolations(headPage)

    await row.getByRole('link', { name: caseNo }).click()
    await headPage.waitForURL(url => url.pathname === `/clerk/cases/${caseNo}`)
    await settled(headPage)
    await seen(headPage.getByRole('heading', { level: 3, name: '延期申请待负责人审批' }))
    // the head does not ask: they decide, or extend themselves
    expect(await headPage.getByRole('button', { name: '提交延期申请' }).count()).toBe(0)
    await seen(headPage.getByRole('radio', { name: '延长办理时限', exact: true }))
    await expectNoViolations(headPage)

    const approve = headPage.getByRole('button', { name: '批准延期' })
    await approve.focus()
    await headPage.keyboard.press('Enter')
    const status = await seen(headPage.getByRole('status').filter({ hasText: '已批准延期：办理时限延长 4 日。' }))
    await expect.poll(() => status.evaluate(el => el === document.activeElement)).toBe(true)

    await expect.poll(async () => (await summaryValue(headPage, '办理时限已延长').innerText()).trim()).toBe('4 日')
    const after = await getCase(clerk, caseNo)
    expect(after).toMatchObject({ status: 'accepted', extendedDays: 4 })
    expect(after.deadline > before.deadline).toBe(true)
    expect(after.events.at(-1)).toMatchObject({ action: 'extend' })
    expect((await summaryValue(headPage, '时限').innerText())).toContain(dayText(after.deadline, 'zh'))
    const history = headPage.locator('section[aria-labelledby="history-title"] li').last()
    await seen(history.getByText('经部门负责人批准，延长办理时限'))
    await seen(history.getByText('经本部门负责人 赵志刚 批准延期'))
    await seen(history.getByText('需组织专家评审'))
    // decided: no request waits, and the case cannot be extended again
    expect(await headPage.getByRole('heading', { level: 3, name: '延期申请待负责人审批' }).count()).toBe(0)
    expect(await headPage.getByRole('radio', { name: '延长办理时限', exact: true }).count()).toBe(0)
    await expectNoViolations(headPage)

    // the clerk who asked sees the extension too
    await openPage(clerkPage, `/clerk/cases/${caseNo}`)
    expect((await summaryValue(clerkPage, '办理时限已延长').innerText()).trim()).toBe('4 日')
    await seen(clerkPage.getByText('经本部门负责人 赵志刚 批准延期'))
    expect(await clerkPage.getByRole('heading', { level: 3, name: '申请延期' }).count()).toBe(0)
  })

  it('declines a request with a reason, which the field asks for first; the clerk who asked reads why and may ask again', async () => {
    const caseNo = await acceptedCase(7474, '郑不批')
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 3, comment: '需实地核查', version })).status).toBe(200)

    await openPage(headPage, `/clerk/cases/${caseNo}`)
    const decline = headPage.getByRole('button', { name: '不予批准', exact: true })
    await decline.focus()
    await headPage.keyboard.press('Enter')
    const reason = headPage.getByLabel('不予批准的理由（不予批准时必填，提出人将看到）')
    await seen(headPage.locator('#extension-decline-reason-error').filter({ hasText: '请填写此项' }))
    expect(await reason.getAttribute('aria-invalid')).toBe('true')
    expect(await reason.getAttribute('aria-describedby')).toBe('extension-decline-reason-error')
    await headPage.getByRole('alert').getByRole('link', { name: '不予批准的理由（不予批准时必填，提出人将看到）：请填写此项' }).press('Enter')
    expect(await activeId(headPage)).toBe('extension-decline-reason')
    expect((await extensionOf(head, caseNo)).open).not.toBeNull()

    await headPage.keyboard.type('材料齐全，可在原期限内办结')
    await headPage.keyboard.press('Tab')
    await headPage.keyboard.press('Enter')
    await seen(headPage.getByRole('status').filter({ hasText: '已不予批准延期，提出人将看到您的理由。' }))
    expect(await headPage.getByRole('heading', { level: 3, name: '延期申请待负责人审批' }).count()).toBe(0)
    expect((await getCase(clerk, caseNo)).extendedDays).toBe(0)

    const { declined } = await extensionOf(clerk, caseNo)
    expect(declined).toMatchObject({ outcome: 'declined', declineReason: '材料齐全，可在原期限内办结', decidedBy: '赵志刚' })
    await openPage(clerkPage, `/clerk/cases/${caseNo}`)
    await seen(clerkPage.getByText(`负责人不予批准延期：材料齐全，可在原期限内办结（赵志刚，${dayText(declined!.decidedAt!, 'zh')}）`))
    await seen(clerkPage.getByRole('heading', { level: 3, name: '申请延期' }))
    await expectNoViolations(clerkPage)

    // asked again and approved: the case is extended, and the earlier refusal is no longer said
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 2, comment: '需补充鉴定', version })).status).toBe(200)
    const again = (await extensionOf(head, caseNo)).open!
    expect((await head.post(`/api/cases/${caseNo}/extension-decision`, { request: again.id, approve: true, version })).status).toBe(200)
    await openPage(clerkPage, `/clerk/cases/${caseNo}`)
    expect((await summaryValue(clerkPage, '办理时限已延长').innerText()).trim()).toBe('2 日')
    expect(await clerkPage.getByText('负责人不予批准延期').count()).toBe(0)
  })

  it('reads the request in English, the clerk\'s Chinese words marked as Chinese', async () => {
    const caseNo = await acceptedCase(7676, '钱英文')
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 2, comment: '需补充鉴定', version })).status).toBe(200)

    await openPage(headPage, '/en/clerk/extensions')
    await seen(headPage.getByRole('heading', { level: 1, name: 'Requests to extend waiting for your decision' }))
    const row = headPage.getByRole('row').filter({ has: headPage.getByRole('link', { name: caseNo }) })
    expect(await row.getByRole('cell', { name: '需补充鉴定' }).getAttribute('lang')).toBe('zh-CN')
    expect(await row.getByRole('cell', { name: '2 days' }).count()).toBe(1)
    await expectNoViolations(headPage)

    await row.getByRole('link', { name: caseNo }).click()
    await headPage.waitForURL(url => url.pathname === `/en/clerk/cases/${caseNo}`)
    await settled(headPage)
    await seen(headPage.getByRole('heading', { level: 3, name: 'Request to extend waiting for the head of the department' }))
    expect(await summaryValue(headPage, 'Reason').getAttribute('lang')).toBe('zh-CN')
    expect(await summaryValue(headPage, 'Asked by').getAttribute('lang')).toBe('zh-CN')
    await seen(headPage.getByRole('button', { name: 'Approve the extension' }))
    await seen(headPage.getByLabel('Reason for declining (required to decline; the clerk who asked will read it)'))
    await expectNoViolations(headPage)
  })

  it('is told of a request in their messages, and the clerk who asked of the approval in theirs', async () => {
    const caseNo = await acceptedCase(7878, '冯消息')
    const before = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/extension-request`, { days: 3, comment: '需组织听证', version: before.version })).status).toBe(200)

    await openPage(headPage, '/clerk')
    await headPage.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /^我的消息/ }).click()
    await headPage.waitForURL(url => url.pathname === '/me/messages')
    await settled(headPage)
    const told = headPage.getByRole('listitem').filter({ hasText: caseNo })
    await seen(told.getByText(`王建国 申请将办件 ${caseNo} 的办理时限延长 3 日（现办结期限 ${dayText(before.deadline, 'zh')}），请在期限届满前审批。`))
    await expectNoViolations(headPage)
    await told.getByRole('link', { name: `查看办件 ${caseNo}` }).click()
    await headPage.waitForURL(url => url.pathname === `/clerk/cases/${caseNo}`)
    await settled(headPage)
    await headPage.getByRole('button', { name: '批准延期' }).click()
    await seen(headPage.getByRole('status').filter({ hasText: '已批准延期：办理时限延长 3 日。' }))

    const after = await getCase(clerk, caseNo)
    await openPage(clerkPage, '/me/messages')
    await seen(clerkPage.getByText(`赵志刚 已批准延长办件 ${caseNo} 的办理时限，办结期限延至 ${dayText(after.deadline, 'zh')}。`))
    await expectNoViolations(clerkPage)
  })

  it('sees an empty list once nothing waits', async () => {
    // the requests the clerk's tests left open: declined here, as the head would
    const { body } = await head.get<{ items: { id: number, caseNo: string }[] }>('/api/extension-requests')
    for (const item of body.items) {
      const { version } = await getCase(head, item.caseNo)
      expect((await head.post(`/api/cases/${item.caseNo}/extension-decision`, { request: item.id, approve: false, comment: '不需要延期', version })).status).toBe(200)
    }
    await openPage(headPage, '/clerk/extensions')
    await seen(headPage.getByText('目前没有待审批的延期申请。'))
    await expectNoViolations(headPage)
  })
})
