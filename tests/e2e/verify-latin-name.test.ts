/**
 * A bank clerk verifies the licence of a foreign resident, John Smith, served at the counter: the
 * page shows the holder as "J. Smith" (the family name and the given name's initial, not
 * "J*********", the given name's first letter called a family name), and the sentence under it
 * says what is shown for both kinds of name, in Chinese and in English. A Chinese holder stays 王**.
 * Both pass axe.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import type { Person } from '../support/fixtures'
import { counterCase, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
const codes = { latin: '', chinese: '' }

/** A counter case of the person, accepted and approved: its licence's verification code. */
async function licenceOf(clerk: Client, person: Person): Promise<string> {
  const caseNo = await counterCase(clerk, RESULT_SERVICE, person)
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
  }
  return (await clerk.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
}

beforeAll(async () => {
  const clerk = await signedIn(suite.url, 'clerk')
  codes.latin = await licenceOf(clerk, { name: 'John Smith', idNumber: syntheticIdNumber(9701), mobile: '13700009701' })
  codes.chinese = await licenceOf(clerk, { name: '王小明', idNumber: syntheticIdNumber(9702), mobile: '13700009702' })
})

function described(page: Page, term: string): Locator {
  return page.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]')
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('someone verifying the licence of a holder whose name is in Latin letters', () => {
  it('reads the family name and the initial, and a sentence that says so, in English', async () => {
    const page = await suite.newPage()
    await page.goto(`/en/verify/${codes.latin}`)
    const holder = await seen(described(page, 'Holder'))
    expect((await holder.innerText()).trim()).toBe('J. Smith')
    // read with the page's English voice, not marked Chinese as a Chinese name is
    expect(await holder.getAttribute('lang')).toBeNull()
    expect(await page.getByText('John').count()).toBe(0)
    await seen(page.getByText('for a name of several words in Latin letters, the last word (the family name) and the initials of the others; for any other name, its first character.', { exact: false }))
    await settled(page)
    await expectNoViolations(page)
  })

  it('in Chinese too', async () => {
    const page = await suite.newPage()
    await page.goto(`/verify/${codes.latin}`)
    expect((await (await seen(described(page, '持证人'))).innerText()).trim()).toBe('J. Smith')
    await seen(page.getByText('以拉丁字母书写、由几个词组成的姓名，显示最后一个词（姓氏）和其余各词的首字母；其他姓名只显示第一个字。', { exact: false }))
    await settled(page)
    await expectNoViolations(page)
  })

  it('sees a Chinese holder by the first character as before, marked as Chinese on the English page', async () => {
    const page = await suite.newPage()
    await page.goto(`/en/verify/${codes.chinese}`)
    const holder = await seen(described(page, 'Holder'))
    expect((await holder.innerText()).trim()).toBe('王**')
    expect(await holder.getAttribute('lang')).toBe('zh-CN')
    await settled(page)
    await expectNoViolations(page)
  })
})
