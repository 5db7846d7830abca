/**
 * A counter case's one-time notice (一次性告知) asks for a material the form has no upload for: the
 * applicant brings it on paper to the counter. The clerk returns a 社会保障卡申领 case (SZRS-0004)
 * taken in for someone without an account, ticking 居民身份证, which the return form offers marked
 * as brought to the counter, while it leaves out the applicant's name, ID number and mobile (a
 * correction cannot change them) and says why. The applicant looks the case up on the tracking
 * page and reads the card among the materials, marked as to bring to the counter, in Chinese and
 * in English. No accessibility violations on either page.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, screenshot, seen, settled, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, getCase, syntheticIdNumber } from '../support/fixtures'

const ID_CARD = '居民身份证'
const PHOTO = '近期免冠彩色数码照片回执'
const RETURN = '退回补正'
const REASON = '身份证复印件不清晰，请携带身份证原件到窗口核验。'

const suite = useBrowserSuite()
let clerk: Client
// nobody has an account with this ID number, so the case is linked to no one
const person = { name: '钱柜台', idNumber: syntheticIdNumber(8383), mobile: '13900008383' }
let caseNo = ''

async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** Looks the case up on the tracking page in `lang` and returns the notice's region. */
async function trackedNotice(page: Page, lang: 'zh' | 'en'): Promise<Locator> {
  const zh = lang === 'zh'
  await page.goto(zh ? '/track' : '/en/track')
  await waitForHydration(page)
  await page.getByLabel(zh ? '办件编号' : 'Case number', { exact: true }).fill(caseNo)
  await page.getByLabel(zh ? '申请人身份证号码' : 'Applicant\'s ID number', { exact: true }).fill(person.idNumber)
  await page.getByRole('button', { name: zh ? '查询' : 'Track', exact: true }).click()
  const result = page.getByRole('region', { name: zh ? '查询结果' : 'Result', exact: true })
  await result.waitFor()
  await settled(page)
  return result.getByRole('region', { name: zh ? '一次性告知：需要补正的内容' : 'One-time notice: what to correct' })
}

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  caseNo = await counterCase(clerk, CLERK_SERVICE, person)
})

describe('a counter case returned for a material brought on paper', () => {
  it('the clerk\'s return form offers the ID card as paper, not the applicant\'s own answers, and the return names it', async () => {
    const page = await suite.newPage()
    await signInThroughPage(page, 'clerk')
    await page.goto(`/clerk/cases/${caseNo}`)
    await waitForHydration(page)
    await page.getByRole('group', { name: '操作' }).getByRole('radio', { name: RETURN }).check()
    const fields = await seen(page.getByRole('group', { name: '需补正的申请表内容' }))
    await seen(fields.getByRole('checkbox', { name: '选择合作银行' }))
    for (const own of ['申请人姓名', '公民身份号码', '手机号码']) expect(await fields.getByRole('checkbox', { name: own }).count()).toBe(0)
    await seen(page.getByText('申请人的姓名、身份证号码和手机号码须为申请人本人的，补正不能更改，因此不在此列出。'))
    const materials = page.getByRole('group', { name: '需补正的材料' })
    const card = await seen(materials.getByRole('checkbox', { name: `${ID_CARD}（纸质材料，由申请人带到窗口提交）`, exact: true }))
    await seen(materials.getByRole('checkbox', { name: PHOTO, exact: true }))
    // at the counter nothing is left that cannot be asked for
    expect(await page.getByRole('list', { name: /不能通过网上补正提交/ }).count()).toBe(0)
    await expectNoViolations(page)

    await page.getByLabel('理由（申请人将看到）').fill(REASON)
    await card.check()
    await screenshot(page, 'counter-paper-notice-return')
    await page.getByRole('button', { name: RETURN }).click()
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${RETURN}` }))
    const returned = await clerk.get<{ status: string, supplementNotice: unknown }>(`/api/cases/${caseNo}`)
    expect(returned.body).toMatchObject({ status: 'supplement', supplementNotice: { fields: [], materials: [ID_CARD], comment: REASON } })
  })

  it('tracking lists the ID card as to bring to the counter', async () => {
    const page = await suite.newPage()
    const notice = await trackedNotice(page, 'zh')
    expect(await notice.innerText()).toContain(REASON)
    expect(await notice.getByRole('heading', { name: '请补充或更正以下材料' }).count()).toBe(1)
    expect((await notice.getByRole('listitem').allInnerTexts()).map(s => s.trim())).toEqual([`${ID_CARD}（纸质材料，请带到原办理窗口）`])
    await expectNoViolations(page)
  })

  it('and in English, the card\'s Chinese name marked as Chinese', async () => {
    const page = await suite.newPage()
    const notice = await trackedNotice(page, 'en')
    const item = notice.getByRole('listitem')
    expect((await item.allInnerTexts()).map(s => s.trim())).toEqual([`${ID_CARD} (on paper: bring it to the counter where you applied)`])
    expect(await item.locator('span[lang="zh-CN"]').innerText()).toBe(ID_CARD)
    await expectNoViolations(page)
  })

  it('the clerk records the resubmission at the counter when the card is brought', async () => {
    const { version } = await getCase(clerk, caseNo)
    const resubmitted = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version })
    expect(resubmitted.status).toBe(200)
    expect((await getCase(clerk, caseNo)).status).toBe('submitted')
  })
})
