/**
 * What the case pages say when an action does not go through, the clerk's and the applicant's
 * alike (composables/useCaseTransition.ts): another hand moved the case meanwhile (409: said, the
 * case read again, nothing done twice); the server finds a field wrong (400: by the field and in
 * the summary); the server is in trouble (5xx: "try again", and what was typed is kept). And the
 * clerk's note is checked for invisible characters before it is sent, as the server checks it.
 * Items: RESULT_SERVICE (SZRS-0010, the demo clerk's department) and CLERK_SERVICE.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, requestsTo, seen, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, demoPerson, getCase, RESULT_SERVICE, submitOnline, syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
let clerk: Client
let citizen: Client

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
})

const NOTE = '给申请人的说明（可选，申请人可见）'
const CONFLICT = '该办件已被他人处理或状态已变化，页面已刷新，请重新确认后再操作。'

async function pageAs(who: Client, path: string): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, who)
  const page = await context.newPage()
  await page.goto(path)
  await waitForHydration(page)
  await settled(page)
  return page
}

/** A counter case of the clerk's department, submitted and not yet accepted. */
const submittedCase = (serial: number) => counterCase(clerk, RESULT_SERVICE, { name: '孙结果', idNumber: syntheticIdNumber(serial), mobile: `1390000${serial}` })

/** The focused element's text. */
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

describe('a clerk acting on a case', () => {
  it('is told when another hand moved the case meanwhile, and sees it as it is now; nothing is done twice', async () => {
    const caseNo = await submittedCase(8101)
    const page = await pageAs(clerk, `/clerk/cases/${caseNo}`)
    // a colleague accepts it from another screen
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)

    await page.getByRole('radio', { name: '受理', exact: true }).check()
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: CONFLICT }))
    await expect.poll(() => focusedText(page)).toBe(CONFLICT)
    // read again: accepting is no longer offered, deciding is
    await seen(page.getByRole('radio', { name: '准予办结', exact: true }))
    expect(await page.getByRole('radio', { name: '受理', exact: true }).count()).toBe(0)
    const kase = await getCase(clerk, caseNo)
    expect(kase.status).toBe('accepted')
    expect(kase.events.filter(e => e.action === 'accept')).toHaveLength(1)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('is stopped before sending a note with a hidden character that would make it read otherwise, as the server would stop it', async () => {
    const caseNo = await submittedCase(8102)
    const page = await pageAs(clerk, `/clerk/cases/${caseNo}`)
    const sent = requestsTo(page, /\/transitions$/)
    await page.getByRole('radio', { name: '受理', exact: true }).check()
    // U+202E turns the rest of the line around: "请于五日内领取" would show reversed
    await page.getByLabel(NOTE).fill('请于\u202E五日内领取')
    await page.getByRole('button', { name: '受理', exact: true }).click()

    const link = await seen(page.getByRole('link', { name: `${NOTE}：含有不可见的控制字符，请删除后重新输入` }))
    expect(await link.getAttribute('href')).toBe('#action-comment')
    expect(await page.getByLabel(NOTE).getAttribute('aria-invalid')).toBe('true')
    expect(sent).toEqual([])
    expect((await getCase(clerk, caseNo)).status).toBe('submitted')
    // the server says the same of it
    const direct = await clerk.post<{ data: { fieldErrors: Record<string, string> } }>(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1, comment: '请于\u202E五日内领取' })
    expect([direct.status, direct.body.data.fieldErrors.comment]).toEqual([400, 'validation.controlChars'])

    // a note of blanks is no note, not an invisible one: accepted without it
    await page.getByLabel(NOTE).fill('   ')
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：受理' }))
    expect((await getCase(clerk, caseNo)).status).toBe('accepted')
  })

  it('sees the server\'s objection by the field it is about', async () => {
    const caseNo = await submittedCase(8103)
    const page = await pageAs(clerk, `/clerk/cases/${caseNo}`)
    // as a server newer than the page would answer a note it now finds too long
    await page.route('**/transitions', route => route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ statusCode: 400, statusMessage: 'Bad Request', data: { fieldErrors: { comment: 'validation.tooLong' } } }),
    }))
    await page.getByRole('radio', { name: '受理', exact: true }).check()
    await page.getByLabel(NOTE).fill('请留意短信通知。')
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('link', { name: `${NOTE}：内容太长，请删减` }))
    expect(await page.getByLabel(NOTE).getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByLabel(NOTE).inputValue()).toBe('请留意短信通知。')
  })

  it('keeps the chosen action and the typed note when the server is in trouble, and carries on once it is back', async () => {
    const caseNo = await submittedCase(8104)
    const page = await pageAs(clerk, `/clerk/cases/${caseNo}`)
    await page.route('**/transitions', route => route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503}' }))
    await page.getByRole('radio', { name: '受理', exact: true }).check()
    await page.getByLabel(NOTE).fill('请留意短信通知。')
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: '操作未成功，请稍后再试。' }))
    await expect.poll(() => focusedText(page)).toBe('操作未成功，请稍后再试。')
    expect(await page.getByRole('radio', { name: '受理', exact: true }).isChecked()).toBe(true)
    expect(await page.getByLabel(NOTE).inputValue()).toBe('请留意短信通知。')
    expect((await getCase(clerk, caseNo)).status).toBe('submitted')

    await page.unroute('**/transitions')
    await page.getByRole('button', { name: '受理', exact: true }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：受理' }))
    const kase = await getCase(clerk, caseNo)
    expect(kase.status).toBe('accepted')
  })
})

describe('an applicant withdrawing a case a clerk has just moved', () => {
  it('is told so, sees the case as it is now, and the case is not withdrawn', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'withdraw-conflict')
    const page = await pageAs(citizen, `/me/cases/${caseNo}`)
    await seen(page.getByRole('button', { name: '撤回申请' }))
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: (await getCase(clerk, caseNo)).version })).status).toBe(200)

    page.once('dialog', d => void d.accept())
    await page.getByRole('button', { name: '撤回申请' }).click()
    await seen(page.getByRole('status').filter({ hasText: CONFLICT }))
    await expect.poll(() => focusedText(page)).toBe(CONFLICT)
    expect((await getCase(citizen, caseNo)).status).toBe('accepted')
    // the page was read again: it shows the case as accepted
    await seen(page.getByText('已受理，办理中', { exact: true }).first())
  })
})
