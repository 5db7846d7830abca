/**
 * Over HTTP: 张晓明 loses his driving licence twice and is issued a new one each time (补证); a
 * stranger scanning the old licence's code learns it was replaced, and anyone verifying reads the
 * licence number printed on the paper, to compare.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { PublicVerification, ResultDetails } from '../../shared/types/result'
import { Client, signedIn } from '../support/client'
import { CLERK2_SERVICE, demoPerson, getCase, submitOnline } from '../support/fixtures'
import { pdfLines } from '../support/pdf'
import { useTestServer } from '../support/server'

const server = useTestServer()

/** His online application for a new driving licence (SZGA-0010), accepted and approved by the department: the licence's code. */
async function replacedLicence(citizen: Client, clerk: Client, label: string): Promise<string> {
  const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK2_SERVICE, label)
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
  }
  return (await citizen.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)).body.result.code
}

describe('a driving licence replaced by a newer one', () => {
  let citizen: Client
  let first: string
  let second: string

  beforeAll(async () => {
    citizen = await signedIn(server.url, 'citizen')
    const clerk2 = await signedIn(server.url, 'clerk2')
    first = await replacedLicence(citizen, clerk2, 'first-loss')
    second = await replacedLicence(citizen, clerk2, 'second-loss')
  })

  it('verifies as revoked, replaced by a newer licence, without naming the new one; the new one as valid', async () => {
    const anyone = new Client(server.url)
    const old = await anyone.get<PublicVerification>(`/api/verify/${first}`)
    expect(old.status).toBe(200)
    expect(old.body).toMatchObject({ code: first, status: 'revoked', superseded: true, revokedAt: expect.any(String), holderMasked: '张**', resultName: '机动车驾驶证' })
    expect(JSON.stringify(old.body)).not.toContain(second)
    expect((await anyone.get<PublicVerification>(`/api/verify/${second}`)).body).toMatchObject({ status: 'valid', superseded: false, revokedAt: null })
  })

  it('gives the licence number printed on the PDF, so the paper can be matched to the record', async () => {
    const verified = (await new Client(server.url).get<PublicVerification>(`/api/verify/${second}`)).body
    const own = (await citizen.get<ResultDetails>(`/api/results/${second}`)).body
    expect(verified.number).toBe(own.number)
    expect(verified.number).toMatch(/^SZGA-0010-\d+$/)
    const pdf = Buffer.from(await (await fetch(`${server.url}/api/results/${second}/pdf`, { headers: { cookie: citizen.cookie } })).arrayBuffer())
    expect(pdfLines(pdf)).toContain(`证照编号  Certificate number: ${verified.number}`)
    // still nothing personal: the holder's name masked, no ID number or mobile
    const text = JSON.stringify(verified)
    for (const secret of ['440305', '2319', '晓明', '13800138000']) expect(text).not.toContain(secret)
  })

  it('the holder\'s list shows which licence replaced the old one, and the old one can no longer be reused in an application', async () => {
    const mine = (await citizen.get<ResultDetails[]>('/api/me/results')).body
    expect(mine.find(r => r.code === first)).toMatchObject({ status: 'revoked', supersededBy: second })
    expect(mine.find(r => r.code === second)).toMatchObject({ status: 'valid', supersededBy: null })
    // the driving licences the demo history gave him are replaced as well: one valid driving licence
    expect(mine.filter(r => r.resultName === '机动车驾驶证' && r.status === 'valid').map(r => r.code)).toEqual([second])
    expect((await citizen.post(`/api/me/shared-materials/results/${first}/attach`)).status).toBe(409)
  })

  it('the holder is told in the in-app messages', async () => {
    const messages = (await citizen.get<{ items: { kind: string, params: Record<string, string> }[] }>('/api/me/messages?pageSize=100')).body.items
    expect(messages).toContainEqual(expect.objectContaining({ kind: 'resultRevoked', params: expect.objectContaining({ code: first, supersededBy: second }) }))
  })

  it('leaves another person\'s driving licence valid', async () => {
    const clerk2 = await signedIn(server.url, 'clerk2')
    const other = await signedIn(server.url, 'citizen2')
    const { caseNo } = await submitOnline(other, demoPerson('citizen2'), CLERK2_SERVICE, 'hers')
    for (const action of ['accept', 'approve']) {
      const { version } = await getCase(clerk2, caseNo)
      expect((await clerk2.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
    }
    expect((await new Client(server.url).get<PublicVerification>(`/api/verify/${second}`)).body.status).toBe('valid')
  })
})
