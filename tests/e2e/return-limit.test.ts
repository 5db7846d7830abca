/**
 * The one-time notice (一次性告知) is given once a stage: the clerk returns a 社会保障卡申领 case
 * asking for the partner bank only, the applicant corrects it and resubmits, and the clerk's
 * return form now offers that item alone, says why (the notice given on that day) and what to do
 * instead, in both languages. A refusal the server still sends is shown by its checkbox, and the
 * return asking again for the bank goes through. No accessibility violations in those states.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, requestsTo, screenshot, seen, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, demoPerson, getCase, submitOnline } from '../support/fixtures'
import { dayText } from '../../shared/utils/date-format'

const RETURN = '退回补正'
const BANK = '选择合作银行'

const suite = useBrowserSuite()
let clerk: Client
let citizen: Client
let caseNo = ''
let page: Page

interface Limited { returnLimitedTo: { fields: string[], materials: string[], noticedAt: string } | null, supplementNotice: { fields: string[], materials: string[] } | null }
const limitedAs = async (client: Client) => (await client.get<Limited>(`/api/cases/${caseNo}`)).body

async function expectNoViolations(): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** Opens the case's page and chooses to return it, by keyboard. */
async function openReturnForm(path = `/clerk/cases/${caseNo}`, action = RETURN): Promise<void> {
  await page.goto(path)
  await waitForHydration(page)
  await page.getByRole('radio', { name: action }).focus()
  await page.keyboard.press('Space')
}

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
  // answersFor(CLERK_SERVICE): collected at a bank branch, with the photo receipt
  caseNo = (await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'return-limit')).caseNo
  const { context } = await suite.newContext()
  page = await context.newPage()
  await signInThroughPage(page, 'clerk')
})

describe('the clerk\'s return form after the one-time notice was given', () => {
  it('the first return offers every answer and material, and the clerk asks for the bank only', async () => {
    await openReturnForm()
    await seen(page.getByText('请一次性列出全部需要补正的内容（一次性告知）。'))
    const fields = await seen(page.getByRole('group', { name: '需补正的申请表内容' }))
    await seen(fields.getByRole('checkbox', { name: '领卡方式' }))
    await seen(page.getByRole('group', { name: '需补正的材料' }).getByRole('checkbox', { name: '近期免冠彩色数码照片回执' }))
    expect((await limitedAs(clerk)).returnLimitedTo).toBeNull()
    await page.getByLabel('理由（申请人将看到）').fill('合作银行选择有误，请重新选择。')
    await fields.getByRole('checkbox', { name: BANK }).check()
    await page.getByRole('button', { name: RETURN }).click()
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${RETURN}` }))
    expect((await limitedAs(clerk)).supplementNotice).toMatchObject({ fields: ['cardBank'], materials: [] })
  })

  it('after the resubmission offers only the bank, and says the notice was given and what to do instead', async () => {
    const { version } = await getCase(citizen, caseNo)
    const resubmitted = await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version, answers: { cardBank: 'ccb' } })
    expect(resubmitted.status).toBe(200)
    const { returnLimitedTo } = await limitedAs(clerk)
    expect(returnLimitedTo).toMatchObject({ fields: ['cardBank'], materials: [] })
    // nobody else is told: the applicant reads no such key
    expect((await limitedAs(citizen)).returnLimitedTo ?? null).toBeNull()

    await openReturnForm()
    const day = dayText(returnLimitedTo!.noticedAt, 'zh')
    const note = await seen(page.locator('#return-limit'))
    expect((await note.innerText()).trim()).toBe(`本阶段已于 ${day} 作出一次性告知。再次退回补正只能要求补正当时告知过的内容，下面只列出这些内容，至少须勾选一项。`)
    expect(await note.locator('time').getAttribute('datetime')).toBe(returnLimitedTo!.noticedAt)
    await seen(page.getByText('如需继续办理，请受理本件，或在受理期限内决定不予受理。'))
    expect(await page.getByText('请一次性列出全部需要补正的内容（一次性告知）。').count()).toBe(0)
    // the one item named then, and nothing else to tick
    const fields = await seen(page.getByRole('group', { name: '需补正的申请表内容' }))
    expect(await fields.getAttribute('aria-describedby')).toBe('return-limit')
    const form = page.locator('form').filter({ has: fields })
    expect(await form.getByRole('checkbox').count()).toBe(1)
    await seen(fields.getByRole('checkbox', { name: BANK }))
    expect(await page.getByRole('group', { name: '需补正的材料' }).count()).toBe(0)
    // the keyboard reaches the box straight from the reason
    await page.getByLabel('理由（申请人将看到）').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('return-field-cardBank')
    await screenshot(page, 'return-limit')
    await expectNoViolations()
  })

  it('says so in English too', async () => {
    await openReturnForm(`/en/clerk/cases/${caseNo}`, 'Return for corrections')
    const note = await seen(page.locator('#return-limit'))
    expect(await note.innerText()).toContain('The one-time notice was already given in this stage, on ')
    await seen(page.getByText('To go on, accept the case, or refuse it while the acceptance period runs.'))
    expect(await page.getByRole('group', { name: 'Answers to correct' }).getByRole('checkbox').count()).toBe(1)
    await expectNoViolations()
  })

  it('says, before sending anything, that a further return must tick something, as the server would', async () => {
    await openReturnForm()
    const sent = requestsTo(page, /\/transitions$/)
    await page.getByLabel('理由（申请人将看到）').fill('请重新选择合作银行。')
    await page.getByRole('button', { name: RETURN }).click()
    const nothing = '本阶段已作过一次性告知：再次退回补正须勾选此前告知过的内容或材料；否则请直接作出决定'
    const link = await seen(page.getByRole('alert').getByRole('link', { name: nothing }))
    expect(await link.getAttribute('href')).toBe('#return-field-cardBank')
    const fields = page.getByRole('group', { name: '需补正的申请表内容' })
    expect(await fields.getAttribute('aria-describedby')).toBe('return-limit return-nothing-error')
    expect(await page.locator('#return-nothing-error').innerText()).toBe(nothing)
    expect(sent).toEqual([])
    sent.stop()
    await expectNoViolations()
    // the server's verdict on the same return
    const { version } = await getCase(clerk, caseNo)
    const refused = await clerk.post<{ data: { fieldErrors: Record<string, string> } }>(`/api/cases/${caseNo}/transitions`, { action: 'return', version, comment: '请重新选择合作银行。', supplement: { fields: [], materials: [] } })
    expect([refused.status, refused.body.data.fieldErrors.supplement]).toEqual([400, 'case.errors.oneTimeNoticeNothing'])
  })

  it('shows a refusal the server still sends by its checkbox, and returns the case asking for the bank again', async () => {
    // the server's own refusal of an item not named then, played back: the form no longer sends one
    const { version } = await getCase(clerk, caseNo)
    const refused = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version, comment: '请补正', supplement: { fields: ['collectWay'], materials: [] } })
    expect(refused.status).toBe(400)
    expect((refused.body as { data: { fieldErrors: Record<string, string> } }).data.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
    await openReturnForm()
    await page.route('**/transitions', route => route.fulfill({ status: 400, json: refused.body }), { times: 1 })
    await page.getByLabel('理由（申请人将看到）').fill('所选合作银行仍不能办理，请重新选择。')
    const box = page.getByRole('group', { name: '需补正的申请表内容' }).getByRole('checkbox', { name: BANK })
    await box.check()
    await page.getByRole('button', { name: RETURN }).click()
    const link = await seen(page.getByRole('alert').getByRole('link', { name: `${BANK}：此前已一次性告知补正内容，这一项不在其中，不能再次要求补正：请受理本件，或在受理期限内决定不予受理` }))
    expect(await link.getAttribute('href')).toBe('#return-field-cardBank')
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    expect(await box.getAttribute('aria-describedby')).toBe('return-field-cardBank-error')
    await expectNoViolations()

    await page.getByRole('button', { name: RETURN }).click()
    await seen(page.getByRole('status').filter({ hasText: `已完成操作：${RETURN}` }))
    const after = await limitedAs(clerk)
    expect(after.supplementNotice).toMatchObject({ fields: ['cardBank'], materials: [] })
  })
})
