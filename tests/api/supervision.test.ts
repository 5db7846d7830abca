/**
 * Electronic supervision over HTTP, as a manager pages it on the demo history: overdue and
 * near-deadline cases in separate lists with totals, and a period that makes sense.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client

interface CasePage { items: { caseNo: string, deadlineStatus: string }[], total: number, page: number, pageSize: number }
interface Supervision { from: string, to: string, cases: unknown[], casesTotal: number, overdue: CasePage, near: CasePage, departments: { openOverdue: number, openNear: number }[] }

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

  it.each([
    ['a lone start after today, the default end', '?from=2099-03-01', 'from'],
    ['a lone end before 1 January, the default start', '?to=2000-01-01', 'to'],
    ['a start after the end', '?from=2026-03-02&to=2026-03-01', 'from'],
  ])('is told 400 for %s, on the parameter given', async (_, query, field) => {
    const res = await manager.get<{ data: { fieldErrors: Record<string, string> } }>(`/api/supervision${query}`)
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ [field]: 'validation.query.range' })
  })

  it.each(['overduePage=0', 'nearPage=x', 'pageSize=101', 'pageSize=0'])('is told 400 for %s', async (query) => {
    expect((await manager.get(`/api/supervision?${query}`)).status).toBe(400)
  })

  it('takes a period that makes sense with one end given', async () => {
    const res = await manager.get<Supervision>('/api/supervision?from=2026-01-01')
    expect(res.status).toBe(200)
    expect(res.body.from).toBe('2026-01-01')
  })
})
