/**
 * 文书 from public tracking: an applicant served at the counter, who has no account, tracks their
 * case returned for corrections, follows the notice's link under the step of the history, and reads
 * its title, their name masked (the pair of case number and ID number is no proof of being the
 * applicant), what to correct and the reason; the Print button is there, and in print the site's
 * header and the page's buttons are not. Back on tracking the ID number is not kept in the field;
 * the document's address opened afresh (a reload, a bookmark) explains that for their privacy it
 * is shown only right after tracking, with a link to tracking, not a 404. The same in English, and
 * after a look-up with an SMS code when tracking is locked. Every state passes axe.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { axeViolations, describeViolations, screenshot, seen, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, getCase, syntheticIdNumber } from '../support/fixtures'
import { smsTo } from '../support/sms'
import { makeIdNumber } from '../../shared/utils/id-number'
import { maskIdNumber, maskName } from '../../shared/utils/mask'

// the SMS of the unlock is queued at once, to be read from the outbox as the phone shows it
const suite = useBrowserSuite({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })
let clerk: Client

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
})

const PHOTO = '近期免冠彩色数码照片回执'
const ID_CARD = '居民身份证'

const LABELS = {
  zh: { path: '/track', caseNo: '办件编号', idNumber: '申请人身份证号码', submit: '查询', result: '查询结果' },
  en: { path: '/en/track', caseNo: 'Case number', idNumber: 'Applicant\'s ID number', submit: 'Track', result: 'Result' },
} as const

/** A clerk's action on a case through the API, at the case's current version; throws unless 200. */
async function act(caseNo: string, body: Record<string, unknown>): Promise<void> {
  const { version } = await getCase(clerk, caseNo)
  const res = await clerk.post(`/api/cases/${caseNo}/transitions`, { ...body, version })
  if (res.status !== 200) throw new Error(`${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`)
}

async function expectNoViolations(page: Page): Promise<void> {
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

/** Follows a link of the tracking result to a document, as a person clicks it; returns once its heading is there. */
async function followLink(page: Page, result: Locator, link: string, title: string): Promise<void> {
  await result.getByRole('link', { name: link, exact: true }).click()
  await seen(page.getByRole('heading', { level: 1, name: title, exact: true }))
  await settled(page)
}

/** The list items under a heading of the document (its section is a region named by it). */
const listUnder = (page: Page, heading: string) => page.getByRole('region', { name: heading, exact: true }).getByRole('listitem').allInnerTexts()

describe('an applicant without an account whose counter case was returned for corrections', () => {
  const person = { name: '柜台丁', idNumber: syntheticIdNumber(9741), mobile: '13700009741' }
  const REASON = `照片回执不清晰，请重新提供；身份证复印件请携带原件到窗口核验。有疑问请拨打 ${person.mobile}`
  // a number typed into the reason is masked as tracking masks it
  const MASKED_REASON = '照片回执不清晰，请重新提供；身份证复印件请携带原件到窗口核验。有疑问请拨打 137****9741'
  let caseNo = ''

  beforeAll(async () => {
    caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    await act(caseNo, { action: 'return', comment: REASON, supplement: { fields: ['cardBank'], materials: [ID_CARD, PHOTO] } })
  })

  it('reads and prints the notice from tracking, and finds it gone when the address is opened afresh', async () => {
    const page = await suite.newPage()
    const result = await track(page, 'zh', caseNo, person.idNumber)
    await followLink(page, result, '查看、打印《补正材料通知书》', '补正材料通知书')
    const address = new URL(page.url())
    expect(address.pathname).toMatch(new RegExp(`^/track-documents/${caseNo}/\\d+$`))
    expect(page.url()).not.toContain(person.idNumber)
    expect(await page.title()).toContain('补正材料通知书')

    const text = await page.locator('main').innerText()
    expect(text).toContain(`文书编号：${caseNo}-01`)
    expect(text).toContain(`${maskName(person.name)}：`)
    expect(text).toContain(maskIdNumber(person.idNumber))
    for (const personal of [person.name, person.idNumber, person.mobile]) expect(text).not.toContain(personal)
    expect(text).toContain('申请材料不齐全或者不符合法定形式。请一次性补正下列内容后重新提交；补正期间不计入办理时限。')
    expect(await listUnder(page, '需补正的填报内容')).toEqual(['选择合作银行'])
    expect(await listUnder(page, '需补正的材料')).toEqual([PHOTO])
    expect(await listUnder(page, '请携带纸质件到窗口提交')).toEqual([ID_CARD])
    expect(await page.getByRole('region', { name: '说明', exact: true }).innerText()).toContain(MASKED_REASON)
    await screenshot(page, 'track-document-corrections')
    await expectNoViolations(page)

    // printed without the site's header, the Print button or the way back (nothing is printed here)
    const print = await seen(page.getByRole('button', { name: '打印', exact: true }))
    const back = await seen(page.getByRole('link', { name: '返回办件查询', exact: true }))
    await seen(page.locator('header.site-header'))
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header.site-header').isVisible()).toBe(false)
    expect(await print.isVisible()).toBe(false)
    expect(await back.isVisible()).toBe(false)
    expect(await page.getByRole('heading', { level: 1, name: '补正材料通知书' }).isVisible()).toBe(true)
    expect(await page.getByText(MASKED_REASON).isVisible()).toBe(true)
    await page.emulateMedia({ media: 'screen' })

    // back to tracking: the case is shown again to print another document, the ID number not left
    // in the field for whoever comes next
    await back.click()
    await page.waitForURL(url => url.pathname === '/track')
    await seen(page.getByRole('heading', { level: 1, name: '办件查询', exact: true }))
    const again = page.getByRole('region', { name: LABELS.zh.result, exact: true })
    await seen(again.getByRole('link', { name: '查看、打印《补正材料通知书》', exact: true }))
    expect(await page.getByLabel('申请人身份证号码', { exact: true }).inputValue()).toBe('')

    // gone on to another page, the person leaves nothing behind: Back shows an empty tracking page,
    // and Back again the document's explanation, not the notice
    await page.locator('header.site-header').getByRole('link').first().click()
    await page.waitForURL(url => url.pathname === '/')
    await page.goBack()
    await page.waitForURL(url => url.pathname === '/track')
    await settled(page)
    expect(await page.getByRole('region', { name: LABELS.zh.result, exact: true }).count()).toBe(0)
    await page.goBack()
    await page.waitForURL(url => url.pathname === address.pathname)
    await seen(page.getByRole('heading', { level: 1, name: '请重新查询办件', exact: true }))
    expect(await page.locator('main').innerText()).not.toContain(MASKED_REASON)

    // the document's address opened afresh, as a reload or a bookmark does: explained, not a 404
    const response = await page.goto(address.pathname)
    await settled(page)
    expect(response?.status()).toBe(200)
    await seen(page.getByRole('heading', { level: 1, name: '请重新查询办件', exact: true }))
    expect(await page.title()).toContain('请重新查询办件')
    const explained = await page.locator('main').innerText()
    expect(explained).toContain('为保护您的个人信息，办件文书只在查询办件后立即显示')
    expect(explained).not.toContain(maskName(person.name))
    expect(explained).not.toContain(MASKED_REASON)
    expect(await page.locator('main').getByRole('link', { name: '前往办件查询', exact: true }).getAttribute('href')).toBe('/track')
    await screenshot(page, 'track-document-gone')
    await expectNoViolations(page)
  })

  it('reads it in English, and the explanation too', async () => {
    const page = await suite.newPage()
    const result = await track(page, 'en', caseNo, person.idNumber)
    await followLink(page, result, 'View and print: Notice to Correct the Application', 'Notice to Correct the Application')
    const address = new URL(page.url())
    expect(address.pathname).toMatch(new RegExp(`^/en/track-documents/${caseNo}/\\d+$`))
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.title()).toContain('Notice to Correct the Application')
    // the masked name is Chinese inside an English page
    expect(await page.locator('span[lang="zh-CN"]', { hasText: maskName(person.name) }).count()).toBe(1)
    await seen(page.getByRole('button', { name: 'Print', exact: true }))
    expect(await page.getByRole('link', { name: 'Back to case tracking', exact: true }).getAttribute('href')).toBe('/en/track')
    await expectNoViolations(page)

    await page.goto(address.pathname)
    await settled(page)
    await seen(page.getByRole('heading', { level: 1, name: 'Track your case again', exact: true }))
    expect(await page.locator('main').innerText()).toContain('To protect your personal data, a case document is shown only right after you track the case.')
    expect(await page.locator('main').getByRole('link', { name: 'Go to case tracking', exact: true }).getAttribute('href')).toBe('/en/track')
    await expectNoViolations(page)
  })
})

describe('an applicant without an account whose tracking is locked for the day', () => {
  const person = { name: '柜台戊', idNumber: syntheticIdNumber(9742), mobile: '13700009742' }
  let caseNo = ''

  beforeAll(async () => {
    caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    await act(caseNo, { action: 'accept' })
    // a stranger's five wrong ID numbers lock the case number for the rest of the day
    const stranger = new Client(suite.url)
    for (let n = 1; n <= 5; n++) {
      const res = await stranger.post('/api/track', { caseNo, idNumber: makeIdNumber(`${person.idNumber.slice(0, 6)}1980010${n}${person.idNumber.slice(14, 17)}`) })
      expect(res.status).toBe(404)
    }
  })

  it('opens the notice of acceptance after looking the case up with a code by SMS', async () => {
    const page = await suite.newPage()
    await page.goto('/track')
    await waitForHydration(page)
    await page.getByLabel('办件编号', { exact: true }).fill(caseNo)
    await page.getByLabel('申请人身份证号码', { exact: true }).fill(person.idNumber)
    await page.getByRole('button', { name: '查询', exact: true }).click()
    await page.getByRole('button', { name: '发送验证码到办件登记的手机', exact: true }).click()
    const codes = () => smsTo(suite.server.dataDir, person.mobile).filter(s => s.template === 'case.trackCode')
    await expect.poll(() => codes().length).toBe(1)
    await page.getByLabel('短信验证码', { exact: true }).fill(String(codes()[0]!.params.code))
    await page.getByRole('button', { name: '凭验证码查询', exact: true }).click()
    const result = page.getByRole('region', { name: '查询结果', exact: true })
    await result.waitFor()
    await settled(page)

    await followLink(page, result, '查看、打印《受理通知书》', '受理通知书')
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/track-documents/${caseNo}/\\d+$`))
    const text = await page.locator('main').innerText()
    expect(text).toContain(`${maskName(person.name)}：`)
    expect(text).toContain('申请材料齐全、符合法定形式，本机关决定予以受理。')
    expect(text).not.toContain(person.name)
    await seen(page.getByRole('button', { name: '打印', exact: true }))
  })
})
