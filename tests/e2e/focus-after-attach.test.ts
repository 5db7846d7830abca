/**
 * A citizen filling in a file field by keyboard from what they already have: a file from "my
 * materials" (添加) or one of their e-licences (引用). The pressed button is replaced by
 * 已添加 / 已引用; before, focus went down with it to <body> and the next Tab started again at the
 * top of the page. Now focus is on the text in the button's place, which names the file, and the
 * change is said once, in the field's live region. The e-licence's button also stays focusable while its request
 * runs (it was disabled, which dropped focus at once). Item: 高龄老人津贴申领 (SZMZ-0006, one page,
 * an optional file); the e-licence is the citizen's from a completed 职业技能培训补贴申领.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { demoPerson, discardDrafts, getCase, RESULT_SERVICE, submitOnline, uniquePdf, upload } from '../support/fixtures'

const SERVICE = 'SZMZ-0006'
const FILE_LABEL = '选择文件上传：代办人身份证明及关系说明'

const suite = useBrowserSuite()
let citizen: Client
let clerk: Client

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
  clerk = await signedIn(suite.url, 'clerk')
})

/** What has focus: its id, its text (hidden text included, as a screen reader reads it), and where it is. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { id: el?.id ?? '', tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(), inFooter: !!el?.closest('footer') }
})

/** The citizen's apply form of SZMZ-0006 in a new draft, with "my materials" opened by keyboard; returns the file field's id. */
async function openLibrary(page: Page): Promise<string> {
  await discardDrafts(citizen, SERVICE)
  await addSession(page.context(), suite.url, citizen)
  await page.goto(`/services/${SERVICE}/apply`)
  await page.waitForURL(url => url.searchParams.has('draft'))
  await waitForHydration(page)
  await settled(page)
  const fieldId = (await page.getByLabel(FILE_LABEL).getAttribute('id'))!
  await page.getByRole('button', { name: '从“我的材料”中选择' }).focus()
  await page.keyboard.press('Enter')
  await seen(page.getByRole('button', { name: '收起“我的材料”' }))
  return fieldId
}

describe('a citizen adding a file from "my materials" by keyboard', () => {
  it('stays on that material, now marked 已添加 with its name, hears it added, and Tabs on from there', async () => {
    const earlier = await upload(citizen, uniquePdf('focus-after-attach'), 'earlier-proof.pdf')
    const page = await suite.newPage()
    const fieldId = await openLibrary(page)
    const library = page.locator(`#${fieldId}-library`)
    await (await seen(library.getByRole('button', { name: '添加 earlier-proof.pdf' }))).focus()
    await page.keyboard.press('Enter')

    // the file is in the field's list, and the button has given way to 已添加
    await seen(page.getByRole('list', { name: '已添加的材料' }).getByRole('link', { name: 'earlier-proof.pdf 下载' }))
    expect(await library.getByRole('button', { name: '添加 earlier-proof.pdf' }).count()).toBe(0)
    await expect.poll(async () => (await focused(page)).id).toBe(`${fieldId}-library-added-${earlier.id}`)
    // the name is hidden text beside 已添加 (its space may be gone from the markup: a screen reader spaces it)
    expect((await focused(page)).text).toMatch(/^✓ 已添加\s?earlier-proof\.pdf$/)
    // said in the field's polite live region, which was there before the change
    await seen(page.locator('[aria-live="polite"]').filter({ hasText: '已添加 earlier-proof.pdf' }).first())
    // the next Tab goes on within the page, not from the top or the footer
    await page.keyboard.press('Tab')
    const next = await focused(page)
    expect(next.tag).not.toBe('body')
    expect(next.inFooter).toBe(false)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('a citizen using one of their e-licences by keyboard', () => {
  it('keeps focus on 引用 while it is fetched, then is on 已引用 with the licence named, and hears it', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), RESULT_SERVICE, 'focus-after-licence')
    for (const action of ['accept', 'approve']) {
      expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: (await getCase(clerk, caseNo)).version })).status).toBe(200)
    }
    const licence = (await citizen.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
    const page = await suite.newPage()
    const fieldId = await openLibrary(page)
    const shared = page.locator('details').filter({ has: page.locator(`#${fieldId}-shared`) })
    await page.locator(`#${fieldId}-shared`).click()
    const use = await seen(shared.getByRole('button', { name: /^引用 / }))
    const name = (await use.textContent())!.trim().replace(/^引用 /, '')

    // the request is held, to see the button while it runs
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let requests = 0
    await page.route(`**/api/me/shared-materials/results/${licence}/attach**`, async (route) => {
      requests++
      await held
      await route.continue()
    })
    await use.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => use.getAttribute('aria-disabled')).toBe('true')
    expect(await use.evaluate(el => el === document.activeElement)).toBe(true)
    // a second press meanwhile is ignored, not a second request
    await page.keyboard.press('Enter')
    release()

    await expect.poll(async () => (await focused(page)).id).toBe(`${fieldId}-used-${licence}`)
    expect((await focused(page)).text.replace(/\s/g, '')).toBe(`已引用${name}`)
    expect(await shared.getByRole('button', { name: /^引用 / }).count()).toBe(0)
    expect(requests).toBe(1)
    // said once, in the field's polite live region, as for "my materials"; not again by the list
    await seen(page.locator('[aria-live="polite"]').filter({ hasText: `已添加 ${name}` }).first())
    expect((await shared.getByRole('status').textContent())!.trim()).toBe('')
    expect(await page.getByRole('list', { name: '已添加的材料' }).getByRole('listitem').count()).toBe(1)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
