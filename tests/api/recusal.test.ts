/**
 * 回避 over HTTP: the demo clerk with their own ID number on record (as `npm run user:id-number`
 * puts it) reads their own case but cannot act on it, take it in at the counter, answer the
 * complaint of its bad rating or ask for its rating.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail } from '../../shared/types/case'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { answersFor, CLERK_SERVICE, createDraft, demoPerson, getCase, RESULT_SERVICE, submitOnline } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()
const OWN = demoPerson('citizen2')

/** The console's write (scripts/user-update.ts), made on the server's database directly. */
function clerkNumberOnRecord(idNumber: string | null): void {
  const db = new Database(join(server.server.dataDir, 'portal.db'))
  try { db.prepare(`UPDATE users SET staff_id_number = ? WHERE username = 'clerk'`).run(idNumber) }
  finally { db.close() }
}

beforeAll(() => clerkNumberOnRecord(OWN.idNumber))

/** An application of the item with an e-licence, accepted and approved by `clerk`: a completed case. */
async function approvedCase(applicant: Client, person: typeof OWN, clerk: Client): Promise<string> {
  const draft = await createDraft(applicant, RESULT_SERVICE, answersFor(RESULT_SERVICE, person, []))
  const { caseNo } = (await applicant.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)).body
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
  }
  return caseNo
}

interface Item { id: number, caseNo: string, status: string, ownCase: boolean }

describe('a clerk\'s own application', () => {
  it('is theirs to read with the reason they cannot act; an action is refused with 403 and changes nothing', async () => {
    const { caseNo } = await submitOnline(await signedIn(server.url, 'citizen2'), OWN, CLERK_SERVICE, 'own-case')
    const clerk = await signedIn(server.url, 'clerk')
    const seen = await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)
    expect(seen.status).toBe(200)
    expect(seen.body).toMatchObject({ status: 'submitted', allowedActions: [], ownCase: true })
    const refused = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: seen.body.version })
    expect(refused.status).toBe(403)
    expect(refused.body.message).toMatch(/Recusal/)
    expect((await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body).toMatchObject({ status: 'submitted', version: seen.body.version })
    // someone else's case is theirs as ever
    const other = await submitOnline(await signedIn(server.url, 'citizen'), demoPerson('citizen'), CLERK_SERVICE, 'not-own')
    expect((await clerk.get<CaseDetail>(`/api/cases/${other.caseNo}`)).body).toMatchObject({ ownCase: false, allowedActions: expect.arrayContaining(['accept']) })
  })

  it('cannot be taken in at the counter by them: 400 at the ID number, nothing recorded', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const before = (await clerk.get<{ total: number }>('/api/cases')).body.total
    const res = await clerk.post('/api/counter-cases', { serviceCode: CLERK_SERVICE, applicant: OWN, answers: { cardBank: 'icbc', collectWay: 'branch' } })
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ 'applicant.idNumber': 'case.errors.ownCase' })
    expect((await clerk.get<{ total: number }>('/api/cases')).body.total).toBe(before)
  })
})

describe('the rating of a clerk\'s own case', () => {
  it('is not theirs to answer when it is bad, nor to ask for: 409, the item still open, no prompt sent', async () => {
    const own = await signedIn(server.url, 'citizen2')
    const other = await signedIn(server.url, 'citizen')
    const clerk = await signedIn(server.url, 'clerk')
    // handled before the clerk's own number was on record (a colleague's work, for the portal)
    clerkNumberOnRecord(null)
    const [ratedOwn, unratedOwn, ratedOther, unratedOther] = [
      await approvedCase(own, OWN, clerk), await approvedCase(own, OWN, clerk),
      await approvedCase(other, demoPerson('citizen'), clerk), await approvedCase(other, demoPerson('citizen'), clerk),
    ]
    clerkNumberOnRecord(OWN.idNumber)
    expect((await own.post(`/api/cases/${ratedOwn}/rating`, { score: 1, comment: '等了太久' })).status).toBe(201)
    expect((await other.post(`/api/cases/${ratedOther}/rating`, { score: 2 })).status).toBe(201)

    const items = (await clerk.get<{ items: Item[] }>('/api/rectifications?status=open&pageSize=100')).body.items
    const ownItem = items.find(i => i.caseNo === ratedOwn)!
    expect(ownItem).toMatchObject({ status: 'open', ownCase: true })
    expect(items.find(i => i.caseNo === ratedOther)).toMatchObject({ status: 'open', ownCase: false })
    const refused = await clerk.post(`/api/rectifications/${ownItem.id}/answer`, { answer: '已整改' })
    expect(refused.status).toBe(409)
    expect(refused.body.message).toMatch(/Recusal/)
    expect((await own.get(`/api/cases/${ratedOwn}/rating`)).body.rectification).toMatchObject({ status: 'open', answer: null })

    expect((await clerk.get(`/api/cases/${unratedOwn}/rating`)).body).toMatchObject({ canPrompt: false, promptedAt: null })
    expect((await clerk.get(`/api/cases/${unratedOther}/rating`)).body).toMatchObject({ canPrompt: true })
    const prompt = await clerk.post(`/api/cases/${unratedOwn}/rating-prompt`)
    expect(prompt.status).toBe(409)
    expect(prompt.body.message).toMatch(/Recusal/)
    expect((await own.get(`/api/cases/${unratedOwn}/rating`)).body.promptedAt).toBeNull()

    // the refusals were the recusal's: without the number on record the same clerk may do both
    clerkNumberOnRecord(null)
    try {
      expect((await clerk.post(`/api/rectifications/${ownItem.id}/answer`, { answer: '已整改' })).status).toBe(200)
      expect((await clerk.post(`/api/cases/${unratedOwn}/rating-prompt`)).status).toBe(200)
    }
    finally { clerkNumberOnRecord(OWN.idNumber) }
  })
})
