/**
 * The answers a clerk fills in at the counter (Case/FieldInput, also the correction form's inputs)
 * tell as much as the citizen's apply form: which answers may be left out (（选填）, and
 * aria-required on the others), a number's range and a text's count against its limit before the
 * intake is refused, "请选择" as the empty choice of a list, a radio group marked invalid after a
 * refused intake, and a scan's arrival and removal announced, with focus kept on the file input
 * when the scan's remove button goes. Items of the demo clerk's department: 劳动人事争议仲裁申请
 * (SZRS-0015: optional code and amount, a long text), 社会保障卡申领 (SZRS-0004: bank list, radio
 * group, a scan that is optional at the counter) and 社会保障卡挂失 (SZRS-0005: an optional tick box).
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, describeViolations, seen, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { syntheticIdNumber, uniquePdf } from '../support/fixtures'

const SCAN = 'counter-photo-receipt.pdf'

const suite = useBrowserSuite()
let page: Page

beforeAll(async () => {
  page = await suite.newPage()
  await signInThroughPage(page, 'clerk')
})

/** What a screen reader reads after the control's name: the texts its aria-describedby points to. */
function description(control: Locator): Promise<string> {
  return control.evaluate(el => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    .map(id => document.getElementById(id)?.textContent?.trim() ?? '').join(' '))
}

const isFocused = (locator: Locator) => locator.evaluate(el => el === document.activeElement)

async function chooseItem(name: string, shownLabel: string): Promise<void> {
  await page.getByLabel('办理事项').selectOption({ label: name })
  await seen(page.getByLabel(shownLabel).first())
}

async function expectNoViolations(): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('the counter\'s answers for 劳动人事争议仲裁申请', () => {
  it('mark the optional ones, and say the required ones are required', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await chooseItem('劳动人事争议仲裁申请', '被申请人（用人单位）名称')
    const optionalCode = page.getByRole('textbox', { name: '被申请人统一社会信用代码（选填）', exact: true })
    expect(await optionalCode.count()).toBe(1)
    expect(await optionalCode.getAttribute('aria-required')).toBeNull()
    const respondent = page.getByRole('textbox', { name: '被申请人（用人单位）名称', exact: true })
    expect(await respondent.getAttribute('aria-required')).toBe('true')
    expect(await page.getByRole('combobox', { name: '主要仲裁请求', exact: true }).getAttribute('aria-required')).toBe('true')
    expect(await page.getByRole('textbox', { name: '事实与理由', exact: true }).getAttribute('aria-required')).toBe('true')
  })

  it('say a number\'s range before it is typed', async () => {
    const amount = page.getByRole('spinbutton', { name: '请求金额（元）（选填）', exact: true })
    await seen(page.getByText('请填写 0 至 10000000 之间的数'))
    expect(await description(amount)).toContain('请填写 0 至 10000000 之间的数')
  })

  it('count a text against its limit as it is typed', async () => {
    const facts = page.getByRole('textbox', { name: '事实与理由', exact: true })
    expect(await description(facts)).toContain('已输入 0 / 2000 字')
    await facts.fill('公司拖欠工资三个月')
    await seen(page.getByText('已输入 9 / 2000 字'))
    expect(await description(facts)).toContain('已输入 9 / 2000 字')
  })

  it('offer "请选择" as the list\'s empty choice', async () => {
    const claim = page.getByRole('combobox', { name: '主要仲裁请求', exact: true })
    expect((await claim.locator('option').first().textContent())?.trim()).toBe('请选择')
    expect(await claim.inputValue()).toBe('')
    await expectNoViolations()
  })
})

describe('the counter\'s answers for 社会保障卡挂失', () => {
  it('mark an optional tick box', async () => {
    await chooseItem('社会保障卡挂失', '同时申请补换卡')
    expect(await page.getByRole('checkbox', { name: '同时申请补换卡（选填）', exact: true }).count()).toBe(1)
  })
})

describe('the counter\'s answers for 社会保障卡申领', () => {
  const scanInput = () => page.locator('#answer-digitalPhotoReceiptFile')

  it('mark the radio group invalid once the intake is refused without a choice, and required', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await chooseItem('社会保障卡申领', '选择合作银行')
    await page.getByLabel('姓名', { exact: true }).fill('冯窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5757))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005757')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('button', { name: '登记收件' }).click()

    await seen(page.getByRole('alert').getByRole('link', { name: /^领卡方式/ }))
    for (const name of ['邮寄到家', '银行网点领取']) expect(await page.getByRole('radio', { name }).getAttribute('aria-invalid')).toBe('true')
    const collectWay = page.getByRole('radiogroup', { name: '领卡方式', exact: true })
    expect(await collectWay.getAttribute('aria-required')).toBe('true')
    expect(await description(collectWay)).toContain('请选择一项')
    await expectNoViolations()
  })

  it('mark the scan optional, as the counter takes the paper materials', async () => {
    expect(await page.getByLabel('近期免冠彩色数码照片回执（选填）', { exact: true }).count()).toBe(1)
  })

  it('announce a scan once it has arrived', async () => {
    await scanInput().setInputFiles({ name: SCAN, mimeType: 'application/pdf', buffer: uniquePdf('counter photo receipt') })
    await seen(page.getByRole('status').filter({ hasText: `已上传 ${SCAN}` }))
  })

  it('put focus back on the file input when a scan is removed by keyboard, and announce the removal', async () => {
    const remove = await seen(page.getByRole('button', { name: `移除 ${SCAN}` }))
    await remove.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => remove.count()).toBe(0)
    await expect.poll(() => isFocused(scanInput())).toBe(true)
    await seen(page.getByRole('status').filter({ hasText: `已移除 ${SCAN}` }))
  })
})
