/**
 * A manager opening the dashboard, supervision and satisfaction statistics of the demo portal
 * without choosing a period: the three answer for the same twelve months, and the figures they
 * share (each department's completed and on-time cases, the number of ratings) are the same.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client

interface Period { from: string, to: string }
interface OnlineRate extends Period {
  satisfaction: { count: number }
  byDepartment: { code: string, cases: { completed: number, completedOnTime: number }, satisfaction: { count: number } }[]
}
interface Supervision extends Period { departments: { code: string, completed: number, completedOnTime: number }[] }
interface Satisfaction extends Period { overall: { count: number }, byDepartment: { code: string, count: number }[] }

/** The twelve calendar months up to today in Asia/Shanghai, written independently of the server. */
function lastTwelveMonths(): Period {
  const to = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
  const [y, m] = to.split('-').map(Number) as [number, number]
  const start = m === 12 ? { y, m: 1 } : { y: y - 1, m: m + 1 }
  return { from: `${start.y}-${String(start.m).padStart(2, '0')}-01`, to }
}

beforeAll(async () => {
  manager = await signedIn(server.url, 'manager')
})

describe('the three manager pages with no period chosen', () => {
  it('count the same twelve months, and agree on each department\'s completions and the ratings', async () => {
    const [dashboard, supervision, satisfaction] = await Promise.all([
      manager.get<OnlineRate>('/api/reports/online-rate'),
      manager.get<Supervision>('/api/supervision'),
      manager.get<Satisfaction>('/api/reports/satisfaction'),
    ])
    const expected = lastTwelveMonths()
    for (const res of [dashboard, supervision, satisfaction]) {
      expect(res.status).toBe(200)
      expect({ from: res.body.from, to: res.body.to }).toEqual(expected)
    }

    const busy = dashboard.body.byDepartment.filter(d => d.cases.completed > 0)
    expect(busy.length).toBeGreaterThan(1)
    for (const d of dashboard.body.byDepartment) {
      const s = supervision.body.departments.find(x => x.code === d.code)!
      expect([s.completed, s.completedOnTime], d.code).toEqual([d.cases.completed, d.cases.completedOnTime])
      const r = satisfaction.body.byDepartment.find(x => x.code === d.code)!
      expect(r.count, d.code).toBe(d.satisfaction.count)
    }
    expect(satisfaction.body.overall.count).toBeGreaterThan(0)
    expect(satisfaction.body.overall.count).toBe(dashboard.body.satisfaction.count)
  })

  it('fill in a lone end date the same way: the twelve months up to it', async () => {
    for (const path of ['/api/reports/online-rate', '/api/supervision', '/api/reports/satisfaction']) {
      const res = await manager.get<Period>(`${path}?to=2026-06-30`)
      expect(res.status, path).toBe(200)
      expect({ from: res.body.from, to: res.body.to }, path).toEqual({ from: '2025-07-01', to: '2026-06-30' })
    }
  })
})
