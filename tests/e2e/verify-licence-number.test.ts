/**
 * A bank clerk handed a printed driving licence checks it on the verification page: the page gives
 * the licence number and the title to compare with the paper (the masked 张** alone would match
 * any 张), and says so, in Chinese and in English. The licence that a newer one replaced (补证)
 * reads as replaced, not valid; its holder sees which licence replaced it. Every state passes axe.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK2_SERVICE, demoPerson, getCase, submitOnline } from '../support/fixtures'

const suite = useBrowserSuite()
let citizen: Client
/** The licence replaced, and the one that replaced it, with the numbers printed on them. */
const licences = { old: { code: '', number: '' }, current: { code: '', number: '' } }

async function issued(clerk: Client, label: string): Promise<{ code: string, number: string }> {
  const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK2_SERVICE, label)
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
  }
  const code = (await citizen.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
  return { code, number: (await citizen.get<{ number: string }>(`/api/results/${code}`)).body.number }
}

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
  const clerk2 = await signedIn(suite.url, 'clerk2')
  licences.old = await issued(clerk2, 'lost-licence')
  licences.current = await issued(clerk2, 'new-licence')
})

/** The value beside a term in a description list (`<dt>` then `<dd>`). */
function described(page: Page, term: string): Locator {
  return page.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]')
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('someone verifying a printed licence', () => {
  it('reads its licence number and title, told to compare them with the paper; the holder stays masked', async () => {
    const page = await suite.newPage()
    await page.goto(`/verify/${licences.current.code}`)
    await seen(page.getByText('真实有效：该电子证照由本平台核发，目前处于有效期内。'))
    expect((await described(page, '证照编号').innerText()).trim()).toBe(licences.current.number)
    expect((await described(page, '证照名称').innerText()).trim()).toBe('机动车驾驶证')
    await seen(page.getByText('请将纸质证照或 PDF 上的证照名称和证照编号与本页逐字核对。'))
    expect((await described(page, '持证人').innerText()).trim()).toBe('张**')
    expect(await page.getByText('张晓明').count()).toBe(0)
    await settled(page)
    await expectNoViolations(page)
  })

  it('in English too', async () => {
    const page = await suite.newPage()
    await page.goto(`/en/verify/${licences.current.code}`)
    await seen(page.getByText('Authentic and valid', { exact: false }))
    expect((await described(page, 'Certificate number').innerText()).trim()).toBe(licences.current.number)
    await seen(page.getByText('Compare the title and the certificate number on the paper or PDF with those shown here'))
    await settled(page)
    await expectNoViolations(page)
  })

  it('reads the lost licence as replaced by a newer one, in both languages, without learning the new one\'s code', async () => {
    const page = await suite.newPage()
    await page.goto(`/verify/${licences.old.code}`)
    await seen(page.getByText('已被新证取代', { exact: true }))
    await seen(page.getByText('请向持证人索取新证核验', { exact: false }))
    expect((await described(page, '证照编号').innerText()).trim()).toBe(licences.old.number)
    expect(await page.getByText('真实有效', { exact: false }).count()).toBe(0)
    expect(await page.content()).not.toContain(licences.current.code)
    await settled(page)
    await expectNoViolations(page)

    await page.goto(`/en/verify/${licences.old.code}`)
    await seen(page.getByText('Replaced by a newer licence', { exact: true }))
    await seen(page.getByText('ask the holder for the current one', { exact: false }))
  })
})

describe('the holder of the replaced licence', () => {
  it('sees it marked as replaced in his list, and goes from it to the licence that replaced it', async () => {
    const { context } = await suite.newContext()
    await addSession(context, suite.url, citizen)
    const page = await context.newPage()
    await page.goto(`/me/results/${licences.old.code}`)
    await seen(page.getByText('已被新证取代', { exact: true }))
    await seen(described(page, '撤销原因').filter({ hasText: '已补领、换领或重新申领新证' }))
    await settled(page)
    await expectNoViolations(page)
    await page.getByRole('link', { name: `查看新证（核验码 ${licences.current.code}）` }).click()
    await page.waitForURL(`**/me/results/${licences.current.code}`)
    await seen(described(page, '证照编号').filter({ hasText: licences.current.number }))
    await seen(page.getByText('有效', { exact: true }))

    await page.goto('/en/me/results')
    const old = page.getByRole('listitem').filter({ hasText: licences.old.number })
    await seen(old.getByText('Replaced by a newer licence', { exact: true }))
  })

  it('is told in his messages which licence replaced it, in the page\'s language, not by the stored Chinese reason', async () => {
    const { context } = await suite.newContext()
    await addSession(context, suite.url, citizen)
    const page = await context.newPage()
    await page.goto('/me/messages')
    await seen(page.getByText(`您的电子证照 ${licences.old.code} 已被新证 ${licences.current.code} 取代，不再有效。`))
    await page.goto('/en/me/messages')
    await seen(page.getByText(`Your e-licence ${licences.old.code} has been replaced by the newer licence ${licences.current.code} and is no longer valid.`))
  })
})
