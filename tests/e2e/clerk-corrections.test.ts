/**
 * A counter case for someone without a portal account goes back for corrections; the person
 * brings them to the counter and the clerk records the resubmission for them (docs/cases.md),
 * correcting exactly the answers the one-time notice listed, by keyboard, on the clerk's case page.
 * A wrong answer is shown by its input and in the error summary, and nothing changes.
 *
 * The item is 职业技能培训补贴申领 (RESULT_SERVICE): the demo clerk's department, a bank account
 * (本人银行账号, 12 to 19 digits) and a choice (证书等级) to list in the notice.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { dayText } from '../../shared/utils/date-format'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, screenshot, seen, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'
import type { CaseView } from '../support/fixtures'

const FIRST_ACCOUNT = '6225880012345678' // answersFor(RESULT_SERVICE)
const CORRECTED_ACCOUNT = '6222020200112233'
const RESUBMIT = '补正后重新提交'

const suite = useBrowserSuite()
let clerk: Client
let page: Page
let caseNo = ''
let returned: CaseView

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '')
const focusedRole = () => page.evaluate(() => document.activeElement?.getAttribute('role') ?? '')

/** Replaces what the focused input holds by typing, as a person would. */
async function retype(text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type(text)
}

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  // nobody has an account with this ID number, so the case is linked to no one
  caseNo = await counterCase(clerk, RESULT_SERVICE, { name: '陈柜台', idNumber: syntheticIdNumber(4242), mobile: '13900004242' })
  const res = await clerk.post(`/api/cases/${caseNo}/transitions`, {
    action: 'return', version: (await getCase(clerk, caseNo)).version, comment: '银行账号和证书等级与证件不符。',
    supplement: { fields: ['bankAccount', 'skillLevel'], materials: [] },
  })
  expect(res.status).toBe(200)
  returned = await getCase(clerk, caseNo)
  expect(returned.allowedActions).toContain('resubmit')
  page = await suite.newPage()
  await signInThroughPage(page, 'clerk')
})

describe('the clerk records corrections for an applicant without an account', () => {
  it('shows the listed answers, prefilled; a wrong one is refused by its input and nothing changes', async () => {
    await page.goto(`/clerk/cases/${caseNo}`)
    await waitForHydration(page)
    // what the notice asked for, as the applicant read it, in the form's order
    const notice = page.getByRole('region', { name: '已向申请人发出的一次性告知' })
    await seen(notice.getByText('银行账号和证书等级与证件不符。'))
    expect((await notice.getByRole('listitem').allTextContents()).map(s => s.trim())).toEqual(['证书等级', '本人银行账号'])
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: RESUBMIT }).focus()
    await page.keyboard.press('Space')
    const account = await seen(page.getByLabel('本人银行账号'))
    expect(await account.inputValue()).toBe(FIRST_ACCOUNT)
    expect(await page.getByLabel('证书等级').inputValue()).toBe('l4')
    // only what the notice lists can be changed
    expect(await page.getByLabel('开户银行').count()).toBe(0)

    await account.focus()
    await retype('6'.repeat(20))
    await page.keyboard.press('Enter')
    await expect.poll(focusedRole).toBe('alert')
    const link = await seen(page.getByRole('alert').getByRole('link', { name: '本人银行账号：请填写 12 至 19 位数字的银行卡号或账号' }))
    expect(await account.getAttribute('aria-invalid')).toBe('true')
    expect(await account.getAttribute('aria-describedby')).toContain('fix-bankAccount-error')
    await seen(page.locator('#fix-bankAccount-error').filter({ hasText: '请填写 12 至 19 位数字的银行卡号或账号' }))
    await screenshot(page, 'clerk-corrections-error')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    // the summary's link leads the keyboard back to the input
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(await link.innerText())
    await page.keyboard.press('Enter')
    await expect.poll(focusedId).toBe('fix-bankAccount')
    const now = await getCase(clerk, caseNo)
    expect([now.status, now.version, now.answers.bankAccount]).toEqual(['supplement', returned.version, FIRST_ACCOUNT])
  })

  it('shows the server\'s refusal of an answer by that input too', async () => {
    // the server's own 400 for a bad choice, played back: the browser's check never sends one
    const refused = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version: returned.version, answers: { skillLevel: 'l9' } })
    expect(refused.status).toBe(400)
    await page.route('**/transitions', route => route.fulfill({ status: 400, json: refused.body }), { times: 1 })
    await retype(CORRECTED_ACCOUNT)
    await page.keyboard.press('Enter')
    await expect.poll(focusedRole).toBe('alert')
    await seen(page.getByRole('alert').getByRole('link', { name: '证书等级：请从列表中选择一项' }))
    expect(await page.getByLabel('证书等级').getAttribute('aria-invalid')).toBe('true')
    await seen(page.locator('#fix-skillLevel-error'))
    expect(await page.locator('#fix-bankAccount-error').count()).toBe(0)
  })

  it('records the resubmission with the corrected answers', async () => {
    await page.getByLabel('证书等级').focus()
    await page.keyboard.press('ArrowDown')
    expect(await page.getByLabel('证书等级').inputValue()).toBe('l3')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${RESUBMIT}` }))
    await seen(page.locator('dt', { hasText: '状态' }).first().locator('xpath=following-sibling::dd[1]').filter({ hasText: '已提交，待受理' }))
    const answers = page.getByRole('region', { name: '申请表内容' })
    await seen(answers.getByText(CORRECTED_ACCOUNT))
    await seen(answers.getByText('三级/高级工'))
    const after = await getCase(clerk, caseNo)
    expect(after.status).toBe('submitted')
    expect(after.answers).toMatchObject({ bankAccount: CORRECTED_ACCOUNT, skillLevel: 'l3', bankName: '招商银行' })
    expect(after.events.at(-1)).toMatchObject({ action: 'resubmit', from: 'supplement', to: 'submitted' })
    // the round is kept as the correction history (补正记录): which answers the clerk changed, by label
    const history = await seen(page.getByRole('region', { name: '补正记录' }))
    const round = history.getByRole('listitem').filter({ hasText: '第 1 次补正' })
    await seen(round.getByText('本人银行账号', { exact: false }))
    expect(await round.innerText()).toContain('证书等级')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('a counter case returned for a new scan', () => {
  it('marks the scan the notice asks for as required, not （选填）: at the counter no scan is required, but this one must come', async () => {
    // nobody has an account with this ID number: the clerk records the correction
    const scanCase = await counterCase(clerk, CLERK_SERVICE, { name: '林扫描', idNumber: syntheticIdNumber(4343), mobile: '13900004343' })
    const { version } = await getCase(clerk, scanCase)
    expect((await clerk.post(`/api/cases/${scanCase}/transitions`, {
      action: 'return', version, comment: '照片不清晰，请重新提交。', supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] },
    })).status).toBe(200)
    await page.goto(`/clerk/cases/${scanCase}`)
    await waitForHydration(page)
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: RESUBMIT }).check()
    const scan = page.locator('#fix-digitalPhotoReceiptFile')
    await scan.waitFor({ state: 'attached' })
    const form = page.locator('form').filter({ has: scan })
    expect(await form.getByText('（选填）').count()).toBe(0)
  })
})

describe('a withdrawal the clerk records for an applicant without an account', () => {
  it('asks for the applicant\'s request as it asks for a reason, and records it with the case', async () => {
    // nobody has an account with this ID number: the person asks the clerk to withdraw it
    const withdrawing = await counterCase(clerk, CLERK_SERVICE, { name: '周撤回', idNumber: syntheticIdNumber(4444), mobile: '13900004444' })
    await page.goto(`/clerk/cases/${withdrawing}`)
    await waitForHydration(page)
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: '撤回申请' }).check()
    const request = await seen(page.getByLabel('申请人的撤回申请（必填，申请人可见）'))
    expect(await request.getAttribute('aria-describedby')).toBe('action-comment-hint')
    await seen(page.locator('#action-comment-hint').filter({ hasText: '申请人于窗口书面申请撤回' }))
    await page.getByRole('button', { name: '撤回申请' }).click()
    await expect.poll(focusedRole).toBe('alert')
    await seen(page.getByRole('alert').getByRole('link', { name: '申请人的撤回申请（必填，申请人可见）：请填写此项' }))
    expect(await request.getAttribute('aria-invalid')).toBe('true')
    expect(await request.getAttribute('aria-describedby')).toBe('action-comment-hint action-comment-error')
    expect((await getCase(clerk, withdrawing)).status).toBe('submitted')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    await request.fill('申请人于窗口书面申请撤回')
    await page.getByRole('button', { name: '撤回申请' }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：撤回申请' }))
    const after = await getCase(clerk, withdrawing)
    expect(after.status).toBe('withdrawn')
    expect(after.events.at(-1)).toMatchObject({ action: 'withdraw', actorRole: 'clerk', comment: '申请人于窗口书面申请撤回' })
  })
})

describe('the period a return gives to correct (补正期限), and a case not corrected in time', () => {
  const RETURN = '退回补正'
  const LAPSE = '逾期未补正，视为撤回'

  it('is ten working days unless the clerk types another, checked before sending, and stated with the notice', async () => {
    const late = await counterCase(clerk, CLERK_SERVICE, { name: '何逾期', idNumber: syntheticIdNumber(4545), mobile: '13900004545' })
    await page.goto(`/clerk/cases/${late}`)
    await waitForHydration(page)
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: RETURN }).check()
    const period = await seen(page.getByLabel('补正期限（工作日）'))
    expect(await period.inputValue()).toBe('10')
    await page.getByLabel('理由（申请人将看到）').fill('身份证复印件不清晰。')
    await period.fill('0')
    await page.getByRole('button', { name: RETURN }).click()
    await expect.poll(focusedRole).toBe('alert')
    await seen(page.getByRole('alert').getByRole('link', { name: '补正期限（工作日）：补正期限须为 1 至 60 的整数（工作日）' }))
    expect(await period.getAttribute('aria-invalid')).toBe('true')
    expect((await getCase(clerk, late)).status).toBe('submitted')

    await period.fill('５')
    await page.getByRole('button', { name: RETURN }).click()
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${RETURN}` }))
    const { supplementNotice } = (await clerk.get<{ supplementNotice: { due: string } }>(`/api/cases/${late}`)).body
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    expect(supplementNotice.due > today).toBe(true)
    const notice = page.getByRole('region', { name: '已向申请人发出的一次性告知' })
    await seen(notice.getByText(`补正期限：请于 ${dayText(supplementNotice.due, 'zh')}（含）前补正；逾期未补正的，视为撤回申请。`))
    // not offered while the period runs
    expect(await page.getByRole('radio', { name: LAPSE }).count()).toBe(0)

    // the period ran out (its last day put in the past, for this test only)
    const db = new Database(join(suite.server.dataDir, 'portal.db'))
    try { db.prepare(`UPDATE cases SET supplement_notice = json_set(supplement_notice, '$.due', '2026-01-05') WHERE case_no = ?`).run(late) }
    finally { db.close() }
    // the queue says so beside the case, where the clerk finds it
    await page.goto('/clerk?status=supplement')
    await waitForHydration(page)
    await seen(page.locator('main tbody tr', { hasText: late }).getByText('补正期限 2026年1月5日 已过'))
    await page.goto(`/clerk/cases/${late}`)
    await waitForHydration(page)
    await seen(notice.getByText('补正期限已于 2026年1月5日 届满，申请可被视为撤回；在部门作出处理之前，仍可提交补正。'))
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: LAPSE }).focus()
    await page.keyboard.press('Space')
    await seen(page.locator('#action-lapse-hint').filter({ hasText: '补正期限已于 2026年1月5日 届满，申请人仍未补正。' }))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await page.getByRole('button', { name: LAPSE }).click()
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${LAPSE}` }))
    const after = await getCase(clerk, late)
    expect(after.status).toBe('withdrawn')
    expect(after.events.at(-1)).toMatchObject({ action: 'lapse', from: 'supplement', to: 'withdrawn' })
  })
})
