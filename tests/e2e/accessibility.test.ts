/**
 * Every page type, signed in as the role that uses it, passes axe-core (WCAG 2.1 A and AA) with
 * zero violations in Chinese and in English and loads nothing from another host: in Chinese on a
 * desktop screen, in English in large-text mode on a 375-pixel phone, where it must also need no
 * horizontal scrolling (English, whose long words wrap worst, in the narrowest layout). Each page
 * is visited twice, not three times: a third of the file's time. A page added to pages/ without
 * an entry below fails the inventory test.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, hasHorizontalScroll, screenshot, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { answersFor, counterCase, createDraft, demoPerson, getCase, RESULT_SERVICE, submitOnline, syntheticIdNumber } from '../support/fixtures'

/** `head`: the demo clerk's head of department (department_head), who decides requests to extend a time limit */
type Role = 'anonymous' | 'citizen' | 'clerk' | 'head' | 'manager' | 'admin' | 'auditor'
/** `documentId`: the event of the completed case that issued its decision (文书), an e-licence named on it */
interface Fixtures { service: string, caseNo: string, completedCaseNo: string, resultCode: string, draftId: string, documentId: number }

/** Each page file, how to reach it and as whom. */
const PAGES: Record<string, { role: Role, path: (f: Fixtures) => string, status?: number }> = {
  'index.vue': { role: 'anonymous', path: () => '/' },
  'services/index.vue': { role: 'anonymous', path: () => '/services?q=社保' },
  'services/[code]/index.vue': { role: 'anonymous', path: f => `/services/${f.service}` },
  'services/[code]/apply/index.vue': { role: 'citizen', path: f => `/services/${f.service}/apply?draft=${f.draftId}` },
  'services/[code]/apply/review.vue': { role: 'citizen', path: f => `/services/${f.service}/apply/review?draft=${f.draftId}` },
  'login.vue': { role: 'anonymous', path: () => '/login' },
  'register.vue': { role: 'anonymous', path: () => '/register' },
  'password-reset.vue': { role: 'anonymous', path: () => '/password-reset' },
  'track.vue': { role: 'anonymous', path: () => '/track' },
  // a document of a tracked case is shown only right after tracking: a fresh page explains so
  'track-documents/[caseNo]/[id].vue': { role: 'anonymous', path: () => '/track-documents/SZ20260101000001/1' },
  'verify/index.vue': { role: 'anonymous', path: () => '/verify' },
  'verify/[code].vue': { role: 'anonymous', path: f => `/verify/${f.resultCode}` },
  'open-data.vue': { role: 'anonymous', path: () => '/open-data' },
  'signed-in.vue': { role: 'citizen', path: () => '/signed-in' },
  'me/index.vue': { role: 'citizen', path: () => '/me' },
  'me/applications.vue': { role: 'citizen', path: () => '/me/applications' },
  'me/materials.vue': { role: 'citizen', path: () => '/me/materials' },
  'me/messages.vue': { role: 'citizen', path: () => '/me/messages' },
  'me/cases/index.vue': { role: 'citizen', path: () => '/me/cases' },
  'me/cases/[caseNo]/index.vue': { role: 'citizen', path: f => `/me/cases/${f.completedCaseNo}` },
  'me/cases/[caseNo]/receipt.vue': { role: 'citizen', path: f => `/me/cases/${f.caseNo}/receipt` },
  'me/cases/[caseNo]/documents/[id].vue': { role: 'citizen', path: f => `/me/cases/${f.completedCaseNo}/documents/${f.documentId}` },
  'me/results/index.vue': { role: 'citizen', path: () => '/me/results' },
  'me/results/[code].vue': { role: 'citizen', path: f => `/me/results/${f.resultCode}` },
  'clerk/index.vue': { role: 'clerk', path: () => '/clerk' },
  'clerk/cases/[caseNo].vue': { role: 'clerk', path: f => `/clerk/cases/${f.caseNo}` },
  'clerk/counter.vue': { role: 'clerk', path: () => '/clerk/counter' },
  'clerk/receipts/[caseNo].vue': { role: 'clerk', path: f => `/clerk/receipts/${f.caseNo}` },
  'clerk/documents/[caseNo]/[id].vue': { role: 'clerk', path: f => `/clerk/documents/${f.completedCaseNo}/${f.documentId}` },
  'clerk/rectifications.vue': { role: 'clerk', path: () => '/clerk/rectifications' },
  // the head's list, with the request the demo clerk sent on an accepted case
  'clerk/extensions.vue': { role: 'head', path: () => '/clerk/extensions' },
  'manage/reports.vue': { role: 'manager', path: () => '/manage/reports' },
  'manage/satisfaction.vue': { role: 'manager', path: () => '/manage/satisfaction' },
  'manage/supervision.vue': { role: 'manager', path: () => '/manage/supervision' },
  'manage/audit.vue': { role: 'auditor', path: () => '/manage/audit' },
  'manage/catalogue/index.vue': { role: 'admin', path: () => '/manage/catalogue' },
  'manage/catalogue/new.vue': { role: 'admin', path: () => '/manage/catalogue/new' },
  'manage/catalogue/[code]/index.vue': { role: 'admin', path: f => `/manage/catalogue/${f.service}` },
  'manage/catalogue/[code]/form.vue': { role: 'admin', path: f => `/manage/catalogue/${f.service}/form` },
  'manage/catalogue/import.vue': { role: 'admin', path: () => '/manage/catalogue/import' },
  'manage/calendar.vue': { role: 'admin', path: () => '/manage/calendar?year=2026' },
  // any address no page has: the 404 page (error.vue) must be as usable as the others
  '[...slug].vue': { role: 'anonymous', path: () => '/no-such-page', status: 404 },
}

function pageFiles(dir = 'pages'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? pageFiles(join(dir, e.name)) : e.name.endsWith('.vue') ? [relative('pages', join(dir, e.name))] : [])
}

const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
const fixtures = {} as Fixtures
const cookies = new Map<Role, string>()

async function approve(clerk: Client, caseNo: string) {
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    const res = await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`)
  }
}

beforeAll(async () => {
  const citizen = await signedIn(suite.url, 'citizen')
  const clerk = await signedIn(suite.url, 'clerk')
  const person = demoPerson('citizen')
  fixtures.service = RESULT_SERVICE
  fixtures.caseNo = (await submitOnline(citizen, person, RESULT_SERVICE, 'open')).caseNo
  fixtures.completedCaseNo = (await submitOnline(citizen, person, RESULT_SERVICE, 'done')).caseNo
  await approve(clerk, fixtures.completedCaseNo)
  const detail = await citizen.get<{ result: { code: string } | null, events: { id: number, document?: string }[] }>(`/api/cases/${fixtures.completedCaseNo}`)
  fixtures.resultCode = detail.body.result!.code
  fixtures.documentId = detail.body.events.find(e => e.document === 'approval')!.id
  fixtures.draftId = (await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, person, []))).id
  // a request to extend waiting for the head of the department (clerk/extensions.vue lists it)
  const extended = await counterCase(clerk, RESULT_SERVICE, { name: '孙延期', idNumber: syntheticIdNumber(7575), mobile: '13900007575' })
  const accepted = await clerk.post(`/api/cases/${extended}/transitions`, { action: 'accept', version: 1 })
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`)
  const asked = await clerk.post(`/api/cases/${extended}/extension-request`, { days: 5, comment: '需组织专家评审', version: 2 })
  if (asked.status !== 200) throw new Error(`extension-request: ${asked.status} ${JSON.stringify(asked.body)}`)
  for (const role of ['citizen', 'clerk', 'head', 'manager', 'admin', 'auditor'] as const) {
    cookies.set(role, role === 'citizen' ? citizen.cookie : role === 'clerk' ? clerk.cookie : (await signedIn(suite.url, role)).cookie)
  }
})

/** One browser context per role and screen, signed in once, reused for every page it visits. */
const contexts = new Map<string, Awaited<ReturnType<typeof suite.newContext>>>()

async function openAs(role: Role, path: string, opts: { width?: number, largeText?: boolean } = {}) {
  const key = `${role}:${opts.width ?? 1280}:${opts.largeText ?? false}`
  let entry = contexts.get(key)
  if (!entry) {
    entry = await suite.newContext(opts)
    const cookie = cookies.get(role)
    if (cookie) {
      await addSession(entry.context, suite.url, { cookie })
    }
    contexts.set(key, entry)
  }
  entry.foreignRequests.length = 0
  const page = entry.context.pages()[0] ?? await entry.context.newPage()
  const response = await page.goto(path)
  await settled(page)
  return { page, response, foreignRequests: entry.foreignRequests }
}

describe('the page inventory', () => {
  it('lists every page of the portal, so that no new page escapes the accessibility check', () => {
    expect(pageFiles().sort()).toEqual(Object.keys(PAGES).sort())
  })
})

/** Visits a page as `role` and checks what every visit must hold: its status, its language, a heading, axe, nothing foreign. */
async function checkPage(file: string, { role, path, status }: typeof PAGES[string], locale: 'zh' | 'en', screen: { width?: number, largeText?: boolean } = {}) {
  const { page, response, foreignRequests } = await openAs(role, (locale === 'en' ? '/en' : '') + path(fixtures), screen)
  expect(response?.status(), `${file} answered`).toBe(status ?? 200)
  expect(await page.getAttribute('html', 'lang')).toBe(locale === 'zh' ? 'zh-CN' : 'en')
  await expect.poll(() => page.locator('h1').count()).toBeGreaterThan(0)
  const violations = await axeViolations(page)
  await screenshot(page, `a11y-${locale}-${file.replace(/[/[\]]/g, '_')}`)
  expect(violations, describeViolations(violations)).toEqual([])
  expect(foreignRequests).toEqual([])
  return page
}

describe('every page in Chinese, on a desktop screen', () => {
  it.each(Object.entries(PAGES))('%s passes axe with zero violations', async (file, entry) => {
    await checkPage(file, entry, 'zh')
  })
})

describe('every page in English, in large-text mode on a phone', () => {
  it.each(Object.entries(PAGES))('%s passes axe with zero violations and fits a 375-pixel screen without horizontal scrolling', async (file, entry) => {
    const page = await checkPage(file, entry, 'en', { width: 375, largeText: true })
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true)
    expect(await hasHorizontalScroll(page), `${file} scrolls sideways`).toBe(false)
  })
})
