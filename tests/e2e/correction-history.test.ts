/**
 * 补正记录 on the case pages: an applicant's photo was replaced in a correction; both the
 * applicant's and the clerk's case page list the round (when, which answers changed, by their
 * labels) with the replaced photo as a download link that works, in Chinese and in English, with
 * no accessibility violations. A case never corrected shows no such section.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { axeViolations, describeViolations, screenshot, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, demoPerson, getCase, submitOnline, uniquePdf, upload } from '../support/fixtures'
import type { Submitted } from '../support/fixtures'

const suite = useBrowserSuite()
let corrected: Submitted
let untouched: Submitted

async function pageFor(username: string): Promise<Page> {
  const { context } = await suite.newContext()
  const page = await context.newPage()
  await signInThroughPage(page, username)
  return page
}

async function correctPhoto(citizen: Client, clerk: Client, caseNo: string) {
  const returned = await clerk.post(`/api/cases/${caseNo}/transitions`, {
    action: 'return', version: (await getCase(clerk, caseNo)).version, comment: '照片不清晰，请重新上传。', supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] },
  })
  expect(returned.status).toBe(200)
  const photo = await upload(citizen, uniquePdf('clearer photo'), 'clearer-photo.pdf')
  const res = await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version: returned.body.version, answers: { digitalPhotoReceiptFile: [photo.id] } })
  expect(res.status).toBe(200)
}

beforeAll(async () => {
  const citizen = await signedIn(suite.url, 'citizen')
  const clerk = await signedIn(suite.url, 'clerk')
  corrected = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'history')
  await correctPhoto(citizen, clerk, corrected.caseNo)
  untouched = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'untouched')
})

/** The history region lists one round naming the photo field, and its link downloads the replaced photo. */
async function expectOneRound(page: Page, names: { title: string, round: string, field: string }) {
  const history = page.getByRole('region', { name: names.title })
  await history.waitFor({ state: 'visible' })
  expect(await history.getByRole('listitem').filter({ hasText: names.round }).count()).toBe(1)
  expect(await history.getByText(names.field).count()).toBeGreaterThan(0)
  const link = history.getByRole('link', { name: corrected.upload.name })
  expect(await link.getAttribute('href')).toBe(`/api/uploads/${corrected.upload.id}`)
  const download = await page.request.get(`/api/uploads/${corrected.upload.id}`)
  expect(download.status()).toBe(200)
  expect(Buffer.from(await download.body()).equals(corrected.bytes)).toBe(true)
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('the correction history of a case', () => {
  it('the applicant sees the round and downloads the photo it replaced; an uncorrected case has no history', async () => {
    const page = await pageFor('citizen')
    await page.goto(`/me/cases/${corrected.caseNo}`)
    await waitForHydration(page)
    await expectOneRound(page, { title: '补正记录', round: '第 1 次补正', field: '近期免冠彩色数码照片回执' })
    await screenshot(page, 'correction-history-applicant')
    await page.goto(`/me/cases/${untouched.caseNo}`)
    await waitForHydration(page)
    await page.getByRole('region', { name: '申请表内容' }).waitFor({ state: 'visible' })
    expect(await page.getByRole('region', { name: '补正记录' }).count()).toBe(0)
  })

  it('the clerk sees it too, in Chinese and in English', async () => {
    const page = await pageFor('clerk')
    await page.goto(`/clerk/cases/${corrected.caseNo}`)
    await waitForHydration(page)
    await expectOneRound(page, { title: '补正记录', round: '第 1 次补正', field: '近期免冠彩色数码照片回执' })
    await page.goto(`/en/clerk/cases/${corrected.caseNo}`)
    await waitForHydration(page)
    await expectOneRound(page, { title: 'Correction history', round: 'Correction 1', field: 'Digital photo receipt' })
    await screenshot(page, 'correction-history-clerk-en')
  })
})
