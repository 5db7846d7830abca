/**
 * A person applying for 无犯罪记录证明开具 (SZGA-0015) chooses 开具用途 = 其他, which asks
 * 其他用途说明, and clicks 检查填写内容 with it empty: the summary and the message beside the field
 * name 其他用途说明, never the select just filled ("开具用途：请选择一项" was shown there until a
 * reload), whether 其他 was chosen at once or after another purpose, in Chinese and in English.
 * A bank account typed as letters is named at its field too, and typed full-width in groups it
 * is taken as the account; so is an organisation's credit code on "my account" (/me).
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { discardDrafts, registerCitizen } from '../support/fixtures'

const SERVICE = 'SZGA-0015'

const suite = useBrowserSuite()
let citizen: Client

beforeAll(async () => {
  ;({ client: citizen } = await registerCitizen(suite.url, 7315, 'purpose'))
})

/** The apply page of `service` in a context signed in as the citizen, with a new draft. */
async function applyPage(service: string, prefix = ''): Promise<Page> {
  await discardDrafts(citizen, service)
  const { context } = await suite.newContext()
  await addSession(context, suite.url, citizen)
  const page = await context.newPage()
  await page.goto(`${prefix}/services/${service}/apply`)
  await page.waitForURL(url => url.searchParams.has('draft'))
  await waitForHydration(page)
  return page
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

/** The links of the error summary, once it is shown. */
async function summaryLinks(page: Page, title: string): Promise<string[]> {
  const summary = await seen(page.getByRole('alert').filter({ hasText: title }))
  return (await summary.getByRole('link').allTextContents()).map(s => s.trim())
}

/** What the person sees of 开具用途 and 其他用途说明: their messages and whether each is marked invalid. */
async function purposeFields(page: Page, purpose: string, detail: string) {
  return {
    purposeError: await page.locator('#field-purpose-error').count(),
    purposeInvalid: await page.getByLabel(purpose, { exact: true }).getAttribute('aria-invalid'),
    detailError: (await page.locator('#field-purposeDetail-error').textContent())?.trim(),
    detailInvalid: await page.getByLabel(detail).getAttribute('aria-invalid'),
  }
}

describe('a person choosing 其他 as the purpose and checking with its explanation empty', () => {
  it('is told to fill in 其他用途说明, at the summary and beside the field, not at the select', async () => {
    const page = await applyPage(SERVICE)
    await page.getByLabel('开具用途', { exact: true }).selectOption({ label: '其他' })
    await seen(page.getByLabel('其他用途说明'))
    await page.getByRole('button', { name: '检查填写内容' }).click()
    expect(await summaryLinks(page, '请更正以下问题')).toEqual(['其他用途说明：请填写此项'])
    expect(await purposeFields(page, '开具用途', '其他用途说明')).toEqual({
      purposeError: 0, purposeInvalid: null, detailError: '错误：请填写此项', detailInvalid: 'true',
    })
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    // the summary's link leads to the field to fill in
    await page.getByRole('link', { name: '其他用途说明：请填写此项' }).click()
    await expect.poll(() => focusedId(page)).toBe('field-purposeDetail')

    // the same after a reload, once the choice is saved
    await page.getByRole('button', { name: '保存草稿' }).click()
    await seen(page.getByRole('status').filter({ hasText: /草稿已于 .+ 保存/ }))
    await page.reload()
    await waitForHydration(page)
    expect(await page.getByLabel('开具用途', { exact: true }).inputValue()).toBe('other')
    await page.getByRole('button', { name: '检查填写内容' }).click()
    expect(await summaryLinks(page, '请更正以下问题')).toEqual(['其他用途说明：请填写此项'])
    expect(await page.locator('#field-purpose-error').count()).toBe(0)
  })

  it('is told the same in English after switching to Other from another purpose', async () => {
    const page = await applyPage(SERVICE, '/en')
    const purpose = page.getByLabel('Purpose', { exact: true })
    await purpose.selectOption({ label: 'Employment' })
    await purpose.selectOption({ label: 'Other' })
    await seen(page.getByLabel('Other purpose'))
    await page.getByRole('button', { name: 'Check your answers' }).click()
    expect(await summaryLinks(page, 'There is a problem')).toEqual(['Other purpose: Enter this information'])
    expect(await purposeFields(page, 'Purpose', 'Other purpose')).toEqual({
      purposeError: 0, purposeInvalid: null, detailError: 'Error: Enter this information', detailInvalid: 'true',
    })
    // answered, the error goes, and the next check leads on to the review
    await page.getByLabel('Other purpose').fill('Visa application')
    await expect.poll(() => page.locator('#field-purposeDetail-error').count()).toBe(0)
    await page.getByRole('button', { name: 'Check your answers' }).click()
    await page.waitForURL(url => url.pathname === `/en/services/${SERVICE}/apply/review`)
  })
})

describe('a person giving the bank account of 住房公积金提取（购房）', () => {
  it('is told at that field that letters are no account, and a full-width one in groups is taken', async () => {
    const page = await applyPage('SZGJJ-0001')
    // the account is on the second step
    await page.getByRole('button', { name: '下一步' }).click()
    const account = await seen(page.getByLabel('本人银行账号'))
    await account.fill('abc')
    await page.getByRole('button', { name: '下一步' }).click()
    const links = await summaryLinks(page, '请更正以下问题')
    expect(links).toContain('本人银行账号：银行账号只能由数字组成，请核对后重新填写')
    expect(await account.getAttribute('aria-invalid')).toBe('true')
    await account.fill('６２２２ ０２１２ ３４５６ ７８９０ １２３')
    await expect.poll(() => page.locator('#field-bankAccount-error').count()).toBe(0)
    await page.getByRole('button', { name: '保存草稿' }).click()
    await seen(page.getByRole('status').filter({ hasText: /草稿已于 .+ 保存/ }))
    const drafts = await citizen.get<{ items: { id: string }[] }>('/api/applications?status=draft&serviceCode=SZGJJ-0001')
    const saved = await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${drafts.body.items[0]!.id}`)
    expect(saved.body.answers.bankAccount).toBe('6222021234567890123')
  })
})

describe('a person adding their organisation on "my account" with the code as printed on the licence', () => {
  it('has it added under the code itself, typed full-width or in its groups', async () => {
    const { context } = await suite.newContext()
    await addSession(context, suite.url, citizen)
    const page = await context.newPage()
    await page.goto('/me')
    await waitForHydration(page)
    await page.getByLabel('单位名称').fill('深圳市全角科技有限公司')
    // longer than the 18 characters of the code: nothing of it may be cut off as it is typed
    await page.getByLabel('统一社会信用代码').fill('91440300 MA51 000016')
    await page.getByRole('button', { name: '添加单位' }).click()
    await seen(page.getByRole('status').filter({ hasText: '已添加单位：深圳市全角科技有限公司' }))
    const list = page.locator('section[aria-labelledby="organizations-title"] li')
    expect(await list.filter({ hasText: '深圳市全角科技有限公司' }).textContent()).toContain('（统一社会信用代码 91440300MA51000016）')
    // the same code full-width is the same organisation
    await page.getByLabel('单位名称').fill('深圳市全角科技有限公司')
    await page.getByLabel('统一社会信用代码').fill('９１４４０３００ＭＡ５１００００１６')
    await page.getByRole('button', { name: '添加单位' }).click()
    await seen(page.locator('#field-org-uscc-error').filter({ hasText: '这个单位已在您的账户中' }))
  })
})
