/**
 * A counter applicant without an account finds public tracking of their case locked for the day
 * (a stranger tried five wrong ID numbers) and gets through by keyboard alone: look up, read the
 * lock, send a code to the mobile on the case, type it (read from the SMS's outbox row, as their
 * phone shows it), see the case. A wrong code is said beside the field. Every state passes axe,
 * and in English with large text on a phone the page needs no horizontal scrolling.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { axeViolations, describeViolations, hasHorizontalScroll, screenshot, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, syntheticIdNumber } from '../support/fixtures'
import { smsTo } from '../support/sms'
import { makeIdNumber } from '../../shared/utils/id-number'

const PERSON = { name: '柜台甲', idNumber: syntheticIdNumber(9611), mobile: '13700009611' }

const suite = useBrowserSuite({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })
let caseNo: string

beforeAll(async () => {
  caseNo = await counterCase(await signedIn(suite.url, 'clerk'), CLERK_SERVICE, PERSON)
  // a stranger's five wrong ID numbers lock the case number for the rest of the day
  const stranger = new Client(suite.url)
  for (let n = 1; n <= 5; n++) {
    const res = await stranger.post('/api/track', { caseNo, idNumber: makeIdNumber(`${PERSON.idNumber.slice(0, 6)}1980010${n}${PERSON.idNumber.slice(14, 17)}`) })
    expect(res.status).toBe(404)
  }
})

const isFocused = (locator: Locator) => locator.evaluate(el => el === document.activeElement)
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
const focusedLabel = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim() ?? '' : ''
})

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never gets there. */
async function tabTo(page: Page, target: Locator, most = 12): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(target)) return
    await page.keyboard.press('Tab')
  }
  expect(await isFocused(target), 'reached by Tab').toBe(true)
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** The code of the first tracking SMS to the applicant's mobile, once it has been sent (the request answers first). */
async function firstCode(): Promise<string> {
  const codes = () => smsTo(suite.server.dataDir, PERSON.mobile).filter(s => s.template === 'case.trackCode')
  await expect.poll(() => codes().length).toBe(1)
  return String(codes()[0]!.params.code)
}

/** Types the pair and looks up, by keyboard; the page then says the case is locked. */
async function lookUpLocked(page: Page, labels: { caseNo: string, idNumber: string, submit: string }): Promise<void> {
  await page.getByLabel(labels.caseNo, { exact: true }).focus()
  await page.keyboard.type(caseNo)
  await page.keyboard.press('Tab')
  expect(await focusedLabel(page)).toBe(labels.idNumber)
  await page.keyboard.type(PERSON.idNumber)
  await page.keyboard.press('Enter')
  await page.getByRole('button', { name: labels.submit, exact: true }).waitFor()
}

describe('the applicant of a locked counter case', () => {
  it('sends a code to the mobile on the case, is told of a wrong code beside the field, and sees the case with the right one', async () => {
    const page = await suite.newPage()
    await page.goto('/track')
    await waitForHydration(page)
    await lookUpLocked(page, { caseNo: '办件编号', idNumber: '申请人身份证号码', submit: '发送验证码到办件登记的手机' })
    expect(await page.getByRole('status').innerText()).toContain('今天查询失败次数过多')
    await expectNoViolations(page)

    const send = page.getByRole('button', { name: '发送验证码到办件登记的手机', exact: true })
    await tabTo(page, send)
    await page.keyboard.press('Enter')
    // focus goes to the code, and the polite live region says a code went out if the details match
    await expect.poll(() => focusedLabel(page)).toBe('短信验证码')
    await expect.poll(() => page.getByText('我们已向该手机号码发送了 6 位验证码，10 分钟内有效').count()).toBe(1)
    expect(await page.getByLabel('短信验证码', { exact: true }).getAttribute('inputmode')).toBe('numeric')
    expect(await page.getByLabel('短信验证码', { exact: true }).getAttribute('autocomplete')).toBe('one-time-code')
    await expectNoViolations(page)
    await screenshot(page, 'track-unlock-sent')

    // nothing typed, then a wrong code: each is said in the summary, which takes focus, and beside the field
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedText(page)).toContain('短信验证码：请填写此项')
    const code = await firstCode()
    await page.getByLabel('短信验证码', { exact: true }).focus()
    await page.keyboard.type(String((Number(code) + 1) % 1_000_000).padStart(6, '0'))
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedText(page)).toContain('验证码不正确或已失效')
    expect(await page.locator('#track-code-error').innerText()).toContain('验证码不正确或已失效')
    expect(await page.getByLabel('短信验证码', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    await expectNoViolations(page)
    await screenshot(page, 'track-unlock-wrong-code')

    // the summary's link takes the keyboard back to the field
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(await focusedLabel(page)).toBe('短信验证码')
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type(code)
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedText(page)).toBe('查询结果')
    const result = page.getByRole('region', { name: '查询结果' })
    expect(await result.innerText()).toContain(caseNo)
    expect(await result.innerText()).toContain('已提交，待受理')
    // the lock and the code form are gone with the answer
    expect(await page.getByRole('button', { name: '发送验证码到办件登记的手机' }).count()).toBe(0)
    await expectNoViolations(page)
    await screenshot(page, 'track-unlock-found')
  })

  it('is offered the same in English, in large text on a phone, without horizontal scrolling', async () => {
    const page = await suite.newPage({ width: 375, largeText: true })
    await page.goto('/en/track')
    await waitForHydration(page)
    await lookUpLocked(page, { caseNo: 'Case number', idNumber: 'Applicant\'s ID number', submit: 'Send a code to the mobile number on the case' })
    await page.getByRole('button', { name: 'Send a code to the mobile number on the case', exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedLabel(page)).toBe('Code from the SMS')
    await expect.poll(() => page.getByText('a 6-digit code has been sent to that number').count()).toBe(1)
    expect(await hasHorizontalScroll(page)).toBe(false)
    await expectNoViolations(page)
    await screenshot(page, 'track-unlock-en-large-text')
  })
})
