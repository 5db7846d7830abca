/**
 * Defects from an accessibility review of the account page, the service guide and the review
 * page, each told as the story of the person who met it: a keyboard user following a link to a
 * section lands in that section (WCAG 2.4.3) and keeps focus after adding an organisation; a
 * reader at 320 px in large-text mode scrolls tables, not the page, and reads whole words (1.4.10);
 * an English reader gets English punctuation, and Chinese names marked lang="zh-CN" (3.1.2).
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, hasHorizontalScroll, seen, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, CLERK_SERVICE, createDraft, demoPerson, uniquePdf, upload } from '../support/fixtures'
import { makeUscc } from '../../shared/utils/uscc'

const suite = useBrowserSuite()
let citizen: Client

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
})

async function pageAs(who: Client | null, opts: { width?: number, largeText?: boolean } = {}): Promise<Page> {
  const { context } = await suite.newContext(opts)
  if (who) {
    await addSession(context, suite.url, who)
  }
  return context.newPage()
}

/** What has focus, in words a failure message can show. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { tag: el?.tagName ?? '', id: el?.id ?? '', role: el?.getAttribute('role') ?? '', text: (el?.textContent ?? '').trim().slice(0, 80) }
})

describe('a keyboard user in My account', () => {
  it('following "Add an organisation" from an application lands on that section, and Tab goes on into its form', async () => {
    const citizen2 = await signedIn(suite.url, 'citizen2')
    const page = await pageAs(citizen2)
    await page.goto('/en/services/SZGA-0017/apply')
    await waitForHydration(page)
    await page.getByRole('link', { name: 'Add an organisation in My account' }).click()
    await page.waitForURL(url => url.pathname === '/en/me' && url.hash === '#organizations-title')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H2', id: 'organizations-title' })
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => !!document.activeElement?.closest('section[aria-labelledby="organizations-title"]'))).toBe(true)
  })

  it('after adding an organisation is left at the confirmation, and reads the list in English with its name marked Chinese', async () => {
    const page = await pageAs(citizen)
    await page.goto('/en/me')
    await waitForHydration(page)
    const name = '深圳市焦点测试有限公司'
    const uscc = makeUscc('91440300MA5FKC7Q1')
    await page.getByLabel('Organisation name').fill(name)
    await page.getByLabel('Unified social credit code').fill(uscc)
    await page.getByRole('button', { name: 'Add organisation' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'P', role: 'status', text: `Organisation added: ${name}` })
    const entry = page.locator('section[aria-labelledby="organizations-title"] li').filter({ hasText: uscc })
    expect(await entry.textContent()).toContain(`(unified social credit code ${uscc})`)
    expect(await entry.textContent()).not.toMatch(/[（）]/)
    expect(await entry.getByText(name, { exact: true }).getAttribute('lang')).toBe('zh-CN')
  })

  it('hears their own name in the header with a Chinese voice on English pages only', async () => {
    const page = await pageAs(citizen)
    await page.goto('/en/me')
    expect(await page.locator('header a[href="/en/me"]').getAttribute('lang')).toBe('zh-CN')
    // and on their account page, beside the English caption
    expect(await page.locator('dd', { hasText: '张晓明' }).first().getAttribute('lang')).toBe('zh-CN')
    await page.goto('/me')
    expect(await page.locator('header a[href="/me"]').getAttribute('lang')).toBeNull()
  })
})

describe('a reader at 320 px in large-text mode', () => {
  it('scrolls the guide\'s tables sideways, not the page, lists its materials as cards, and reads the headers as whole words', async () => {
    const page = await pageAs(null, { width: 320, largeText: true })
    await page.goto('/en/services/SZRS-0010', { waitUntil: 'networkidle' })
    expect(await hasHorizontalScroll(page)).toBe(false)
    // the materials one card each at this width (components/Catalogue/MaterialTable.vue): nothing to scroll
    const materials = page.locator('section[aria-labelledby="materials"]')
    expect(await materials.getByRole('listitem').count()).toBeGreaterThan(0)
    expect(await materials.evaluate(w => w.scrollWidth <= w.clientWidth), 'the materials section does not scroll').toBe(true)
    const procedures = page.locator('main .overflow-x-auto:visible').filter({ has: page.locator('th', { hasText: 'Procedure' }) })
    expect(await procedures.evaluate(w => w.scrollWidth > w.clientWidth), 'the special procedures table scrolls in its wrapper').toBe(true)
    // a header has at most one line per word: "Required" is not broken into "Re/qui/re/d"
    const headers = await page.locator('main .overflow-x-auto th').evaluateAll(ths => ths.map((th) => {
      const range = document.createRange()
      range.selectNodeContents(th)
      const text = th.textContent!.trim()
      return { text, words: text.split(/\s+/).length, lines: [...range.getClientRects()].filter(r => r.width > 0).length }
    }))
    expect(headers.map(h => h.text)).toEqual(expect.arrayContaining(['Required', 'Requirements', 'Procedure']))
    expect(headers.filter(h => h.lines > h.words)).toEqual([])
  })

  it('reads My account without sideways scrolling, though the sessions table holds hidden text', async () => {
    const page = await pageAs(citizen, { width: 320, largeText: true })
    await page.goto('/en/me', { waitUntil: 'networkidle' })
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true)
    expect(await page.locator('section[aria-labelledby="sessions-title"] tbody tr').count()).toBeGreaterThan(0)
    expect(await hasHorizontalScroll(page)).toBe(false)
  })
})

describe('an English reader checking their answers', () => {
  it('reads each problem in the error summary as "Label: message", with an English colon', async () => {
    const draft = await createDraft(citizen, CLERK_SERVICE)
    const page = await pageAs(citizen)
    await page.goto(`/en/services/${CLERK_SERVICE}/apply/review?draft=${draft.id}`)
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Accept and submit' }).click()
    const links = page.getByRole('alert').getByRole('link')
    await expect.poll(() => links.count()).toBeGreaterThan(1)
    const texts = await links.allTextContents()
    expect(texts.some(t => /^[^:]+: \S/.test(t)), texts.join(' | ')).toBe(true)
    expect(texts.filter(t => t.includes('：'))).toEqual([])
  })
})

describe('a person whose submit the server refuses for an answer the form itself accepts', () => {
  it('follows the summary\'s link to the field and finds the server\'s reason there', async () => {
    // a well-formed mobile that is not the account's: only the server can tell
    const file = await upload(citizen, uniquePdf('not-the-applicant'))
    const draft = await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, { ...demoPerson('citizen'), mobile: '13911112222' }, [file.id]))
    const page = await pageAs(citizen)
    await page.goto(`/services/${CLERK_SERVICE}/apply/review?draft=${draft.id}`)
    await waitForHydration(page)
    await page.getByLabel(/^本人承诺/).check()
    await page.getByRole('button', { name: '确认并提交申请' }).click()
    const link = page.getByRole('alert').getByRole('link', { name: /须与您账户中登记的本人信息一致/ })
    await link.click()
    await page.waitForURL(url => url.pathname === `/services/${CLERK_SERVICE}/apply` && url.hash === '#field-mobile')
    const field = page.locator('#field-mobile')
    await expect.poll(() => focused(page)).toMatchObject({ id: 'field-mobile' })
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ')
    const said = await Promise.all(describedBy.map(id => page.locator(`#${id}`).textContent()))
    expect(said.join(' ')).toContain('须与您账户中登记的本人信息一致')
    // corrected, the server's reason goes: the server judges the new answer at the next submit
    await field.fill(demoPerson('citizen').mobile)
    await expect.poll(() => field.getAttribute('aria-invalid')).toBeNull()
  })
})

describe('a person whose item stopped being applied for online while the draft waited', () => {
  it('is told to apply at the counter and that the draft is kept, not that the item was withdrawn', async () => {
    const file = await upload(citizen, uniquePdf('no-longer-online'))
    const draft = await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, demoPerson('citizen'), [file.id]))
    const page = await pageAs(citizen)
    await page.goto(`/services/${CLERK_SERVICE}/apply/review?draft=${draft.id}`)
    await waitForHydration(page)
    await page.getByLabel(/^本人承诺/).check()
    // the server's answer once the guide says at the counter (tests/api/manage.test.ts makes it for real)
    const refusal = (reason?: string) => ({ status: 409, json: { statusCode: 409, message: 'refused', data: reason ? { reason } : undefined } })
    await page.route(`**/api/applications/${draft.id}/submit`, route => route.fulfill(refusal('notOnline')))
    await page.getByRole('button', { name: '确认并提交申请' }).click()
    await seen(page.getByText('该事项现已不能网上申请，请按办事指南到服务窗口办理。您的草稿仍保留，可供查看。'))
    expect(await page.getByText('该事项已取消').count()).toBe(0)

    // a withdrawn item (no reason given by older servers either) keeps its own words
    await page.unrouteAll()
    await page.route(`**/api/applications/${draft.id}/submit`, route => route.fulfill(refusal()))
    await page.getByRole('button', { name: '确认并提交申请' }).click()
    await seen(page.getByText(/^该事项已取消，不能再申请。/))
    await page.unrouteAll()
  })
})
