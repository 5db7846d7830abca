/**
 * Numbers people type full-width or in groups, over HTTP: a bank account in an application (kept
 * as its digits, or refused at its field on submit) and an organisation's unified social credit
 * code added on "my account" (kept as the code, and the same code in another form is the same
 * organisation).
 */
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { registerCitizen } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()

/** 住房公积金提取（购房） (SZGJJ-0001), complete but for the account. */
const housingFund = (bankAccount: string) => ({
  name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', houseType: 'new', propertyAddress: '深圳市福田区福华一路1号',
  contractNo: 'HT-2026-0001', totalPrice: 3000000, loanType: 'full', bankName: '中国银行深圳分行', bankAccount,
})

describe('a bank account in an online application', () => {
  it('"abc" is kept in the draft, which opens, and refused at its field on submit', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGJJ-0001', answers: housingFund('abc') })
    expect(draft.status).toBe(201)
    const opened = await citizen.get(`/api/applications/${draft.body.id}`)
    expect(opened.status).toBe(200)
    expect(opened.body.answers.bankAccount).toBe('abc')
    const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(400)
    expect(submitted.body.data.fieldErrors).toEqual({ bankAccount: 'validation.bankAccount.format' })
  })

  it('full-width digits in groups are kept as the 19 digits, in the draft and the case', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGJJ-0001', answers: housingFund('６２２２ ０２１２ ３４５６ ７８９０ １２３') })
    expect(draft.status).toBe(201)
    expect(draft.body.answers.bankAccount).toBe('6222021234567890123')
    const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(201)
    const kase = await citizen.get(`/api/cases/${submitted.body.caseNo}`)
    expect(kase.body.answers.bankAccount).toBe('6222021234567890123')
  })
})

describe('an organisation added on "my account"', () => {
  it('is kept under its code however it was typed, and the same code typed otherwise is the same organisation', async () => {
    const { client } = await registerCitizen(server.url, 5101, 'usccfmt')
    const added = await client.post('/api/me/organizations', { name: '深圳市全角科技有限公司', uscc: '９１４４０３００ＭＡ５１００００１６' })
    expect(added.status).toBe(201)
    expect(added.body.uscc).toBe('91440300MA51000016')
    const again = await client.post('/api/me/organizations', { name: '深圳市全角科技有限公司', uscc: '91440300 ma51 000016' })
    expect(again.status).toBe(409)
    expect(again.body.data.fieldErrors).toEqual({ uscc: 'validation.organizationDuplicate' })
    const listed = await client.get('/api/me/organizations')
    expect(listed.body.map((o: { uscc: string }) => o.uscc)).toEqual(['91440300MA51000016'])
  })

  it('is refused for a code that its groups do not make right', async () => {
    const { client } = await registerCitizen(server.url, 5102, 'usccfmt')
    const refused = await client.post('/api/me/organizations', { name: '深圳市全角科技有限公司', uscc: '91440300 MA51 000017' })
    expect(refused.status).toBe(400)
    expect(refused.body.data.fieldErrors).toEqual({ uscc: 'validation.uscc.checksum' })
  })
})
