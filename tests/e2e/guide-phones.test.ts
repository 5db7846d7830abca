/**
 * A citizen reading a guide on a phone taps the consultation or the complaint number to call it:
 * both are links to `tel:` with the number as shown, named for a screen reader by which line they
 * are, in Chinese and in English, and the guide passes axe with them.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { RESULT_SERVICE } from '../support/fixtures'

const suite = useBrowserSuite()
const phones = { consult: '', complaint: '' }

beforeAll(async () => {
  const guide = (await new Client(suite.url).get<{ consultPhone: string, complaintPhone: string }>(`/api/services/${RESULT_SERVICE}`)).body
  phones.consult = guide.consultPhone
  phones.complaint = guide.complaintPhone
})

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('a citizen reading a guide on a phone', () => {
  it('taps the consultation or the complaint number to call it', async () => {
    const page = await suite.newPage({ width: 390 })
    await page.goto(`/services/${RESULT_SERVICE}`)
    const consult = await seen(page.getByRole('link', { name: `咨询电话：拨打 ${phones.consult}`, exact: true }))
    expect((await consult.innerText()).trim()).toBe(phones.consult)
    expect(await consult.getAttribute('href')).toBe(`tel:${phones.consult}`)
    const complaint = await seen(page.getByRole('link', { name: `监督投诉电话：拨打 ${phones.complaint}`, exact: true }))
    expect(await complaint.getAttribute('href')).toBe(`tel:${phones.complaint}`)
    expect(await complaint.getAttribute('href')).not.toMatch(/\s/)
    await settled(page)
    await expectNoViolations(page)
  })

  it('in English too', async () => {
    const page = await suite.newPage()
    await page.goto(`/en/services/${RESULT_SERVICE}`)
    const consult = await seen(page.getByRole('link', { name: `Enquiries: call ${phones.consult}`, exact: true }))
    expect(await consult.getAttribute('href')).toBe(`tel:${phones.consult}`)
    await seen(page.getByRole('link', { name: `Complaints: call ${phones.complaint}`, exact: true }))
    await settled(page)
    await expectNoViolations(page)
  })
})
