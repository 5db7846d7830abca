/**
 * A person who registers is led, right away, to verify their mobile with the code the SMS brings
 * (read from the outbox, as their phone would show it), by keyboard; another who skipped it does
 * it later on "My account", which says whether the mobile is verified. A third, whose phone's
 * browser reloads the page on return from the SMS app, still finds the box for the code received
 * (asking again would void it). Every step passes axe.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { axeViolations, describeViolations, screenshot, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { syntheticIdNumber } from '../support/fixtures'
import { latestMobileCode, smsTo } from '../support/sms'

const PASSWORD = 'a sentence for my new account'
const FIRST = { username: 'verify-e2e', name: '孙核验', idNumber: syntheticIdNumber(9511), mobile: '13700009511' }
const SECOND = { username: 'later-e2e', name: '郑稍后', idNumber: syntheticIdNumber(9512), mobile: '13700009512' }
const THIRD = { username: 'reload-e2e', name: '冯重载', idNumber: syntheticIdNumber(9513), mobile: '13700009513' }

const suite = useBrowserSuite({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
const focusedLabel = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim() ?? '' : ''
})
async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}
async function typeInto(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).focus()
  await page.keyboard.type(text)
}
async function press(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).focus()
  await page.keyboard.press('Enter')
}

describe('a person who has just registered', () => {
  let page: Page
  beforeAll(async () => { page = await suite.newPage() })

  it('is led from the registration form to verifying the mobile, told why, and that it may wait', async () => {
    await page.goto('/register')
    await waitForHydration(page)
    await typeInto(page, '用户名', FIRST.username)
    await typeInto(page, '密码', PASSWORD)
    await typeInto(page, '姓名', FIRST.name)
    await typeInto(page, '身份证号码', FIRST.idNumber)
    await typeInto(page, '手机号码', FIRST.mobile)
    await Promise.all([page.waitForURL(url => url.pathname === '/me', { timeout: 30_000 }), press(page, '注册')])
    await waitForHydration(page)
    await expect.poll(() => focusedText(page)).toBe('手机号码核验')
    await expect.poll(() => page.getByText('账户已创建').count()).toBe(1)
    await expect.poll(() => page.getByText('也可以暂时跳过').count()).toBe(1)
    await expect.poll(() => page.getByText('尚未核验').textContent()).toContain('137****9511')
    await expectNoViolations(page)
  })

  it('asks for a code, is told what is wrong (nothing typed, then a wrong code), and verifies with the one sent', async () => {
    await press(page, '获取短信验证码')
    // focus goes to the code, and the live region says where it went
    await expect.poll(() => focusedLabel(page)).toBe('短信验证码')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('6 位验证码已发送至 137****9511')
    await press(page, '核验')
    await expect.poll(() => focusedText(page)).toContain('短信验证码：请填写此项')
    await expectNoViolations(page)
    const code = latestMobileCode(suite.server.dataDir, FIRST.mobile)
    await typeInto(page, '短信验证码', String((Number(code) + 1) % 1_000_000).padStart(6, '0'))
    await press(page, '核验')
    await expect.poll(() => focusedText(page)).toContain('验证码不正确或已失效')
    await page.getByLabel('短信验证码', { exact: true }).fill('')
    await typeInto(page, '短信验证码', code)
    await press(page, '核验')
    await expect.poll(() => focusedText(page)).toBe('手机号码核验')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('您的手机号码已核验')
    await expect.poll(() => page.getByText('（已核验）').count()).toBe(1)
    await expectNoViolations(page)
    await screenshot(page, 'mobile-verified-after-register')
  })
})

describe('a person who skipped it', () => {
  let page: Page
  beforeAll(async () => {
    const res = await new Client(suite.url).post('/api/auth/register', { username: SECOND.username, password: PASSWORD, name: SECOND.name, idNumber: SECOND.idNumber, mobile: SECOND.mobile })
    expect(res.status).toBe(201)
    page = await suite.newPage()
  })

  it('finds on "My account" that the mobile is not verified, and verifies it there', async () => {
    await signInThroughPage(page, SECOND.username, PASSWORD)
    await page.goto('/me')
    await waitForHydration(page)
    // not come from registering: nothing says the account was just made
    await expect.poll(() => page.getByText('账户已创建').count()).toBe(0)
    await expect.poll(() => page.getByText('（未核验）').count()).toBe(1)
    await expectNoViolations(page)
    await page.getByRole('link', { name: '去核验' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedText(page)).toBe('手机号码核验')
    await press(page, '获取短信验证码')
    await expect.poll(() => focusedLabel(page)).toBe('短信验证码')
    await typeInto(page, '短信验证码', latestMobileCode(suite.server.dataDir, SECOND.mobile))
    await press(page, '核验')
    await expect.poll(() => focusedText(page)).toBe('手机号码核验')
    // the details above say so too, once the profile is read again
    await expect.poll(() => page.getByText('（已核验）').count()).toBe(1)
    await expect(page.getByRole('link', { name: '去核验' }).count()).resolves.toBe(0)
    await expectNoViolations(page)
    await screenshot(page, 'mobile-verified-on-account-page')
  })
})

describe('a person whose phone reloads the page on return from the SMS app', () => {
  let page: Page
  beforeAll(async () => {
    const res = await new Client(suite.url).post('/api/auth/register', { username: THIRD.username, password: PASSWORD, name: THIRD.name, idNumber: THIRD.idNumber, mobile: THIRD.mobile })
    expect(res.status).toBe(201)
    page = await suite.newPage()
  })

  it('still finds the box for the code received, told until when it works, and verifies with it without asking again', async () => {
    await signInThroughPage(page, THIRD.username, PASSWORD)
    await page.goto('/me')
    await waitForHydration(page)
    await press(page, '获取短信验证码')
    await expect.poll(() => focusedLabel(page)).toBe('短信验证码')
    await page.reload()
    await waitForHydration(page)
    // the box and the code's time are there from the server's page on, and no "send a code" alone
    await expect.poll(() => page.getByLabel('短信验证码', { exact: true }).count()).toBe(1)
    await expect.poll(() => page.getByText(/^已发送到您手机的验证码 \d{2}:\d{2} 前有效/).count()).toBe(1)
    await expect.poll(() => page.getByText('重新获取后，此前发送的验证码即失效。').count()).toBe(1)
    expect(await page.getByRole('button', { name: '获取短信验证码', exact: true }).count()).toBe(0)
    await expectNoViolations(page)
    await screenshot(page, 'mobile-code-after-reload')

    await typeInto(page, '短信验证码', latestMobileCode(suite.server.dataDir, THIRD.mobile))
    await press(page, '核验')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('您的手机号码已核验')
    await expect.poll(() => page.getByText('（已核验）').count()).toBe(1)
    // one code was sent, and it did the work
    expect(smsTo(suite.server.dataDir, THIRD.mobile).filter(s => s.template === 'account.mobileVerify')).toHaveLength(1)
  })

  it('is told, in English too, after the hour\'s third code, when a fourth may be asked', async () => {
    const client = new Client(suite.url)
    const person = { username: 'reload-en-e2e', password: PASSWORD, name: '冯英文', idNumber: syntheticIdNumber(9514), mobile: '13700009514' }
    expect((await client.post('/api/auth/register', person)).status).toBe(201)
    for (let i = 0; i < 3; i++) expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)
    const english = await suite.newPage()
    await signInThroughPage(english, person.username, PASSWORD)
    await english.goto('/en/me')
    await waitForHydration(english)
    await expect.poll(() => english.getByLabel('SMS code', { exact: true }).count()).toBe(1)
    await expect.poll(() => english.getByText(/^The code sent to your mobile is valid until /).count()).toBe(1)
    await expect.poll(() => english.getByText(/^You can ask for a new code after .+\. A new code makes the earlier one stop working\.$/).count()).toBe(1)
    await expectNoViolations(english)
  })
})
