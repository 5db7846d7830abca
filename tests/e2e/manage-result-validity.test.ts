/**
 * An editor stating how long an item's e-licence is valid: the temporary ID card's three months
 * are shown as the seed says them, a month count out of range is refused beside its input (and
 * linked from the error summary), and each choice is saved as the guide states it.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const zh = JSON.parse(readFileSync('i18n/locales/zh/manage.json', 'utf8')).manage
const suite = useBrowserSuite()
let admin: Client

beforeAll(async () => {
  admin = await signedIn(suite.url, 'admin')
})

const CODE = 'SZGA-0003'
const savedValidity = async () => (await admin.get<{ draft: { guide: Record<string, unknown> } | null }>(`/api/manage/services/${CODE}`)).body.draft?.guide.resultValidity

describe('an editor stating the period of validity of an item\'s licence', () => {
  it('sees the seed\'s three months, is told beside the input that 0 is no period, and saves each choice as stated', async () => {
    const { context } = await suite.newContext()
    await addSession(context, suite.url, admin)
    const page = await context.newPage()
    await page.goto(`/manage/catalogue/${CODE}`)
    await settled(page)
    const kind = page.getByLabel(zh.field.resultValidity)
    const months = page.getByLabel(zh.fieldIn.resultValidity.months)
    expect(await kind.inputValue()).toBe('months')
    expect(await months.inputValue()).toBe('3')
    const save = () => page.locator('#guide-editor button[type="submit"]').click()

    await months.fill('0')
    await save()
    const link = await seen(page.getByRole('link', { name: zh.rule.validityMonths }))
    await link.click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('g-resultValidity-months')
    expect(await months.getAttribute('aria-invalid')).toBe('true')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    // after a save the page loads the draft again and puts a fresh editor in place: the next
    // choice is made in that one (settled), not in the one about to go
    await months.fill('6')
    await save()
    await expect.poll(savedValidity).toEqual({ months: 6 })
    await settled(page)
    await kind.selectOption('longTerm')
    expect(await months.count()).toBe(0)
    await save()
    await expect.poll(savedValidity).toEqual({ longTerm: true })
    await settled(page)
    // "not stated" is the guide saying nothing: the key is gone, and the licence gets the default
    await kind.selectOption('')
    await save()
    await expect.poll(savedValidity).toBeUndefined()
  })
})

describe('the public guide of an item with a licence', () => {
  it('says how long the licence holds, in the page\'s language, and nothing where the guide does not say', async () => {
    const page = await suite.newPage()
    const validityOf = async (path: string) => {
      await page.goto(path)
      await settled(page)
      const term = page.locator('dt').filter({ hasText: /^(证照有效期|Valid for)$/ })
      return await term.count() ? (await term.locator('xpath=following-sibling::dd[1]').innerText()).trim() : null
    }
    // 居民身份证: by the holder's age (居民身份证法 第五条)
    expect(await validityOf('/services/SZGA-0001')).toContain('46 周岁以上长期有效')
    // the temporary ID card's three months, in English
    expect(await validityOf('/en/services/SZGA-0003')).toBe('3 months')
    // 高新技术企业 certificate: three years (SZKC-0001)
    expect(await validityOf('/services/SZKC-0001')).toBe('3 年')
    // an item that states no period shows none (SZRS-0004, 社会保障卡)
    expect(await validityOf('/services/SZRS-0004')).toBeNull()
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
