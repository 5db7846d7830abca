/**
 * 回避 over HTTP: the demo clerk with their own ID number on record (as `npm run user:id-number`
 * puts it) reads their own case but cannot act on it or take it in at the counter.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail } from '../../shared/types/case'
import { signedIn } from '../support/client'
import { CLERK_SERVICE, demoPerson, submitOnline } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()
const OWN = demoPerson('citizen2')

beforeAll(() => {
  // the console's write (scripts/user-update.ts), made on the server's database directly
  const db = new Database(join(server.server.dataDir, 'portal.db'))
  try { db.prepare(`UPDATE users SET staff_id_number = ? WHERE username = 'clerk'`).run(OWN.idNumber) }
  finally { db.close() }
})

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
