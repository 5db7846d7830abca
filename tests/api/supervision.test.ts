/**
 * Electronic supervision over HTTP, as a manager pages it on the demo history: overdue and
 * near-deadline cases in separate lists with totals, and a period that makes sense.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client

interface CasePage { items: { caseNo: string, status: string, deadlineStatus: string, workingDaysLeft: number, suspendedSince: string | null }[], total: number, page: number, pageSize: number }
interface Department { code: string, openOverdue: number, openNear: number, acceptanceDecided: number, acceptedLate: number, acceptanceOnTimeRate: number | null, completedExtended: number }
interface Supervision { from: string, to: string, cases: unknown[], casesTotal: number, overdue: CasePage, near: CasePage, departments: Department[], rectifications: { open: number, overdue: number } }

/** Reads the demo portal's database directly, for counts independent of the service. */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
  try { return db.prepare(sql).all(...params) as T[] }
  finally { db.close() }
}

beforeAll(async () => {
  manager = await signedIn(server.url, 'manager')
})

describe('a manager supervising time limits', () => {
  it('gets overdue and near-deadline cases as two lists, each with its total, matching the departments', async () => {
    const res = await manager.get<Supervision>('/api/supervision')
    expect(res.status).toBe(200)
    const { overdue, near, departments } = res.body
    expect(overdue).toMatchObject({ page: 1, pageSize: 20 })
    expect(overdue.total).toBe(departments.reduce((n, d) => n + d.openOverdue, 0))
    expect(near.total).toBe(departments.reduce((n, d) => n + d.openNear, 0))
    expect(overdue.items.every(c => c.deadlineStatus === 'overdue')).toBe(true)
    expect(near.items.every(c => c.deadlineStatus === 'near')).toBe(true)
    // the old single list is still there for existing clients
    expect(res.body.casesTotal).toBe(overdue.total + near.total)
    expect(res.body.cases.length).toBe(Math.min(500, res.body.casesTotal))
  })

  it('pages the overdue list on its own', async () => {
    const all = (await manager.get<Supervision>('/api/supervision?pageSize=100')).body.overdue
    // a year of demo history leaves a few cases open past their deadline
    expect(all.total).toBeGreaterThan(1)
    const second = (await manager.get<Supervision>('/api/supervision?pageSize=1&overduePage=2')).body
    expect(second.overdue).toMatchObject({ page: 2, pageSize: 1, total: all.total })
    expect(second.overdue.items.map(c => c.caseNo)).toEqual([all.items[1]!.caseNo])
    expect(second.near.page).toBe(1)
  })

  it('takes a lone end as the twelve months up to it, as the dashboard does', async () => {
    const res = await manager.get<Supervision>('/api/supervision?to=2000-01-01')
    expect(res.status).toBe(200)
    expect([res.body.from, res.body.to]).toEqual(['1999-02-01', '2000-01-01'])
  })

  it('counts the poor ratings still unanswered, and those past their deadline, as the follow-up list has them', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    const [counted] = query<{ open: number, overdue: number }>(`SELECT count(*) AS open, coalesce(sum(deadline < ?), 0) AS overdue
      FROM rectifications WHERE answer IS NULL`, today)
    const { rectifications } = (await manager.get<Supervision>('/api/supervision')).body
    expect(rectifications).toEqual(counted)
    // a year of demo ratings leaves poor ones unanswered past their 15 working days
    expect(rectifications.overdue).toBeGreaterThan(0)
    const list = await manager.get<{ items: { overdue: boolean }[], total: number }>('/api/rectifications?status=open&pageSize=100')
    expect(list.body.total).toBe(rectifications.open)
    // the follow-up list puts the soonest deadline first: the overdue ones lead
    const shown = Math.min(100, rectifications.overdue)
    expect(list.body.items.slice(0, shown).every(i => i.overdue)).toBe(true)
  })

  it.each([
    ['a lone start after today, the default end', '?from=2099-03-01', 'from'],
    ['a start after the end', '?from=2026-03-02&to=2026-03-01', 'from'],
  ])('is told 400 for %s, on the parameter given', async (_, query, field) => {
    const res = await manager.get<{ data: { fieldErrors: Record<string, string> } }>(`/api/supervision${query}`)
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ [field]: 'validation.query.range' })
  })

  it.each(['overduePage=0', 'nearPage=x', 'pageSize=101', 'pageSize=0'])('is told 400 for %s', async (query) => {
    expect((await manager.get(`/api/supervision?${query}`)).status).toBe(400)
  })

  it('says how many working days an overdue case is late, never 0 or -0, and flags the suspended ones', async () => {
    const res = await fetch(`${server.url}/api/supervision?pageSize=100`, { headers: { cookie: manager.cookie } })
    const text = await res.text()
    expect(text).not.toMatch(/"workingDaysLeft":-0[,}]/)
    const { overdue, near } = JSON.parse(text) as Supervision
    for (const c of overdue.items) expect(c.workingDaysLeft, c.caseNo).toBeLessThanOrEqual(-1)
    for (const c of near.items) expect(c.workingDaysLeft, c.caseNo).toBeGreaterThanOrEqual(0)
    for (const c of overdue.items) expect(c.suspendedSince !== null, c.caseNo).toBe(c.status === 'suspended')
  })

  it('counts overdue cases as the cases say: running past the deadline, or suspended when already past it', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    const n = query<{ n: number }>(`SELECT count(*) AS n FROM cases WHERE (status IN ('submitted', 'accepted') AND deadline < ?)
      OR (status = 'suspended' AND suspended_since > deadline)`, today)[0]!.n
    expect((await manager.get<Supervision>('/api/supervision')).body.overdue.total).toBe(n)
  })

  it('gives each department its acceptance decisions in the period and the late ones', async () => {
    const s = (await manager.get<Supervision>('/api/supervision?from=2026-01-01&to=2026-12-31')).body
    const rows = query<{ code: string, decided: number, late: number }>(`SELECT department_code AS code, count(*) AS decided, sum(accepted_late) AS late
      FROM cases WHERE acceptance_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY department_code`)
    expect(rows.length).toBeGreaterThan(0)
    for (const d of s.departments) {
      const x = rows.find(r => r.code === d.code) ?? { decided: 0, late: 0 }
      expect([d.acceptanceDecided, d.acceptedLate], d.code).toEqual([x.decided, x.late])
      expect(d.acceptanceOnTimeRate, d.code).toBe(x.decided ? (x.decided - x.late) / x.decided : null)
    }
  })

  it('gives each department its completions in the period whose time limit the head had extended', async () => {
    const s = (await manager.get<Supervision>('/api/supervision?from=2026-01-01&to=2026-12-31')).body
    const rows = query<{ code: string, n: number }>(`SELECT department_code AS code, count(*) AS n FROM cases
      WHERE status IN ('approved', 'rejected') AND completed_date BETWEEN '2026-01-01' AND '2026-12-31' AND extended_days > 0 GROUP BY department_code`)
    // the demo history's head extends some of the demo clerk's department's cases
    expect(rows.map(r => r.code)).toContain('SZRS')
    for (const d of s.departments) expect(d.completedExtended, d.code).toBe(rows.find(r => r.code === d.code)?.n ?? 0)
  })

  it('takes a period that makes sense with one end given', async () => {
    const res = await manager.get<Supervision>('/api/supervision?from=2026-01-01')
    expect(res.status).toBe(200)
    expect(res.body.from).toBe('2026-01-01')
  })
})
