/**
 * Where a keyboard user is left after an action that changes the page under them (WCAG 2.4.3,
 * 4.1.3): a citizen who rates a completed case, someone whose tracking look-up finds nothing, and
 * a clerk who records a counter intake. Before, the form or its disabled button went away with
 * focus on it, focus fell to <body>, and the next Tab started again at the footer.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, createDraft, demoPerson, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
let citizen: Client
let clerk: Client

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
  clerk = await signedIn(suite.url, 'clerk')
})

async function pageAs(who: Client | null): Promise<Page> {
  const { context } = await suite.newContext()
  if (who) await addSession(context, suite.url, who)
  return context.newPage()
}

/** A case of the citizen's, submitted online without files and completed by the clerk. */
async function completedCase(): Promise<string> {
  const draft = await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, demoPerson('citizen'), []))
  const submitted = await citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)
  expect(submitted.status).toBe(201)
  const caseNo = submitted.body.caseNo
  for (const action of ['accept', 'approve']) {
    const res = await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })
    expect(res.status).toBe(200)
  }
  return caseNo
}

/** What has focus, as a person would describe it: its tag, its text, and whether it is in the footer. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').trim(), inFooter: !!el?.closest('footer') }
})

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('a citizen sending a rating without a score', () => {
  it('is asked to choose one, and the summary\'s link takes focus to the first score', async () => {
    const caseNo = await completedCase()
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    const panel = page.locator('section[aria-labelledby="rating-heading"]')
    await panel.getByRole('button', { name: '提交评价' }).click()
    const link = panel.getByRole('link', { name: '总体评价：请选择一项' })
    await link.waitFor({ state: 'visible' })
    await link.click()
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('radio')
  })
})

describe('a citizen rating a completed case by keyboard', () => {
  it('is taken to the thank-you message once the rating is in, not left at the footer', async () => {
    const caseNo = await completedCase()
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    const panel = page.locator('section[aria-labelledby="rating-heading"]')
    await panel.getByRole('group', { name: '总体评价' }).getByRole('radio', { name: /^5 分/ }).check()
    await panel.getByRole('button', { name: '提交评价' }).focus()
    await page.keyboard.press('Enter')

    // the rating is in: the form and its button are gone, the rating is shown
    await expect.poll(() => panel.getByRole('button', { name: '提交评价' }).count()).toBe(0)
    await panel.getByText('5 分：非常满意').first().waitFor()
    await expect.poll(async () => (await focused(page)).text).toBe('感谢您的评价！')
    expect(await page.evaluate(() => !!document.activeElement?.closest('section[aria-labelledby="rating-heading"]'))).toBe(true)
    // Shift+Tab from the message goes back into the page before it, not round from the footer
    await page.keyboard.press('Shift+Tab')
    expect((await focused(page)).tag).not.toBe('body')
    expect((await focused(page)).inFooter).toBe(false)
    await expectNoViolations(page)
  })
})

describe('someone tracking a case with an ID number that does not match', () => {
  it('keeps focus at the look-up, hears that nothing was found, and goes back to the ID number to correct it', async () => {
    const page = await pageAs(null)
    await page.goto('/track')
    await waitForHydration(page)
    const caseNo = await completedCase()
    await page.getByLabel('办件编号', { exact: true }).fill(caseNo)
    // a valid ID number (its check digit is right), but not the applicant's
    await page.getByLabel('申请人身份证号码').fill(syntheticIdNumber(8123))
    await page.getByRole('button', { name: '查询' }).focus()
    await page.keyboard.press('Enter')

    const message = page.getByRole('status').filter({ hasText: '没有找到与办件编号和身份证号码相符的办件' })
    await message.waitFor()
    await expect.poll(async () => (await focused(page)).text).toBe('查询')
    expect((await focused(page)).tag).toBe('button')
    await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('track-idNumber')
    // and the look-up can be pressed again at once, once corrected
    await page.getByLabel('申请人身份证号码').fill(demoPerson('citizen').idNumber)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).text).toBe('查询结果')
    await expectNoViolations(page)
  })
})

describe('a clerk recording a counter intake', () => {
  it('is taken to the confirmation with the new case number, and from there to the case', async () => {
    const page = await pageAs(clerk)
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await settled(page)
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('钱焦点')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(8124))
    await page.getByLabel('手机号码', { exact: true }).fill('13900008124')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()

    const confirmation = page.getByRole('status').filter({ hasText: '已登记收件' })
    await confirmation.waitFor()
    await expect.poll(async () => (await focused(page)).text).toMatch(/^已登记收件，办件编号 SZ\d{14}/)
    const caseNo = (await confirmation.textContent())!.match(/SZ\d{14}/)![0]
    // the next Tab is the link to the case just made, not the footer
    await page.keyboard.press('Tab')
    expect(await focused(page)).toEqual({ tag: 'a', text: '打开该办件', inFooter: false })
    expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute('href'))).toBe(`/clerk/cases/${caseNo}`)
    await expectNoViolations(page)
  })
})
