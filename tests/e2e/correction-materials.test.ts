/**
 * A material asked for in a one-time notice (一次性告知) can be handed in. The clerk returns a
 * 社会保障卡申领 case (collected at a bank branch, so the postal address is hidden) asking for the
 * photo receipt: the return form offers neither the hidden address nor a material the form has no
 * upload for (居民身份证, which it names apart), and a field the server still refuses is named by
 * its checkbox. The applicant gets an upload input for the photo on the case page, is told when
 * sending without a new file, uploads one and resubmits; the clerk then sees the new file on the
 * case. Both pages have no accessibility violations in those states.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, seen, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, demoPerson, getCase, submitOnline, uniquePdf } from '../support/fixtures'
import type { Submitted } from '../support/fixtures'

const PHOTO = '近期免冠彩色数码照片回执'
const NEW_PHOTO = 'clear-photo-receipt.pdf'

const suite = useBrowserSuite()
let clerk: Client
let citizen: Client
let submitted: Submitted

async function pageFor(username: string): Promise<Page> {
  const { context } = await suite.newContext()
  const page = await context.newPage()
  await signInThroughPage(page, username)
  return page
}

/** The case with its notice and its materials' names, as `client` reads it. */
async function caseAs(client: Client): Promise<{ status: string, supplementNotice: unknown, materials: { name: string }[] }> {
  const res = await client.get<{ status: string, supplementNotice: unknown, materials: { name: string }[] }>(`/api/cases/${submitted.caseNo}`)
  expect(res.status).toBe(200)
  return res.body
}

async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  citizen = await signedIn(suite.url, 'citizen')
  // answersFor(CLERK_SERVICE): collected at a bank branch, so the form hides the postal address
  submitted = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'material-asked')
})

describe('a material asked for in a one-time notice', () => {
  let clerkPage: Page

  it('the clerk\'s return form offers only what the applicant can answer, and names a refused field by its checkbox', async () => {
    clerkPage = await pageFor('clerk')
    await clerkPage.goto(`/clerk/cases/${submitted.caseNo}`)
    await waitForHydration(clerkPage)
    await clerkPage.getByRole('group', { name: '操作' }).getByRole('radio', { name: '退回补正' }).check()
    const fields = await seen(clerkPage.getByRole('group', { name: '需补正的申请表内容' }))
    await seen(fields.getByRole('checkbox', { name: '领卡方式' }))
    // hidden by the answers (collected at a branch): not offered
    expect(await fields.getByRole('checkbox', { name: '邮寄地址' }).count()).toBe(0)
    // the photo's upload is asked for by its material, once
    expect(await fields.getByRole('checkbox', { name: PHOTO }).count()).toBe(0)
    const materials = clerkPage.getByRole('group', { name: '需补正的材料' })
    await seen(materials.getByRole('checkbox', { name: PHOTO }))
    // taken from the e-licence library: nothing to upload it with, so named apart, not offered
    expect(await materials.getByRole('checkbox', { name: '居民身份证' }).count()).toBe(0)
    await seen(clerkPage.getByRole('list', { name: /不能通过网上补正提交/ }).getByText('居民身份证'))
    await expectNoViolations(clerkPage)

    // the server's own refusal of a hidden field, played back as clerk-corrections.test.ts does:
    // the page never sends one, but its error must still lead to the checkbox it is about
    const refused = await clerk.post(`/api/cases/${submitted.caseNo}/transitions`, {
      action: 'return', version: 1, comment: '请更正', supplement: { fields: ['cardBank', 'mailAddress'], materials: [] },
    })
    expect(refused.status).toBe(400)
    expect((refused.body as { data: { fieldErrors: Record<string, string> } }).data.fieldErrors).toEqual({ 'supplement.fields.1': 'case.errors.fieldHidden' })
    await clerkPage.route('**/transitions', route => route.fulfill({ status: 400, json: refused.body }), { times: 1 })
    await clerkPage.getByLabel('理由（申请人将看到）').fill('照片回执不清晰，请重新上传。')
    await fields.getByRole('checkbox', { name: '选择合作银行' }).check()
    await fields.getByRole('checkbox', { name: '领卡方式' }).check()
    await clerkPage.getByRole('button', { name: '退回补正' }).click()
    const link = await seen(clerkPage.getByRole('alert').getByRole('link', { name: '领卡方式：按申请人现在的填写，这一项不会显示，不能要求补正' }))
    expect(await link.getAttribute('href')).toBe('#return-field-collectWay')
    const box = fields.getByRole('checkbox', { name: '领卡方式' })
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    expect(await box.getAttribute('aria-describedby')).toBe('return-field-collectWay-error')
    await expectNoViolations(clerkPage)
  })

  it('the clerk asks for the photo only and the notice lists it as a material', async () => {
    const fields = clerkPage.getByRole('group', { name: '需补正的申请表内容' })
    await fields.getByRole('checkbox', { name: '选择合作银行' }).uncheck()
    await fields.getByRole('checkbox', { name: '领卡方式' }).uncheck()
    await clerkPage.getByRole('group', { name: '需补正的材料' }).getByRole('checkbox', { name: PHOTO }).check()
    await clerkPage.getByRole('button', { name: '退回补正' }).click()
    await seen(clerkPage.getByRole('status').filter({ hasText: '已完成操作：退回补正' }))
    const kase = await caseAs(clerk)
    expect(kase.status).toBe('supplement')
    expect(kase.supplementNotice).toEqual({ fields: ['digitalPhotoReceiptFile'], materials: [PHOTO], comment: '照片回执不清晰，请重新上传。', due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    // told once, among the materials
    const notice = clerkPage.getByRole('region', { name: '已向申请人发出的一次性告知' })
    // the notice is drawn once the page has the case again: read its list when it is there
    await seen(notice.getByRole('listitem').first())
    expect((await notice.getByRole('listitem').allTextContents()).map(s => s.trim())).toEqual([PHOTO])
  })

  it('the applicant gets an upload for it, must hand in a new file, and resubmits with one', async () => {
    const page = await pageFor('citizen')
    await page.goto(`/me/cases/${submitted.caseNo}`)
    await waitForHydration(page)
    const notice = await seen(page.getByRole('region', { name: '一次性告知：需要补正的内容' }))
    await seen(notice.getByText(`请补充或更正以下材料`))
    const input = notice.getByLabel(PHOTO, { exact: true })
    expect(await input.count()).toBe(1)
    await expectNoViolations(page)

    // sending without a new file is refused by the photo's input, before anything is sent
    const transitions: string[] = []
    page.on('request', r => r.url().includes('/transitions') && transitions.push(r.method()))
    await notice.getByRole('button', { name: '提交补正' }).click()
    await seen(page.getByRole('alert').getByRole('link', { name: `${PHOTO}：一次性告知要求补正这份材料，请上传新的文件` }))
    expect(transitions).toEqual([])
    await expectNoViolations(page)

    await input.setInputFiles({ name: NEW_PHOTO, mimeType: 'application/pdf', buffer: uniquePdf('clear photo receipt') })
    await seen(notice.getByRole('button', { name: `移除 ${NEW_PHOTO}` }))
    // the files together over APPLICATION_MAX_BYTES: the server's 413 names the field, and the page
    // says what to do there (it said "try again later", which never helps)
    await page.route('**/transitions', route => route.fulfill({ status: 413, json: {
      error: true, statusCode: 413, statusMessage: 'Content Too Large', message: 'The files of this application are too large together',
      data: { fieldErrors: { digitalPhotoReceiptFile: 'validation.applicationTooLarge' } },
    } }), { times: 1 })
    await notice.getByRole('button', { name: '提交补正' }).click()
    await seen(page.getByRole('alert').getByRole('link', { name: `${PHOTO}：材料总大小超过上限，请压缩后再上传` }))
    expect(await page.getByText('请稍后再试').count()).toBe(0)
    await notice.getByRole('button', { name: '提交补正' }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：补正后重新提交' }))
    expect((await getCase(citizen, submitted.caseNo)).status).toBe('submitted')
  })

  it('the clerk sees the new file on the case, and the one it replaced in the correction history', async () => {
    await clerkPage.goto(`/clerk/cases/${submitted.caseNo}`)
    await waitForHydration(clerkPage)
    const materials = await seen(clerkPage.getByRole('region', { name: '申请材料' }))
    await seen(materials.getByRole('link', { name: `下载 ${NEW_PHOTO}` }))
    expect(await materials.getByRole('link', { name: `下载 ${submitted.upload.name}` }).count()).toBe(0)
    const kase = await caseAs(clerk)
    expect(kase.materials.map(m => m.name)).toEqual([NEW_PHOTO])
    const history = await seen(clerkPage.getByRole('region', { name: '补正记录' }))
    await seen(history.getByRole('link', { name: submitted.upload.name }))
    await expectNoViolations(clerkPage)
  })
})

describe('a material asked for again, answered with a file on record and a new one', () => {
  it('the applicant keeps the file on record from "my materials" and adds the new page', async () => {
    const asked = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'keep-one')
    const returned = await clerk.post(`/api/cases/${asked.caseNo}/transitions`, {
      action: 'return', version: 1, comment: '请补充第二页。', supplement: { fields: [], materials: [PHOTO] },
    })
    expect(returned.status).toBe(200)
    const page = await pageFor('citizen')
    await page.goto(`/me/cases/${asked.caseNo}`)
    await waitForHydration(page)
    const notice = await seen(page.getByRole('region', { name: '一次性告知：需要补正的内容' }))
    await seen(notice.getByText('如上传新文件或从“我的材料”中选择，将替换原有文件', { exact: false }))
    await notice.getByRole('button', { name: '从“我的材料”中选择' }).click()
    const close = await seen(notice.getByRole('button', { name: '收起“我的材料”' }))
    expect(await close.getAttribute('aria-expanded')).toBe('true')
    // the file the case holds is among them: added again, not uploaded again
    const library = notice.locator(`#${await close.getAttribute('aria-controls')}`)
    await library.getByRole('button', { name: `添加 ${asked.upload.name}` }).first().click()
    await seen(notice.getByRole('button', { name: `移除 ${asked.upload.name}` }))
    await notice.getByLabel(PHOTO, { exact: true }).setInputFiles({ name: 'second-page.pdf', mimeType: 'application/pdf', buffer: uniquePdf('second page') })
    await seen(notice.getByRole('button', { name: '移除 second-page.pdf' }))
    await expectNoViolations(page)
    await notice.getByRole('button', { name: '提交补正' }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：补正后重新提交' }))
    const kase = await getCase(citizen, asked.caseNo)
    expect(kase.status).toBe('submitted')
    expect((await caseMaterials(asked.caseNo)).sort()).toEqual([asked.upload.name, 'second-page.pdf'].sort())
  })
})

async function caseMaterials(caseNo: string): Promise<string[]> {
  const res = await clerk.get<{ materials: { name: string }[] }>(`/api/cases/${caseNo}`)
  return res.body.materials.map(m => m.name)
}
