/**
 * Where a clerk's keyboard focus goes after an action that takes its own button away (WCAG 2.4.3,
 * 4.1.3): answering a poor rating (the ticket leaves the list of open ones), revoking an e-licence
 * (the revoke form goes), and inviting the applicant to rate (the button goes). Before, each button
 * was disabled while its request ran, which already dropped focus to <body>, and then removed.
 * Now each stays focusable meanwhile (aria-disabled) and focus ends on the message saying what
 * happened, read from a live region that was in the page before its text. And the revoke form's
 * errors say which field they are about, as every other form does.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { demoPerson, getCase, RESULT_SERVICE, submitOnline } from '../support/fixtures'

const suite = useBrowserSuite()
let citizen: Client
let clerk: Client

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
  clerk = await signedIn(suite.url, 'clerk')
})

async function clerkPage(path: string): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, clerk)
  const page = await context.newPage()
  await page.goto(path)
  await settled(page)
  return page
}

/** A case of the citizen's, submitted online and completed by the clerk (SZRS, the clerk's department). */
async function completedCase(label: string): Promise<string> {
  const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), RESULT_SERVICE, label)
  for (const action of ['accept', 'approve']) {
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })).status).toBe(200)
  }
  return caseNo
}

/** Marks the live regions now in the page, to tell later that a message came into one that was there before it. */
const markLiveRegions = (page: Page) => page.evaluate(() => document.querySelectorAll('[role=status],[role=alert],[aria-live]').forEach((e) => {
  (e as HTMLElement).dataset.before = '1'
}))

/** The focused element's text, and whether it is a live region that was in the page before (see markLiveRegions). */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null
  return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').trim(), liveBefore: el?.dataset.before === '1' && el.getAttribute('role') === 'status' }
})

/**
 * Holds the next request to `url` until the returned function is called, so a test can look at the
 * page while the request runs; counts the requests made meanwhile.
 */
async function hold(page: Page, url: string): Promise<{ release: () => void, requests: () => number }> {
  let release!: () => void
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  let requests = 0
  await page.route(url, async (route) => {
    requests++
    await held
    await route.continue()
  })
  return { release, requests: () => requests }
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('a clerk answering a poor rating by keyboard', () => {
  it('keeps focus on 提交答复 while it is sent, then is on the confirmation once the ticket leaves the list', async () => {
    const caseNo = await completedCase('focus-after-rectification')
    const rating = await citizen.post<{ rectification: { id: number } }>(`/api/cases/${caseNo}/rating`, { score: 1, comment: '等了太久' })
    expect(rating.status).toBe(201)
    const id = rating.body.rectification.id
    const page = await clerkPage('/clerk/rectifications')
    await markLiveRegions(page)
    const item = page.locator(`main article[aria-labelledby="rect-${id}"]`)
    await item.getByLabel('整改答复').fill('已约谈窗口人员并加强培训。')
    const submit = item.getByRole('button', { name: '提交答复' })
    const answer = await hold(page, `**/api/rectifications/${id}/answer`)
    await submit.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => submit.getAttribute('aria-disabled')).toBe('true')
    expect(await submit.evaluate(el => el === document.activeElement)).toBe(true)
    // a second press meanwhile is not a second answer
    await page.keyboard.press('Enter')
    answer.release()

    await expect.poll(() => item.count()).toBe(0)
    await expect.poll(async () => (await focused(page)).text).toBe('答复已提交，已通知申请人。')
    expect((await focused(page)).liveBefore).toBe(true)
    expect(answer.requests()).toBe(1)
    await expectNoViolations(page)
  })
})

describe('a clerk of the issuing department revoking an e-licence by keyboard', () => {
  it('hears which field an error is about, then is on 证照已撤销 once the form has gone', async () => {
    const caseNo = await completedCase('focus-after-revoke')
    const code = (await citizen.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
    const page = await clerkPage(`/me/results/${code}`)
    const form = page.locator('section[aria-labelledby="revoke-heading"]')
    const submit = form.getByRole('button', { name: '确认撤销' })

    // no reason: the summary's link and the message by the field both say what they are about
    await submit.focus()
    await page.keyboard.press('Enter')
    const link = form.getByRole('alert').getByRole('link', { name: '撤销原因：请填写此项' })
    await link.waitFor()
    expect((await page.locator('#revoke-reason-error').textContent())!.trim()).toBe('错误：请填写此项')
    expect(await page.locator('#revoke-reason-error .sr-only').textContent()).toBe('错误：')
    await link.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('revoke-reason')

    await page.keyboard.type('证照信息有误，已重新核发。')
    await markLiveRegions(page)
    const revoke = await hold(page, `**/api/results/${code}/revoke`)
    await submit.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => submit.getAttribute('aria-disabled')).toBe('true')
    expect(await submit.evaluate(el => el === document.activeElement)).toBe(true)
    revoke.release()

    await expect.poll(() => form.count()).toBe(0)
    await expect.poll(async () => (await focused(page)).text).toBe('证照已撤销。')
    expect((await focused(page)).liveBefore).toBe(true)
    expect(revoke.requests()).toBe(1)
    await expectNoViolations(page)

    // back to the case the clerk came from (the holder's list is the holder's), which says the licence is revoked
    await page.getByRole('link', { name: `返回办件 ${caseNo}` }).click()
    await page.waitForURL(url => url.pathname === `/clerk/cases/${caseNo}`)
    await seen(page.getByRole('link', { name: `查看电子证照（核验码 ${code}）` }))
    await seen(page.getByText('已撤销', { exact: true }))
  })
})

describe('a clerk inviting the applicant of a completed case to rate it, by keyboard', () => {
  it('keeps focus on the button while the invitation is sent, then is on the line saying it was sent', async () => {
    const caseNo = await completedCase('focus-after-prompt')
    const page = await clerkPage(`/clerk/cases/${caseNo}`)
    const panel = page.locator('section[aria-labelledby="rating-heading"]')
    await markLiveRegions(page)
    const invite = panel.getByRole('button', { name: '邀请申请人评价' })
    const sent = await hold(page, `**/api/cases/${caseNo}/rating-prompt`)
    await invite.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => invite.getAttribute('aria-disabled')).toBe('true')
    expect(await invite.evaluate(el => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    sent.release()

    await expect.poll(() => invite.count()).toBe(0)
    await expect.poll(async () => (await focused(page)).text).toBe('已向申请人发送评价邀请（站内消息和短信）。')
    expect(await page.evaluate(() => !!document.activeElement?.closest('section[aria-labelledby="rating-heading"]'))).toBe(true)
    // also said by the panel's status region, there before the invitation
    const status = panel.getByRole('status').filter({ hasText: '已向申请人发送评价邀请' })
    expect(await status.getAttribute('data-before')).toBe('1')
    expect(sent.requests()).toBe(1)
    await expectNoViolations(page)
  })
})
