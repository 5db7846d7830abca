/**
 * A person who forgot their password, by keyboard: from the sign-in page to "forgot password",
 * their ID number and mobile, the code the SMS brought (read from the outbox, as their phone
 * would show it), a new password twice, and signing in with it. Every step passes axe. Someone
 * registering again with their ID number is pointed to the same way back in.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { axeViolations, describeViolations, hasHorizontalScroll, screenshot, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { syntheticIdNumber } from '../support/fixtures'
import { latestResetCode } from '../support/sms'

const USERNAME = 'forgetful-e2e'
const OLD_PASSWORD = 'Something-I-forgot-2026'
const NEW_PASSWORD = 'a new sentence I will keep'
// an ID number ending in X, typed in lower case below: found all the same
const ID_NUMBER = syntheticIdNumber(9415)
const MOBILE = '13700009393'

const suite = useBrowserSuite({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })
let page: Page

beforeAll(async () => {
  const res = await new Client(suite.url).post('/api/auth/register', { username: USERNAME, password: OLD_PASSWORD, name: '周忘记', idNumber: ID_NUMBER, mobile: MOBILE })
  expect(res.status).toBe(201)
  page = await suite.newPage()
})

const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
async function expectNoViolations() {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}
async function typeInto(label: string, text: string) {
  await page.getByLabel(label, { exact: true }).focus()
  await page.keyboard.type(text)
}

describe('a person who forgot their password', () => {
  it('finds the way from the sign-in page and asks for a code with their ID number and mobile', async () => {
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByRole('link', { name: '忘记密码？' }).focus()
    await Promise.all([page.waitForURL(url => url.pathname === '/password-reset'), page.keyboard.press('Enter')])
    await waitForHydration(page)
    await expectNoViolations()
    await typeInto('身份证号码', ID_NUMBER.toLowerCase())
    await typeInto('手机号码', MOBILE)
    await page.keyboard.press('Enter')
    // focus moves to the next step, and the live region says a code went out if the details match
    await expect.poll(focusedText).toBe('请查看短信')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('如果填写的信息与某个个人账户一致')
    await expectNoViolations()
    await screenshot(page, 'password-reset-code-sent')
  })

  it('is told what is wrong: nothing typed, then a code that is not the one sent', async () => {
    await page.getByRole('button', { name: '重设密码' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(focusedText).toContain('短信验证码：请填写此项')
    const code = latestResetCode(suite.server.dataDir, MOBILE)
    await typeInto('短信验证码', String((Number(code) + 1) % 1_000_000).padStart(6, '0'))
    await typeInto('新密码', NEW_PASSWORD)
    await typeInto('再次输入新密码', NEW_PASSWORD)
    await page.getByRole('button', { name: '重设密码' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(focusedText).toContain('验证码不正确或已失效')
    await expectNoViolations()
  })

  it('sets a new password with the code from the SMS and signs in with it', async () => {
    const code = latestResetCode(suite.server.dataDir, MOBILE)
    await page.getByLabel('短信验证码', { exact: true }).fill('')
    await typeInto('短信验证码', code)
    await page.getByRole('button', { name: '重设密码' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(focusedText).toBe('密码已重设')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('请用新密码登录')
    await expectNoViolations()
    await screenshot(page, 'password-reset-done')
    expect((await new Client(suite.url).post('/api/auth/login', { username: USERNAME, password: OLD_PASSWORD })).status).toBe(401)
    await signInThroughPage(page, USERNAME, NEW_PASSWORD)
    expect(new URL(page.url()).pathname).toBe('/me')
  })

  it('reads in large text on a narrow screen without sideways scrolling', async () => {
    const { context } = await suite.newContext({ largeText: true, width: 320 })
    const small = await context.newPage()
    await small.goto('/password-reset')
    await waitForHydration(small)
    expect(await hasHorizontalScroll(small)).toBe(false)
    await context.close()
  })
})

describe('someone registering again with an ID number that has an account', () => {
  it('is told so beside the field, with a link to reset the password', async () => {
    await page.goto('/register')
    await waitForHydration(page)
    await typeInto('用户名', 'forgetful-again')
    await typeInto('密码', 'yet another sentence 2026')
    await typeInto('姓名', '周忘记')
    await typeInto('身份证号码', ID_NUMBER)
    await typeInto('手机号码', MOBILE)
    await page.getByRole('button', { name: '注册' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(focusedText).toContain('该身份证号码已注册过账户')
    await expectNoViolations()
    await page.getByRole('link', { name: '忘记密码？通过短信验证码重设密码' }).focus()
    await Promise.all([page.waitForURL(url => url.pathname === '/password-reset'), page.keyboard.press('Enter')])
  })
})
