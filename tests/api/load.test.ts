/**
 * The busy-morning story: 200 people and clerks at once, for a bounded time, submitting and
 * processing cases. No server errors, no lost case, no duplicate case, and every case's history
 * agrees with its status.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { nextStatus } from '../../shared/utils/workflow'
import type { Action, Status } from '../../shared/utils/workflow'
import { Client } from '../support/client'
import type { ApiResponse } from '../support/client'
import { answersFor, CLERK_SERVICE, demoPerson, pool, registerCitizen, uniquePdf } from '../support/fixtures'
import type { Person, Uploaded } from '../support/fixtures'
import { fileForm } from '../support/files'
import { useTestServer } from '../support/server'

const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0' } })

const VIRTUAL_USERS = 200
/** Virtual clerks; the rest of the virtual users are citizens. */
const CLERKS = 50
/** Accounts registered through the API for this run, besides the demo citizens. */
const EXTRA_CITIZENS = 3
/** Sessions the virtual clerks share: signing in costs a deliberate scrypt each time. */
const CLERK_SESSIONS = 3
const DURATION_MS = 15_000

interface Stats { requests: number, serverErrors: string[], acknowledged: string[], transitions: number, conflicts: number }

/** Counts every answer; a 5xx is remembered with its request. */
function record<T>(stats: Stats, what: string, res: ApiResponse<T>): ApiResponse<T> {
  stats.requests++
  if (res.status >= 500) stats.serverErrors.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`)
  return res
}

/** A citizen's loop: upload, draft, submit, again and again until the time is up. */
async function citizenLoop(client: Client, person: Person, deadline: number, stats: Stats, id: number) {
  for (let n = 0; Date.now() < deadline; n++) {
    const up = record(stats, 'upload', await client.post<Uploaded>('/api/uploads', fileForm(uniquePdf(`load-${id}-${n}`), 'receipt.pdf')))
    if (up.status !== 201) continue
    const draft = record(stats, 'draft', await client.post<{ id: string }>('/api/applications', { serviceCode: CLERK_SERVICE, answers: answersFor(CLERK_SERVICE, person, [up.body.id]) }))
    if (draft.status !== 201) continue
    const sub = record(stats, 'submit', await client.post<{ caseNo: string }>(`/api/applications/${draft.body.id}/submit`))
    if (sub.status === 201) stats.acknowledged.push(sub.body.caseNo)
    else if (sub.status !== 200) throw new Error(`submit answered ${sub.status}`)
  }
}

const NEXT: Partial<Record<Status, { action: Action, comment?: string }>> = {
  submitted: { action: 'accept' },
  accepted: { action: 'approve' },
}

/** A clerk's loop: take the queue, accept or approve what is there; conflicts with colleagues are expected. */
async function clerkLoop(client: Client, deadline: number, stats: Stats, status: 'submitted' | 'accepted') {
  while (Date.now() < deadline) {
    const queue = record(stats, 'queue', await client.get<{ items: { caseNo: string, status: Status }[] }>(`/api/cases?status=${status}&pageSize=20`))
    const items = queue.status === 200 ? queue.body.items : []
    if (items.length === 0) {
      await new Promise(r => setTimeout(r, 100))
      continue
    }
    const pick = items[Math.floor(Math.random() * items.length)]!
    const detail = record(stats, 'case', await client.get<{ status: Status, version: number }>(`/api/cases/${pick.caseNo}`))
    const step = detail.status === 200 ? NEXT[detail.body.status] : undefined
    if (!step) continue
    const moved = record(stats, 'transition', await client.post(`/api/cases/${pick.caseNo}/transitions`, { ...step, version: detail.body.version }))
    if (moved.status === 200) stats.transitions++
    else if (moved.status === 409) stats.conflicts++
    else throw new Error(`transition answered ${moved.status}`)
  }
}

describe('load', () => {
  it('200 concurrent clients submit and process cases: no 5xx, none lost, none duplicated, histories consistent', async () => {
    const extra = await Promise.all(Array.from({ length: EXTRA_CITIZENS }, (_, i) => registerCitizen(t.url, 7000 + i, 'load')))
    const citizens = [
      { client: await new Client(t.url).login('citizen'), person: demoPerson('citizen') },
      { client: await new Client(t.url).login('citizen2'), person: demoPerson('citizen2') },
      ...extra,
    ]
    // several browsers of the one demo clerk; virtual users share them (cookies, not people, are the cost of a sign-in)
    const clerks = await Promise.all(Array.from({ length: CLERK_SESSIONS }, () => new Client(t.url).login('clerk')))
    const stats: Stats = { requests: 0, serverErrors: [], acknowledged: [], transitions: 0, conflicts: 0 }
    const deadline = Date.now() + DURATION_MS
    const outcomes = await pool(VIRTUAL_USERS, VIRTUAL_USERS, async (i) => {
      if (i < CLERKS) return clerkLoop(clerks[i % CLERK_SESSIONS]!, deadline, stats, i % 2 === 0 ? 'submitted' : 'accepted')
      const c = citizens[i % citizens.length]!
      return citizenLoop(c.client, c.person, deadline, stats, i)
    })
    const failures = outcomes.filter(o => o.status === 'rejected').map(o => String((o as PromiseRejectedResult).reason))
    expect(failures).toEqual([])
    expect(stats.serverErrors).toEqual([])
    expect(stats.acknowledged.length).toBeGreaterThan(50)
    // two shared cores serve all 200: a handful of decisions is enough to race submissions against them
    expect(stats.transitions).toBeGreaterThanOrEqual(5)

    const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
    try {
      const acknowledged = new Set(stats.acknowledged)
      expect(acknowledged.size, 'no case number acknowledged twice').toBe(stats.acknowledged.length)
      // the server is fresh: every case made from an online application is one of this run's
      const ours = db.prepare('SELECT case_no AS caseNo FROM cases WHERE application_id IS NOT NULL').all() as { caseNo: string }[]
      expect(ours.map(s => s.caseNo).sort()).toEqual([...acknowledged].sort())
      // one case per application, never two
      expect(db.prepare('SELECT count(*) AS n FROM (SELECT application_id FROM cases WHERE application_id IS NOT NULL GROUP BY application_id HAVING count(*) > 1)').get()).toEqual({ n: 0 })
      const eventsOf = db.prepare('SELECT action, from_status AS "from", to_status AS "to" FROM case_events WHERE case_no = ? ORDER BY id')
      // every case, the demo history's included, tells a history that ends where it stands
      const stored = db.prepare('SELECT case_no AS caseNo, status, version, process_type AS processType FROM cases').all() as { caseNo: string, status: Status, version: number, processType: 'instant' | 'promised' }[]
      for (const c of stored) {
        const events = eventsOf.all(c.caseNo) as { action: string, from: Status | null, to: Status }[]
        expect(events[0]).toEqual({ action: 'submit', from: null, to: 'submitted' })
        let status: Status = 'submitted'
        for (const e of events.slice(1)) {
          expect(e.from, c.caseNo).toBe(status)
          expect(nextStatus(status, e.action as Action, c.processType), c.caseNo).toBe(e.to)
          status = e.to
        }
        expect(status, c.caseNo).toBe(c.status)
        expect(c.version, c.caseNo).toBe(events.length)
      }
    }
    finally { db.close() }
  }, 120_000)
})
