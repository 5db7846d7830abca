/**
 * Keyboard and screen-reader users on the administration pages, and English readers of Chinese
 * data: after adding a field, checking the audit chain or turning to the first or last page, focus
 * is where the work goes on, never <body> (WCAG 2.4.3), and what changed is announced (4.1.3); the
 * builder's preview nests its section titles under its own heading (1.3.1); and answers, file names
 * and people's names that are Chinese are marked lang="zh-CN" on English pages (3.1.2), while option
 * labels shown in English are not.
 */
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, CLERK_SERVICE, createDraft, demoPerson, uniquePdf, upload } from '../support/fixtures'

const manage = JSON.parse(readFileSync('i18n/locales/zh/manage.json', 'utf8')).manage
const account = JSON.parse(readFileSync('i18n/locales/zh/account.json', 'utf8')).account

/** An item whose form has sections (申请人信息, 经营信息, 申请材料). */
const SECTIONED = 'SZSJ-0001'

const suite = useBrowserSuite()
let admin: Client
let auditor: Client
let citizen: Client

beforeAll(async () => {
  admin = await signedIn(suite.url, 'admin')
  auditor = await signedIn(suite.url, 'auditor')
  citizen = await signedIn(suite.url, 'citizen')
})

async function pageAs(who: Client): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, who)
  return context.newPage()
}

/** What has focus, in words a failure message can show. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null
  return { tag: el?.tagName.toLowerCase() ?? '', id: el?.id ?? '', text: (el?.textContent ?? '').trim().slice(0, 80), disabled: (el as HTMLButtonElement | null)?.disabled ?? false }
})

/** The language a screen reader reads a text in: the lang of the innermost element holding it, or of its nearest ancestor. */
const langOfText = (page: Page, selector: string, text: string) => page.locator(selector).getByText(text, { exact: true }).last()
  .evaluate(el => el.closest('[lang]')?.getAttribute('lang') ?? '')

/** A pager by the start of its landmark's name: its live position and its two buttons. */
function pagerOf(page: Page, name: string) {
  const nav = page.getByRole('navigation', { name: new RegExp(`^${name}`) })
  return {
    position: nav.locator('[aria-live="polite"]'),
    previous: nav.getByRole('button', { name: manage.list.previous, exact: true }),
    next: nav.getByRole('button', { name: manage.list.next, exact: true }),
  }
}

/**
 * Presses a pager button with the keyboard and waits for the new position, read from the same
 * live region that was on the page before (a region that appears with its text is often not read).
 */
async function pressAndRead(page: Page, button: ReturnType<typeof pagerOf>['next'], position: ReturnType<typeof pagerOf>['position'], expected: string) {
  const region = await position.elementHandle()
  await button.focus()
  await page.keyboard.press('Enter')
  await expect.poll(() => region!.evaluate(el => el.isConnected && el.textContent?.trim())).toBe(expected)
}

describe('an administrator adding a field in the form builder with the keyboard', () => {
  it('lands on the new field\'s key input, in view, instead of staying on the add button', async () => {
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${SECTIONED}/form`)
    await settled(page)
    await page.getByLabel(manage.builder.newType).selectOption('text')
    await page.getByRole('button', { name: manage.builder.addField }).focus()
    await page.keyboard.press('Enter')

    await expect.poll(async () => (await focused(page)).id).toMatch(/^fb-\d+-key$/)
    const where = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement
      const fields = [...document.querySelectorAll('section[aria-labelledby="fb-fields"] ol > li')]
      const box = el.getBoundingClientRect()
      return { value: el.value, inLastField: fields.at(-1)?.contains(el) ?? false, inView: box.top >= 0 && box.bottom <= window.innerHeight }
    })
    expect(where).toEqual({ value: expect.stringMatching(/^field\d+x*$/), inLastField: true, inView: true })
  })
})

describe('an administrator reading the live preview of a form with sections', () => {
  it('finds the form\'s section titles as h3 under the preview\'s h2, and the applicant\'s form keeps them as h2', async () => {
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${SECTIONED}/form`)
    await settled(page)
    const preview = page.locator('section[aria-labelledby="fb-preview"]')
    expect((await preview.locator('h2').allTextContents()).map(s => s.trim())).toEqual([manage.builder.preview])
    const sections = (await preview.locator('h3').allTextContents()).map(s => s.trim())
    expect(sections).toEqual(expect.arrayContaining(['申请人信息', '经营信息']))
    expect(await preview.locator('h1, h4, h5, h6').count()).toBe(0)

    // the renderer's default is unchanged on the apply page, under its h1
    const draft = await createDraft(citizen, SECTIONED)
    const apply = await pageAs(citizen)
    await apply.goto(`/services/${SECTIONED}/apply?draft=${draft.id}`)
    await settled(apply)
    await apply.getByRole('heading', { level: 2, name: '申请人信息' }).waitFor()
  })
})

describe('an auditor checking the integrity of the log with the keyboard', () => {
  it('keeps focus on the button while the check runs and hears the result from a live region there before', async () => {
    const page = await pageAs(auditor)
    await page.goto('/manage/audit')
    await settled(page)
    // slow enough to see the running state, as on a large log
    await page.route('**/api/audit/verify', async (route) => {
      await new Promise(r => setTimeout(r, 600))
      await route.continue()
    })
    const result = await page.locator('section[aria-labelledby="verify-title"] [role="status"]').elementHandle()
    const button = page.getByRole('button', { name: account.audit.verify })
    await button.focus()
    await page.keyboard.press('Enter')

    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('true')
    expect(await focused(page)).toMatchObject({ tag: 'button', text: account.audit.verify })
    await expect.poll(() => result!.evaluate(el => el.isConnected && (el.textContent ?? '').trim())).toMatch(new RegExp(`^(${account.audit.intact.split('：')[0]}|${account.audit.broken.split('：')[0]})`))
    expect(await button.getAttribute('aria-disabled')).toBeNull()
    expect(await focused(page)).toMatchObject({ tag: 'button', text: account.audit.verify })
  })
})

describe('an auditor turning the pages of the audit log with the keyboard', () => {
  it('stays on the pager at the last and the first page and hears the new position', async () => {
    // each reading of the log is itself logged: enough of the auditor's own rows for two pages of 20
    let total = 0
    while (total <= 20) total = (await auditor.get<{ total: number }>('/api/audit?actor=auditor')).body.total
    const page = await pageAs(auditor)
    await page.goto('/manage/audit?actor=auditor')
    await settled(page)
    const pager = pagerOf(page, account.audit.pages)
    const position = (await pager.position.textContent())!.trim()
    const pages = Number(/共 (\d+) 页/.exec(position)![1])
    expect(pages).toBeGreaterThan(1)
    const at = (n: number) => account.audit.pageOf.replace('{page}', String(n)).replace('{count}', String(pages))

    for (let n = 2; n <= pages; n++) await pressAndRead(page, pager.next, pager.position, at(n))
    expect(await focused(page)).toMatchObject({ tag: 'button', text: manage.list.previous, disabled: false })
    for (let n = pages - 1; n >= 1; n--) await pressAndRead(page, pager.previous, pager.position, at(n))
    expect(await focused(page)).toMatchObject({ tag: 'button', text: manage.list.next, disabled: false })
  })
})

describe('an administrator turning the pages of the catalogue list with the keyboard', () => {
  it('stays on the pager at the last and the first page and hears the new position', async () => {
    const { total, pageSize } = (await admin.get<{ total: number, pageSize: number }>('/api/manage/services?pageSize=50')).body
    const pages = Math.ceil(total / pageSize)
    expect(pages).toBeGreaterThan(2)
    const at = (n: number) => manage.list.pageOf.replace('{page}', String(n)).replace('{count}', String(pages))
    const page = await pageAs(admin)

    await page.goto(`/manage/catalogue?page=${pages - 1}`)
    await settled(page)
    let pager = pagerOf(page, manage.list.pagination)
    await pressAndRead(page, pager.next, pager.position, at(pages))
    expect(await focused(page)).toMatchObject({ tag: 'button', text: manage.list.previous, disabled: false })

    await page.goto('/manage/catalogue?page=2')
    await settled(page)
    pager = pagerOf(page, manage.list.pagination)
    await pressAndRead(page, pager.previous, pager.position, at(1))
    expect(await focused(page)).toMatchObject({ tag: 'button', text: manage.list.next, disabled: false })
  })
})

describe('an English reader whose data is Chinese', () => {
  it('hears their typed answers and file names in Chinese on the review page, and the options chosen in English', async () => {
    const file = await upload(citizen, uniquePdf('review-lang'), '照片回执.pdf')
    const draft = await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, demoPerson('citizen'), [file.id]))
    const page = await pageAs(citizen)
    await page.goto(`/en/services/${CLERK_SERVICE}/apply/review?draft=${draft.id}`)
    await settled(page)
    const answers = 'main dl dd'
    expect(await langOfText(page, answers, demoPerson('citizen').name)).toBe('zh-CN')
    await expect.poll(() => langOfText(page, answers, '照片回执.pdf')).toBe('zh-CN')
    // the bank chosen is an option, shown by its English label
    expect(await langOfText(page, answers, 'ICBC')).toBe('en')
    expect(await langOfText(page, 'main dl dt', 'Partner bank')).toBe('en')
  })

  it('hears the file names in Chinese on My materials', async () => {
    await upload(citizen, uniquePdf('materials-lang'), '户口本复印件.pdf')
    const page = await pageAs(citizen)
    await page.goto('/en/me/materials')
    await settled(page)
    expect(await page.getByRole('link', { name: '户口本复印件.pdf' }).getAttribute('lang')).toBe('zh-CN')
    expect(await langOfText(page, 'main th', 'Type')).toBe('en')
  })

  it('hears the name of who wrote a version in Chinese in the version history', async () => {
    const code = 'SZRS-0001'
    const page = await pageAs(admin)
    await page.goto(`/manage/catalogue/${code}`)
    await settled(page)
    await page.locator('#guide-editor button[type="submit"]').click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: manage.editor.saved }).count()).toBe(1)

    await page.goto(`/en/manage/catalogue/${code}`)
    await settled(page)
    const history = 'section[aria-labelledby="history"] td'
    expect(await langOfText(page, history, '系统管理员')).toBe('zh-CN')
    expect(await langOfText(page, history, 'Draft')).toBe('en')
  })
})
