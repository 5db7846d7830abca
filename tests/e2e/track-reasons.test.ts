/**
 * What the SMS of a return, refusal or rejection promises an applicant is on the tracking page:
 * a counter applicant without an account looks up their returned case and reads the clerk's
 * reason, with the ID and mobile numbers in it masked, and what to correct and hand in, by name,
 * in Chinese and in English (the materials' Chinese names marked as Chinese). A refused or
 * rejected case tells of the right to administrative reconsideration or a suit, with its time
 * limits, on the tracking page and on the applicant's own case page, in both languages. Every
 * state passes axe.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, demoPerson, getCase, submitOnline, syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
let clerk: Client
let citizen: Client

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
})

const PHOTO = '近期免冠彩色数码照片回执'

const LABELS = {
  zh: { path: '/track', caseNo: '办件编号', idNumber: '申请人身份证号码', submit: '查询', result: '查询结果' },
  en: { path: '/en/track', caseNo: 'Case number', idNumber: 'Applicant\'s ID number', submit: 'Track', result: 'Result' },
} as const

const APPEAL = {
  zh: { title: '如对决定不服', text: '如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，或者自知道或者应当知道作出本决定之日起六个月内依法提起行政诉讼。' },
  en: { title: 'If you disagree with the decision', text: 'you may apply for administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit within 6 months' },
} as const

/** A clerk's action on a case through the API, at the case's current version; throws unless 200. */
async function act(caseNo: string, body: Record<string, unknown>): Promise<void> {
  const { version } = await getCase(clerk, caseNo)
  const res = await clerk.post(`/api/cases/${caseNo}/transitions`, { ...body, version })
  if (res.status !== 200) throw new Error(`${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`)
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** Looks a case up on the tracking page in `lang`, as a person types it, and returns the result's region. */
async function track(page: Page, lang: 'zh' | 'en', caseNo: string, idNumber: string): Promise<Locator> {
  const l = LABELS[lang]
  await page.goto(l.path)
  await waitForHydration(page)
  await page.getByLabel(l.caseNo, { exact: true }).fill(caseNo)
  await page.getByLabel(l.idNumber, { exact: true }).fill(idNumber)
  await page.getByRole('button', { name: l.submit, exact: true }).click()
  const result = page.getByRole('region', { name: l.result, exact: true })
  await result.waitFor()
  await settled(page)
  return result
}

describe('an applicant without an account whose counter case was returned for corrections', () => {
  const person = { name: '柜台乙', idNumber: syntheticIdNumber(9721), mobile: '13700009721' }
  const masked = `照片回执不清晰，请重新提供；合作银行请核对。有疑问请拨打 137****9721，身份证号码 ${person.idNumber.slice(0, 6)}********${person.idNumber.slice(-4)}`
  let caseNo: string

  beforeAll(async () => {
    caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    await act(caseNo, {
      action: 'return',
      comment: `照片回执不清晰，请重新提供；合作银行请核对。有疑问请拨打 ${person.mobile}，身份证号码 ${person.idNumber}`,
      supplement: { fields: ['cardBank'], materials: [PHOTO] },
    })
  })

  it('reads on the tracking page the clerk\'s reason, masked, and what to correct and hand in', async () => {
    const page = await suite.newPage()
    const result = await track(page, 'zh', caseNo, person.idNumber)
    // on the step of the history, labelled as the department's words
    expect(await result.getByRole('listitem').filter({ hasText: '部门要求补正材料' }).innerText()).toContain(`部门说明：${masked}`)

    const notice = result.getByRole('region', { name: '一次性告知：需要补正的内容' })
    expect(await notice.innerText()).toContain(masked)
    expect(await notice.getByRole('heading', { name: '请补充或更正以下材料' }).count()).toBe(1)
    expect(await notice.getByRole('listitem').allInnerTexts()).toEqual([PHOTO, '选择合作银行'])
    expect(await notice.innerText()).toContain('请按以上告知携带材料到原办理窗口补正')

    // nothing personal: not the name, the numbers, the bank chosen, nor who handled it
    const text = await page.locator('main').innerText()
    for (const personal of [person.name, person.idNumber, person.mobile, '中国银行', '银行网点领取']) expect(text).not.toContain(personal)
    expect(await page.getByRole('region', { name: APPEAL.zh.title }).count()).toBe(0)
    await expectNoViolations(page)
  })

  it('reads the same in English, the Chinese names and reason marked as Chinese', async () => {
    const page = await suite.newPage()
    const result = await track(page, 'en', caseNo, person.idNumber)
    expect(await result.getByRole('listitem').filter({ hasText: 'The department says:' }).innerText()).toContain(`The department says: ${masked}`)
    expect(await result.locator('span[lang="zh-CN"]', { hasText: '137****9721' }).count()).toBe(1)

    const notice = result.getByRole('region', { name: 'One-time notice: what to correct' })
    expect(await notice.getByRole('heading', { name: 'Correct these answers on the form' }).count()).toBe(1)
    expect(await notice.getByRole('listitem').allInnerTexts()).toEqual([PHOTO, 'Partner bank'])
    expect(await notice.getByRole('listitem').first().getAttribute('lang')).toBe('zh-CN')
    expect(await notice.getByRole('listitem').last().getAttribute('lang')).toBeNull()
    expect(await notice.innerText()).toContain('bring what the notice asks for to that counter')
    await expectNoViolations(page)
  })
})

describe('an applicant whose application was rejected', () => {
  const me = demoPerson('citizen')
  let caseNo: string

  beforeAll(async () => {
    caseNo = (await submitOnline(citizen, me, CLERK_SERVICE, 'appeal-rights')).caseNo
    await act(caseNo, { action: 'accept' })
    await act(caseNo, { action: 'reject', comment: '经核查，申请人已持有有效社会保障卡' })
  })

  async function myCasePage(lang: 'zh' | 'en'): Promise<Page> {
    const { context } = await suite.newContext()
    await addSession(context, suite.url, citizen)
    const page = await context.newPage()
    await page.goto(`${lang === 'en' ? '/en' : ''}/me/cases/${caseNo}`)
    await settled(page)
    return page
  }

  it.each(['zh', 'en'] as const)('is told of the right to reconsideration or a suit on their case page (%s)', async (lang) => {
    const page = await myCasePage(lang)
    const appeal = page.getByRole('region', { name: APPEAL[lang].title, exact: true })
    expect(await appeal.innerText()).toContain(APPEAL[lang].text)
    await expectNoViolations(page)
  })

  it.each(['zh', 'en'] as const)('is told the same on the tracking page, with the reason (%s)', async (lang) => {
    const page = await suite.newPage()
    const result = await track(page, lang, caseNo, me.idNumber)
    const appeal = result.getByRole('region', { name: APPEAL[lang].title, exact: true })
    expect(await appeal.innerText()).toContain(APPEAL[lang].text)
    expect(await appeal.getByRole('heading', { level: 3 }).count()).toBe(1)
    expect(await result.innerText()).toContain('经核查，申请人已持有有效社会保障卡')
    await expectNoViolations(page)
  })
})

describe('an applicant without an account whose counter case was refused', () => {
  it('is told of the right to reconsideration or a suit on the tracking page', async () => {
    const person = { name: '柜台丙', idNumber: syntheticIdNumber(9722), mobile: '13700009722' }
    const caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    await act(caseNo, { action: 'refuse', comment: '申请事项不属于本部门职权范围' })
    const page = await suite.newPage()
    const result = await track(page, 'zh', caseNo, person.idNumber)
    expect(await result.getByRole('region', { name: APPEAL.zh.title }).innerText()).toContain(APPEAL.zh.text)
    expect(await result.getByRole('listitem').filter({ hasText: '不予受理' }).innerText()).toContain('部门说明：申请事项不属于本部门职权范围')
  })
})
