/**
 * An upload that stalls (a dead mobile connection, a proxy that swallows the request) or the wrong
 * file chosen no longer holds a form hostage: after a minute without progress the upload fails
 * with a message beside the field, and "取消上传" stops it at once, by keyboard; either way the
 * answer is what it was before, and the form can be sent. Uploads here are held by a route that
 * never answers; the minute passes on Playwright's clock. Items: 高龄老人津贴申领 (SZMZ-0006, one
 * page, an optional file) on the apply form, and 社会保障卡申领 at the counter (Case/FieldInput).
 * A page left mid-upload stops its upload too.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { discardDrafts, syntheticIdNumber, uniquePdf } from '../support/fixtures'
import { UPLOAD_STALL_MS } from '../../composables/useUpload'

const SERVICE = 'SZMZ-0006'
const FILE_LABEL = '选择文件上传：代办人身份证明及关系说明'

const suite = useBrowserSuite()
let clerk: Client

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
})

const isFocused = (locator: Locator) => locator.evaluate(el => el === document.activeElement)

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never gets there. */
async function tabTo(page: Page, target: Locator, most = 12): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await isFocused(target)) return
    await page.keyboard.press('Tab')
  }
  expect(await isFocused(target), 'reached by Tab').toBe(true)
}

/** Uploads are held forever from now on: the request reaches "the network" and nothing comes back. */
async function swallowUploads(page: Page): Promise<{ arrived: () => number }> {
  let arrived = 0
  await page.route('**/api/uploads', () => {
    arrived++
  })
  return { arrived: () => arrived }
}

/**
 * The citizen's apply form of SZMZ-0006 in a new draft, answered except for its optional file (the
 * drafts earlier tests left are discarded first: with one, the page would offer to continue it).
 */
async function openAnsweredForm(page: Page): Promise<void> {
  const citizen = await signedIn(suite.url, 'citizen')
  await discardDrafts(citizen, SERVICE)
  await addSession(page.context(), suite.url, citizen)
  await page.goto(`/services/${SERVICE}/apply`)
  await page.waitForURL(url => url.searchParams.has('draft'))
  await waitForHydration(page)
  await page.getByRole('radio', { name: '老人本人' }).check()
  await page.getByLabel('开户银行').fill('招商银行')
  await page.getByLabel('本人银行账号').fill('6225880012345678')
}

describe('an upload on the apply form that stops moving', () => {
  it('fails after a minute with a message beside the field, and the form goes on to review', async () => {
    const page = await suite.newPage()
    // before navigation, so the page's timers run on a clock the test can move
    await page.clock.install()
    await openAnsweredForm(page)
    const uploads = await swallowUploads(page)
    const input = page.getByLabel(FILE_LABEL)
    await input.setInputFiles({ name: 'agent-proof.pdf', mimeType: 'application/pdf', buffer: uniquePdf('stalled-proof') })
    await seen(page.getByText('正在上传 agent-proof.pdf'))
    const cancel = await seen(page.getByRole('button', { name: '取消上传 agent-proof.pdf' }))
    await expect.poll(uploads.arrived).toBe(1)

    // while it uploads, the form refuses to go on (the file would be left out)
    await page.getByRole('button', { name: '检查填写内容' }).click()
    await seen(page.getByRole('alert').filter({ hasText: '文件正在上传，请等上传完成后再继续' }))

    await page.clock.fastForward(UPLOAD_STALL_MS + 1000)
    await seen(page.getByText('上传已停止：请检查网络连接后重新选择文件'))
    await seen(page.getByText('agent-proof.pdf 上传中断'))
    expect(await cancel.count()).toBe(0)
    expect(await input.isEnabled()).toBe(true)
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    // the answer is what it was: no file
    await seen(page.getByText('尚未添加材料'))
    expect(await page.getByText('文件正在上传，请等上传完成后再继续').count()).toBe(0)

    await page.getByRole('button', { name: '检查填写内容' }).click()
    await page.waitForURL(url => url.pathname === `/services/${SERVICE}/apply/review`)
    expect(await page.getByText('agent-proof.pdf').count()).toBe(0)
  })
})

describe('the wrong file chosen on the apply form', () => {
  it('is cancelled by keyboard from the focused cancel button: the file already attached stays the answer, focus is back on the file input, and the form goes on', async () => {
    const page = await suite.newPage()
    await openAnsweredForm(page)
    const input = page.getByLabel(FILE_LABEL)
    await input.setInputFiles({ name: 'right-proof.pdf', mimeType: 'application/pdf', buffer: uniquePdf('right-proof') })
    await seen(page.getByText('已上传 right-proof.pdf'))

    const uploads = await swallowUploads(page)
    const failed: string[] = []
    page.on('requestfailed', r => r.url().endsWith('/api/uploads') && failed.push(r.url()))
    await input.focus()
    await input.setInputFiles({ name: 'wrong-20mb.pdf', mimeType: 'application/pdf', buffer: uniquePdf('wrong-file') })
    await seen(page.getByText('正在上传 wrong-20mb.pdf'))
    await expect.poll(uploads.arrived).toBe(1)
    const cancel = await seen(page.getByRole('button', { name: '取消上传 wrong-20mb.pdf' }))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    // the input is disabled while the file goes: focus is not left on <body> but put on the one
    // thing to do meanwhile, the cancel button naming the file
    await expect.poll(() => isFocused(cancel)).toBe(true)
    await page.keyboard.press('Enter')
    await seen(page.getByText('已取消上传 wrong-20mb.pdf'))
    expect(await cancel.count()).toBe(0)
    await expect.poll(() => isFocused(input)).toBe(true)
    // the request itself is stopped, not left running behind the page
    await expect.poll(() => failed.length).toBe(1)
    // cancelling is not an error
    expect(await input.getAttribute('aria-invalid')).toBeNull()
    const attached = page.getByRole('list', { name: '已添加的材料' })
    expect(await attached.getByRole('listitem').count()).toBe(1)
    await seen(attached.getByRole('link', { name: 'right-proof.pdf 下载' }))

    await page.getByRole('button', { name: '检查填写内容' }).click()
    await page.waitForURL(url => url.pathname === `/services/${SERVICE}/apply/review`)
    await seen(page.getByText('right-proof.pdf'))
    expect(await page.getByText('wrong-20mb.pdf').count()).toBe(0)
  })
})

describe('a replacement the person thinks better of', () => {
  it('leaves the file where it was: cancelling "替换" and then adding a file keeps both, and a replacement chosen replaces', async () => {
    const page = await suite.newPage()
    await openAnsweredForm(page)
    const attached = page.getByRole('list', { name: '已添加的材料' })
    const names = async () => (await attached.getByRole('link').allTextContents()).map(text => text.replace('下载', '').trim())
    /** Opens the file picker the way a person does, with `open`, and picks `name` in it, or nothing. */
    const pick = async (open: () => Promise<void>, name?: string) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), open()])
      if (name) await chooser.setFiles({ name, mimeType: 'application/pdf', buffer: uniquePdf(name) })
    }
    const chooseButton = page.locator('label').filter({ hasText: '选择文件上传' })
    await pick(() => chooseButton.click(), 'kept-proof.pdf')
    await seen(page.getByText('已上传 kept-proof.pdf'))

    // "替换" opens the picker, and the person closes it without choosing
    await pick(() => page.getByRole('button', { name: '替换 kept-proof.pdf' }).click())
    await pick(() => chooseButton.click(), 'added-proof.pdf')
    await seen(page.getByText('已上传 added-proof.pdf'))
    expect(await names()).toEqual(['kept-proof.pdf', 'added-proof.pdf'])

    await pick(() => page.getByRole('button', { name: '替换 kept-proof.pdf' }).click(), 'better-proof.pdf')
    await seen(page.getByText('已上传 better-proof.pdf'))
    expect(await names()).toEqual(['added-proof.pdf', 'better-proof.pdf'])
  })
})

describe('an apply form left while a file uploads', () => {
  it('stops the upload instead of leaving it running for nothing', async () => {
    const page = await suite.newPage()
    await openAnsweredForm(page)
    await swallowUploads(page)
    const failed: string[] = []
    page.on('requestfailed', r => r.url().endsWith('/api/uploads') && failed.push(r.url()))
    await page.getByLabel(FILE_LABEL).setInputFiles({ name: 'left-proof.pdf', mimeType: 'application/pdf', buffer: uniquePdf('left-proof') })
    await seen(page.getByRole('button', { name: '取消上传 left-proof.pdf' }))
    // a navigation inside the portal: the browser itself would keep the request going
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的申请' }).click()
    await page.waitForURL(url => url.pathname === '/me/applications')
    await expect.poll(() => failed.length).toBe(1)
  })
})

describe('a scan at the counter', () => {
  let page: Page

  beforeAll(async () => {
    page = await suite.newPage()
    await signInThroughPage(page, 'clerk')
    await page.clock.install()
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('钱窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5656))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005656')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await swallowUploads(page)
  })

  it('is cancelled by keyboard, with focus back on the file input and the cancel announced', async () => {
    const input = page.locator('#answer-digitalPhotoReceiptFile')
    await input.focus()
    await input.setInputFiles({ name: 'wrong-scan.pdf', mimeType: 'application/pdf', buffer: uniquePdf('wrong-scan') })
    await seen(page.getByText('正在上传…'))
    const cancel = await seen(page.getByRole('button', { name: '取消上传 wrong-scan.pdf' }))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    await tabTo(page, cancel)
    await page.keyboard.press('Enter')
    await seen(page.getByRole('status').filter({ hasText: '已取消上传 wrong-scan.pdf' }))
    expect(await cancel.count()).toBe(0)
    await expect.poll(() => isFocused(input)).toBe(true)
    expect(await page.getByRole('button', { name: '移除 wrong-scan.pdf' }).count()).toBe(0)
    expect(await input.getAttribute('aria-invalid')).toBe('false')
  })

  it('fails after a minute without progress, and the intake is recorded without it', async () => {
    const input = page.locator('#answer-digitalPhotoReceiptFile')
    await input.setInputFiles({ name: 'stalled-scan.pdf', mimeType: 'application/pdf', buffer: uniquePdf('stalled-scan') })
    await seen(page.getByRole('button', { name: '取消上传 stalled-scan.pdf' }))
    await page.clock.fastForward(UPLOAD_STALL_MS + 1000)
    await seen(page.getByRole('alert').filter({ hasText: '上传已停止：请检查网络连接后重新选择文件' }))
    expect(await page.getByRole('button', { name: '取消上传 stalled-scan.pdf' }).count()).toBe(0)
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    expect(await input.getAttribute('aria-describedby')).toContain('answer-digitalPhotoReceiptFile-upload-error')

    await page.getByRole('button', { name: '登记收件' }).click()
    const created = page.getByRole('status').filter({ hasText: '已登记收件' })
    await created.waitFor({ state: 'visible' })
    const caseNo = /SZ\d{14}/.exec(await created.textContent() ?? '')![0]
    const kase = (await clerk.get(`/api/cases/${caseNo}`)).body as { materials: unknown[] }
    expect(kase.materials).toEqual([])
  })

  it('is stopped when the clerk leaves the page while it uploads, not left running for nothing', async () => {
    const failed: string[] = []
    page.on('requestfailed', r => r.url().endsWith('/api/uploads') && failed.push(r.url()))
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    const input = page.locator('#answer-digitalPhotoReceiptFile')
    await input.setInputFiles({ name: 'left-behind.pdf', mimeType: 'application/pdf', buffer: uniquePdf('left-behind') })
    await seen(page.getByRole('button', { name: '取消上传 left-behind.pdf' }))
    // a navigation inside the portal: the browser itself would keep the request going
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '受理工作台' }).click()
    await page.waitForURL(url => url.pathname === '/clerk')
    await expect.poll(() => failed.length).toBe(1)
  })
})

describe('a scan at the counter after the clerk\'s session has ended', () => {
  it('is refused with the session notice at the top and the reason beside the field', async () => {
    const ending = await signedIn(suite.url, 'clerk')
    const page = await suite.newPage()
    await addSession(page.context(), suite.url, ending)
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    expect((await ending.post('/api/auth/logout')).status).toBe(200)

    await page.locator('#answer-digitalPhotoReceiptFile').setInputFiles({ name: 'late-scan.pdf', mimeType: 'application/pdf', buffer: uniquePdf('late-scan') })
    // the upload goes by XMLHttpRequest, which the $fetch wrapper noticing ended sessions never sees
    await seen(page.locator('main [aria-live="assertive"]').filter({ hasText: '您的登录已结束' }))
    await seen(page.getByRole('alert').filter({ hasText: '登录已过期，请重新登录后上传' }))
    expect(await page.getByRole('button', { name: '移除 late-scan.pdf' }).count()).toBe(0)
  })
})
