/**
 * Races a person can cause without meaning to: two clerks taking the same case, an applicant
 * withdrawing while a clerk accepts, a double click on "submit". Each has exactly one outcome;
 * the loser hears 409 (or, for the double submit, the same case again); no case is ever corrupted.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { nextStatus } from '../../shared/utils/workflow'
import type { Action, Status } from '../../shared/utils/workflow'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { answersFor, CLERK_SERVICE, createDraft, demoPerson, getCase, submitOnline, upload, uniquePdf } from '../support/fixtures'
import type { CaseView } from '../support/fixtures'
import { useTestServer } from '../support/server'

const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })
const ROUNDS = 8

let citizen: Client
let clerkA: Client
let clerkB: Client

beforeAll(async () => {
  citizen = await signedIn(t.url, 'citizen')
  // the same clerk in two browsers: two sessions, two people as far as a race is concerned
  clerkA = await signedIn(t.url, 'clerk')
  clerkB = await signedIn(t.url, 'clerk')
})

/** The history replayed through the workflow ends at the stored status, one version per event. */
function expectConsistent(c: CaseView) {
  let status: Status = 'submitted'
  expect(c.events[0]!.action).toBe('submit')
  for (const e of c.events.slice(1)) {
    expect(e.from).toBe(status)
    const to = nextStatus(status, e.action as Action, 'promised')
    expect(to, `${e.action} from ${status}`).toBe(e.to)
    status = e.to as Status
  }
  expect(c.status).toBe(status)
  expect(c.version).toBe(c.events.length)
}

const statuses = (rs: { status: number }[]) => rs.map(r => r.status).sort()

describe('races', () => {
  it('two clerks accepting one case with the same version: exactly one 200, the other 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, `race-accept-${round}`)
      const { version } = await getCase(clerkA, caseNo)
      const results = await Promise.all([clerkA, clerkB].map(c => c.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version })))
      expect(statuses(results)).toEqual([200, 409])
      const after = await getCase(clerkA, caseNo)
      expect(after.status).toBe('accepted')
      expect(after.events.filter(e => e.action === 'accept')).toHaveLength(1)
      expectConsistent(after)
    }
  })

  it('two clerks deciding differently at once (approve and return): one decision stands', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, `race-decide-${round}`)
      const accepted = await clerkA.post<CaseView>(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })
      expect(accepted.status).toBe(200)
      const version = accepted.body.version
      const [approve, ret] = await Promise.all([
        clerkA.post(`/api/cases/${caseNo}/transitions`, { action: 'approve', version }),
        clerkB.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version, comment: '请补充照片回执' }),
      ])
      expect(statuses([approve, ret])).toEqual([200, 409])
      const after = await getCase(clerkA, caseNo)
      expect(after.status).toBe(approve.status === 200 ? 'approved' : 'supplement')
      expectConsistent(after)
    }
  })

  it('the applicant withdrawing while a clerk accepts: exactly one succeeds, the state matches it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, `race-withdraw-${round}`)
      const [withdraw, accept] = await Promise.all([
        citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'withdraw', version: 1 }),
        clerkA.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 }),
      ])
      expect(statuses([withdraw, accept])).toEqual([200, 409])
      const after = await getCase(citizen, caseNo)
      expect(after.status).toBe(withdraw.status === 200 ? 'withdrawn' : 'accepted')
      expectConsistent(after)
    }
  })

  it('a double submit of one application makes one case, and both answers name it', async () => {
    const person = demoPerson('citizen')
    for (let round = 0; round < ROUNDS; round++) {
      const file = await upload(citizen, uniquePdf(`double-${round}`))
      const draft = await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, person, [file.id]))
      const results = await Promise.all([1, 2, 3].map(() => citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)))
      // the first is created (201); a repeat is the same case again (200), never a second one
      expect(results.filter(r => r.status === 201)).toHaveLength(1)
      expect(results.every(r => r.status === 201 || r.status === 200)).toBe(true)
      expect(new Set(results.map(r => r.body.caseNo)).size).toBe(1)
      const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
      try {
        const n = (db.prepare('SELECT count(*) AS n FROM cases WHERE application_id = ?').get(draft.id) as { n: number }).n
        expect(n).toBe(1)
      }
      finally { db.close() }
      expectConsistent(await getCase(citizen, results[0]!.body.caseNo))
    }
  })

  it('a stale version is refused and changes nothing', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'stale')
    expect((await clerkA.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    const stale = await clerkB.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version: 1, comment: '缺少材料' })
    expect(stale.status).toBe(409)
    const after = await getCase(clerkA, caseNo)
    expect(after.status).toBe('accepted')
    expect(after.version).toBe(2)
    expectConsistent(after)
  })
})
