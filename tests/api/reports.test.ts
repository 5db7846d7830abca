/**
 * The online-rate report over HTTP on a demo portal (a year and more of history): who may read
 * it, what it refuses, and that its CSV and JSON say the same as a count over the cases.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { PORTAL_DEMO_HISTORY: '1' } })
const PERIOD = 'from=2026-01-01&to=2026-10-31'

interface Figures { [k: string]: number | null }
interface Report {
  from: string, to: string, department: string | null, asOf: string
  services: Figures, cases: Figures, targets: Figures
  byDepartment: { code: string, name: string, nameEn: string, services: Figures, cases: Figures, shortfall: number | null, shortfallAtLeast: boolean }[]
  trend: { month: string }[], notYetOnline: { code: string }[]
}

function countOverCases(from: string, to: string, dept: string | null) {
  const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
  try {
    const r = db.prepare(`SELECT count(*) AS total, coalesce(sum(channel = 'online'), 0) AS online, coalesce(sum(channel = 'counter'), 0) AS counter
      FROM cases WHERE received_date BETWEEN ? AND ? AND (? IS NULL OR department_code = ?)`).get(from, to, dept, dept) as Figures
    const c = db.prepare(`SELECT count(*) AS completed, coalesce(sum(completed_date <= deadline), 0) AS completedOnTime
      FROM cases WHERE status IN ('approved', 'rejected') AND completed_date BETWEEN ? AND ? AND (? IS NULL OR department_code = ?)`).get(from, to, dept, dept) as Figures
    return { ...r, ...c }
  }
  finally { db.close() }
}

/** Today in Asia/Shanghai, as the server counts it. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)

/** Open cases past their deadline today, per department, straight from the cases. */
function overdueOverCases(): Map<string, number> {
  const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
  try {
    // a suspended case counts when it was already past its deadline on the day it was suspended
    const rows = db.prepare(`SELECT department_code AS code, count(*) AS n FROM cases
      WHERE (status IN ('submitted', 'accepted') AND deadline < ?) OR (status = 'suspended' AND suspended_since > deadline)
      GROUP BY department_code`).all(today()) as { code: string, n: number }[]
    return new Map(rows.map(r => [r.code, r.n]))
  }
  finally { db.close() }
}

/** The cells of one CSV line, quoted ones (an English name with a comma) whole. */
function csvCells(line: string): string[] {
  const cells: string[] = []
  const cell = /"((?:[^"]|"")*)"|([^,]*)/y
  for (let at = 0; ; at += 1) {
    cell.lastIndex = at
    const m = cell.exec(line)!
    cells.push(m[1] === undefined ? m[2]! : m[1].replace(/""/g, '"'))
    at = cell.lastIndex
    if (at >= line.length) return cells
  }
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.replace(/^\uFEFF/, '').trim().split('\r\n').map(csvCells)
  return rows.map(r => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])))
}
const num = (s: string | undefined) => (s === '' || s === undefined ? null : Number(s))

describe('a manager reading the online-rate report', () => {
  it('gets the contract\'s shape, with the targets and every department', async () => {
    const manager = await signedIn(server.url, 'manager')
    const res = await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('no-store')
    const r = res.body
    expect(r).toMatchObject({ from: '2026-01-01', to: '2026-10-31', department: null, targets: { onlineAvailabilityRate: 1, onlineRate: 0.9 } })
    for (const k of ['total', 'suitableOnline', 'availableOnline', 'fullyOnline', 'onlineAvailabilityRate', 'fullyOnlineRate']) expect(r.services).toHaveProperty(k)
    for (const k of ['total', 'online', 'counter', 'onlineRate', 'completed', 'completedOnTime', 'onTimeRate']) expect(r.cases).toHaveProperty(k)
    expect(r.byDepartment.length).toBeGreaterThanOrEqual(20)
    expect(r.trend.map(p => p.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'])
  })

  it('sees the same figures as a count over the cases, for the city and for one department', async () => {
    const manager = await signedIn(server.url, 'manager')
    const city = await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)
    expect(city.body.cases.total).toBeGreaterThan(1000)
    expect(city.body.cases).toMatchObject(countOverCases('2026-01-01', '2026-10-31', null))
    const dept = await manager.get<Report>(`/api/reports/online-rate?${PERIOD}&dept=SZGA`)
    expect(dept.status).toBe(200)
    expect(dept.body.department).toBe('SZGA')
    expect(dept.body.byDepartment.map(d => d.code)).toEqual(['SZGA'])
    expect(dept.body.cases).toMatchObject(countOverCases('2026-01-01', '2026-10-31', 'SZGA'))
  })

  it('downloads a CSV that says the same as the JSON, row by row', async () => {
    const manager = await signedIn(server.url, 'manager')
    const json = (await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)).body
    const res = await fetch(`${server.url}/api/reports/online-rate?${PERIOD}&format=csv`, { headers: { cookie: manager.cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    // the byte-order mark Excel needs to read UTF-8 (fetch's text() would silently drop it)
    expect([...bytes.slice(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    const text = new TextDecoder().decode(bytes)
    const rows = parseCsv(text)
    expect(rows).toHaveLength(1 + json.byDepartment.length)
    const check = (row: Record<string, string>, f: { services: Figures, cases: Figures }) => {
      for (const [k, v] of Object.entries(f.services)) if (row[`services.${k}`] !== undefined) expect(num(row[`services.${k}`]), `services.${k}`).toBe(v)
      for (const [k, v] of Object.entries(f.cases)) if (row[`cases.${k}`] !== undefined) expect(num(row[`cases.${k}`]), `cases.${k}`).toBe(v)
    }
    expect(rows[0]!.level).toBe('total')
    check(rows[0]!, json)
    json.byDepartment.forEach((d, i) => {
      expect(rows[i + 1]!.code).toBe(d.code)
      check(rows[i + 1]!, d)
    })
  })

  it('sees the open cases already overdue today (cases.openOverdue), whatever the period, for the city and each department', async () => {
    const manager = await signedIn(server.url, 'manager')
    const expected = overdueOverCases()
    const all = [...expected.values()].reduce((a, b) => a + b, 0)
    // the demo history leaves some cases open past their deadline
    expect(all).toBeGreaterThan(0)
    for (const period of [PERIOD, 'from=2020-01-01&to=2020-01-31', '']) {
      const r = (await manager.get<Report>(`/api/reports/online-rate?${period}`)).body
      expect(r.asOf).toBe(today())
      expect(r.cases.openOverdue).toBe(all)
      for (const d of r.byDepartment) expect(d.cases.openOverdue, d.code).toBe(expected.get(d.code) ?? 0)
      expect(r.byDepartment.reduce((n, d) => n + d.cases.openOverdue!, 0)).toBe(all)
    }
    const [code, n] = [...expected.entries()].sort((a, b) => b[1] - a[1])[0]!
    const one = (await manager.get<Report>(`/api/reports/online-rate?${PERIOD}&dept=${code}`)).body
    expect(one.cases.openOverdue).toBe(n)
    expect(one.byDepartment[0]!.cases.openOverdue).toBe(n)
  })

  it('ranks departments by what is known of their shortfall, "at least" with one rate unknown, nothing known last', async () => {
    const manager = await signedIn(server.url, 'manager')
    const r = (await manager.get<Report>(`/api/reports/online-rate?from=2020-01-01&to=2020-01-31`)).body
    expect(r.cases.total).toBe(0)
    // no cases: each department is ranked by its items alone, as a lower bound
    for (const d of r.byDepartment) {
      expect(d.shortfall === null, d.code).toBe(d.services.onlineAvailabilityRate === null)
      if (d.shortfall !== null) expect(d.shortfallAtLeast, d.code).toBe(true)
    }
    expect(r.byDepartment.some(d => d.shortfall! > 0)).toBe(true)
    const year = (await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)).body
    const firstNull = year.byDepartment.findIndex(d => d.shortfall === null)
    if (firstNull >= 0) expect(year.byDepartment.slice(firstNull).every(d => d.shortfall === null)).toBe(true)
    const known = year.byDepartment.filter(d => d.shortfall !== null).map(d => d.shortfall!)
    expect(known).toEqual([...known].sort((a, b) => b - a))
    for (const d of year.byDepartment) {
      const unknown = [d.services.onlineAvailabilityRate, d.cases.onlineRate].filter(x => x === null).length
      expect(d.shortfall === null, d.code).toBe(unknown === 2)
      expect(d.shortfallAtLeast, d.code).toBe(unknown === 1)
    }
  })

  it('counts the acceptance decisions of the period and the late ones as the cases record them, for the city and each department', async () => {
    const manager = await signedIn(server.url, 'manager')
    const r = (await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)).body
    const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
    const rows = db.prepare(`SELECT department_code AS code, count(*) AS decided, coalesce(sum(accepted_late), 0) AS late FROM cases
      WHERE acceptance_date BETWEEN '2026-01-01' AND '2026-10-31' GROUP BY department_code`).all() as { code: string, decided: number, late: number }[]
    db.close()
    const decided = rows.reduce((n, x) => n + x.decided, 0)
    const late = rows.reduce((n, x) => n + x.late, 0)
    // the demo history decides on acceptance every working day
    expect(decided).toBeGreaterThan(0)
    expect(r.cases).toMatchObject({ acceptanceDecided: decided, acceptedLate: late, acceptanceOnTimeRate: (decided - late) / decided })
    for (const d of r.byDepartment) {
      const x = rows.find(row => row.code === d.code) ?? { decided: 0, late: 0 }
      expect([d.cases.acceptanceDecided, d.cases.acceptedLate], d.code).toEqual([x.decided, x.late])
    }
  })

  it('adds cases.openOverdue and asOf at the end of the CSV, the old columns where they were', async () => {
    const manager = await signedIn(server.url, 'manager')
    const res = await fetch(`${server.url}/api/reports/online-rate?${PERIOD}&format=csv`, { headers: { cookie: manager.cookie } })
    const [header, total] = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n').map(l => l.split(','))
    expect(header!.slice(0, 5)).toEqual(['level', 'code', 'name', 'from', 'to'])
    expect(header!.indexOf('satisfaction.goodRate')).toBe(23)
    expect(header!.slice(24, 26)).toEqual(['cases.openOverdue', 'asOf'])
    expect(Number(total![24])).toBe([...overdueOverCases().values()].reduce((a, b) => a + b, 0))
    expect(total![25]).toBe(today())
  })

  it('gives every row its English name, City for the total, and the acceptance figures of the JSON', async () => {
    const manager = await signedIn(server.url, 'manager')
    const json = (await manager.get<Report>(`/api/reports/online-rate?${PERIOD}`)).body
    const res = await fetch(`${server.url}/api/reports/online-rate?${PERIOD}&format=csv`, { headers: { cookie: manager.cookie } })
    const rows = parseCsv(await res.text())
    expect([rows[0]!.name, rows[0]!.nameEn]).toEqual(['全市', 'City'])
    expect(Number(rows[0]!['cases.acceptedLate'])).toBe(json.cases.acceptedLate)
    expect(rows[0]!['cases.acceptanceOnTimeRate']).toBe(String(json.cases.acceptanceOnTimeRate))
    for (const d of json.byDepartment) expect(rows.find(x => x.code === d.code)!.nameEn).toBe(d.nameEn)
    const one = await fetch(`${server.url}/api/reports/online-rate?${PERIOD}&dept=SZGA&format=csv`, { headers: { cookie: manager.cookie } })
    const [total] = parseCsv(await one.text())
    expect(total!.nameEn).toBe(json.byDepartment.find(d => d.code === 'SZGA')!.nameEn)
  })

  it.each([
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-31'],
    ['a date in another shape', 'from=01/02/2026&to=2026-03-31'],
    ['a start after the end', 'from=2026-05-01&to=2026-04-30'],
    ['an unknown department', 'dept=NOSUCH'],
    ['a department in lower case', 'dept=szrs'],
    ['a format other than json or csv', 'format=xml'],
    ['a parameter given twice', 'from=2026-01-01&from=2026-02-01'],
  ])('is told 400 for %s', async (_, q) => {
    const manager = await signedIn(server.url, 'manager')
    const res = await manager.get(`/api/reports/online-rate?${q}`)
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.data.fieldErrors).length).toBeGreaterThan(0)
  })
})

describe('people who are not managers', () => {
  it('a clerk sees their own department only', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const own = await clerk.get<Report>(`/api/reports/online-rate?${PERIOD}`)
    expect(own.status).toBe(200)
    expect(own.body.department).toBe('SZRS')
    expect(own.body.byDepartment.map(d => d.code)).toEqual(['SZRS'])
    expect(own.body.cases).toMatchObject(countOverCases('2026-01-01', '2026-10-31', 'SZRS'))
    expect((await clerk.get(`/api/reports/online-rate?${PERIOD}&dept=SZRS`)).status).toBe(200)
    expect((await clerk.get(`/api/reports/online-rate?${PERIOD}&dept=SZGA`)).status).toBe(403)
    const csv = await fetch(`${server.url}/api/reports/online-rate?${PERIOD}&format=csv`, { headers: { cookie: clerk.cookie } })
    const codes = parseCsv(await csv.text()).map(r => r.code)
    expect(codes).toEqual(['SZRS', 'SZRS'])
  })

  it.each(['citizen', 'admin', 'auditor'])('%s is refused with 403', async (who) => {
    const c = await signedIn(server.url, who)
    expect((await c.get('/api/reports/online-rate')).status).toBe(403)
  })

  it('an anonymous visitor is asked to sign in (401)', async () => {
    expect((await new Client(server.url).get('/api/reports/online-rate')).status).toBe(401)
    expect((await new Client(server.url).get('/api/reports/online-rate?format=csv')).status).toBe(401)
  })
})
