/**
 * The tracking page checks a look-up by the server's own rules (the shared parseCaseNo and
 * idNumberSchema, as trackInput does) before it sends anything: a case number of the wrong shape
 * and an ID number with a wrong check character are named beside their fields and in the summary,
 * and no request leaves the browser, so a typo never reaches the server's count of failed look-ups.
 * The same pair typed as people type it (lower case, spaces around, the ID number in groups) is
 * what the server accepts, so the page accepts it too and finds the case.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { axeViolations, describeViolations, requestsTo, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, counterCase, syntheticIdNumber } from '../support/fixtures'

const PERSON = { name: '柜台乙', idNumber: syntheticIdNumber(9733), mobile: '13700009733' }

const suite = useBrowserSuite()
let caseNo: string

beforeAll(async () => {
  caseNo = await counterCase(await signedIn(suite.url, 'clerk'), CLERK_SERVICE, PERSON)
})

/** The same number with another check character: the right shape, a wrong checksum. */
function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
}

describe('an applicant mistyping their case number and ID number on the tracking page', () => {
  it('is told beside each field and in the summary, and nothing is sent until both are right', async () => {
    const page = await suite.newPage()
    const sent = requestsTo(page, '/api/track')
    await page.goto('/track')
    await waitForHydration(page)
    const caseNoBox = page.getByLabel('办件编号', { exact: true })
    const idBox = page.getByLabel('申请人身份证号码', { exact: true })

    // a digit short, and the last character of the ID number wrong
    await caseNoBox.fill(caseNo.slice(0, -1))
    await idBox.fill(wrongCheck(PERSON.idNumber))
    await page.getByRole('button', { name: '查询', exact: true }).click()
    const summary = page.getByRole('alert').filter({ hasText: '请检查以下问题' })
    await summary.waitFor()
    // each message is the server's own (its i18n key), named by its field in the summary
    expect(await summary.innerText()).toContain('办件编号：办件编号格式不正确')
    expect(await summary.innerText()).toContain('申请人身份证号码：身份证号码校验位不正确')
    expect(await page.locator('#track-caseNo-error').innerText()).toContain('办件编号格式不正确')
    expect(await page.locator('#track-idNumber-error').innerText()).toContain('身份证号码校验位不正确')
    expect(await caseNoBox.getAttribute('aria-invalid')).toBe('true')
    expect(await idBox.getAttribute('aria-invalid')).toBe('true')
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    // the same pair as a person may type it: lower case with spaces around, the ID number in the
    // groups printed on the card; the server trims, upper-cases and drops the spaces, so does the page
    await caseNoBox.fill(` ${caseNo.toLowerCase()} `)
    await idBox.fill(`${PERSON.idNumber.slice(0, 6)} ${PERSON.idNumber.slice(6, 14)} ${PERSON.idNumber.slice(14)}`)
    await page.getByRole('button', { name: '查询', exact: true }).click()
    const result = page.getByRole('region', { name: '查询结果', exact: true })
    await result.waitFor()
    expect(await result.innerText()).toContain(caseNo)
    expect(await page.locator('#track-caseNo-error').count()).toBe(0)
    expect(await page.locator('#track-idNumber-error').count()).toBe(0)
    // the answer came after any request the refused look-up could have sent: only this one went
    expect(sent.map(r => r.method)).toEqual(['POST'])
  })
})
