/**
 * The online-rate report against an independent count over the cases themselves: a manager must
 * be able to trust that the dashboard says what happened, to the day and to the department.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { rebuildDailyCounts, verifyDailyCounts } from '../../server/services/daily-counts'
import { defaultPeriod, NOT_YET_ONLINE_SHOWN, onlineRateReport, reportCsv, CSV_COLUMNS } from '../../server/services/reports'
import { applyTransition } from '../../server/services/transitions'
import { makeIdNumber } from '../../shared/utils/id-number'
import { freshDatabase, userIdOf } from '../support/db'

const FROM = '2026-03-01'
const TO = '2026-03-31'

interface Svc { code: string, dept: string }

function serviceOf(conn: Connection, dept: string, processType: 'promised' | 'instant'): Svc {
  return conn.sqlite.prepare(`SELECT code, department_code AS dept FROM services WHERE department_code = ? AND process_type = ?
    AND online_depth >= 3 AND form_version_id IS NOT NULL AND status = 'published' ORDER BY code LIMIT 1`).get(dept, processType) as Svc
}

/** Receives a case at an instant given in Shanghai local time. */
function receive(conn: Connection, svc: Svc, channel: 'online' | 'counter', localTime: string): string {
  const citizen = userIdOf(conn, 'citizen')
  const clerk = userIdOf(conn, svc.dept === 'SZRS' ? 'clerk' : 'clerk2')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: svc.code, channel, formVersionId: null, answers: {}, materials: [],
    applicant: channel === 'online'
      ? { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
      : { userId: null, name: '赵六', idNumber: makeIdNumber('44030319750505123'), mobile: '13700001111' },
    actor: channel === 'online' ? { id: citizen, role: 'citizen' } : { id: clerk, role: 'clerk' },
  }, new Date(`${localTime}+08:00`)).caseNo)
}

function act(conn: Connection, caseNo: string, action: 'accept' | 'approve' | 'reject', localTime: string) {
  const row = conn.sqlite.prepare('SELECT version, department_code AS dept FROM cases WHERE case_no = ?').get(caseNo) as { version: number, dept: string }
  const clerk = { id: userIdOf(conn, row.dept === 'SZRS' ? 'clerk' : 'clerk2'), role: 'clerk', departmentCode: row.dept }
  applyTransition(conn, { caseNo, action, version: row.version, user: clerk, comment: action === 'reject' ? '不符合条件' : null, now: new Date(`${localTime}+08:00`) })
}

function deadlineOf(conn: Connection, caseNo: string): string {
  return (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline
}

/** The same figures counted straight from the cases, written independently of the report. */
function independentCount(conn: Connection, from: string, to: string, dept: string | null) {
  const received = conn.sqlite.prepare(`SELECT count(*) AS total, coalesce(sum(channel = 'online'), 0) AS online, coalesce(sum(channel = 'counter'), 0) AS counter
    FROM cases WHERE received_date BETWEEN ? AND ? AND (? IS NULL OR department_code = ?)`).get(from, to, dept, dept) as { total: number, online: number, counter: number }
  const completed = conn.sqlite.prepare(`SELECT count(*) AS completed, coalesce(sum(completed_date <= deadline), 0) AS completedOnTime
    FROM cases WHERE status IN ('approved', 'rejected') AND completed_date BETWEEN ? AND ? AND (? IS NULL OR department_code = ?)`)
    .get(from, to, dept, dept) as { completed: number, completedOnTime: number }
  return { ...received, ...completed }
}

describe('a manager reading the online-rate report for March 2026', () => {
  let conn: Connection
  const szrs = () => serviceOf(conn, 'SZRS', 'promised')
  const szga = () => serviceOf(conn, 'SZGA', 'promised')

  beforeAll(() => {
    conn = freshDatabase()
    // boundaries: Shanghai midnight is 16:00 UTC the day before
    receive(conn, szrs(), 'online', '2026-02-28T23:59:59')
    receive(conn, szrs(), 'online', '2026-03-01T00:00:00')
    receive(conn, szrs(), 'counter', '2026-03-31T23:59:59')
    receive(conn, szrs(), 'counter', '2026-04-01T00:00:00')
    // cases completed on time, late, rejected, and one left open
    const onTime = receive(conn, szrs(), 'online', '2026-03-02T10:00:00')
    act(conn, onTime, 'accept', '2026-03-03T09:00:00')
    act(conn, onTime, 'approve', '2026-03-04T15:00:00')
    const late = receive(conn, szga(), 'counter', '2026-03-02T11:00:00')
    act(conn, late, 'accept', '2026-03-03T09:30:00')
    const deadline = deadlineOf(conn, late)
    act(conn, late, 'approve', `${addDay(deadline)}T10:00:00`)
    const rejected = receive(conn, szga(), 'online', '2026-03-05T09:00:00')
    act(conn, rejected, 'accept', '2026-03-05T10:00:00')
    act(conn, rejected, 'reject', '2026-03-06T10:00:00')
    receive(conn, szga(), 'online', '2026-03-10T09:00:00')
    const instant = serviceOf(conn, 'SZRS', 'instant')
    const quick = receive(conn, instant, 'counter', '2026-03-31T16:00:00')
    act(conn, quick, 'approve', '2026-03-31T16:20:00')
  })

  it('counts exactly what an independent count over the cases finds, for the city', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const ind = independentCount(conn, FROM, TO, null)
    expect(r.cases).toMatchObject(ind)
    expect(r.cases.total).toBe(7)
    expect(r.cases.onlineRate).toBeCloseTo(ind.online / ind.total, 4)
    expect(r.cases.onTimeRate).toBeCloseTo(ind.completedOnTime / ind.completed, 4)
  })

  it('counts the cases received on the first and the last day, and not the day before or after', () => {
    const firstDay = onlineRateReport(conn, { from: FROM, to: FROM })
    expect(firstDay.cases).toMatchObject({ total: 1, online: 1, counter: 0 })
    const lastDay = onlineRateReport(conn, { from: TO, to: TO })
    expect(lastDay.cases).toMatchObject({ total: 2, online: 0, counter: 2, completed: 1, completedOnTime: 1 })
    expect(onlineRateReport(conn, { from: '2026-02-28', to: '2026-02-28' }).cases.total).toBe(1)
    expect(onlineRateReport(conn, { from: '2026-04-01', to: '2026-04-01' }).cases.total).toBe(1)
  })

  it('tells a late completion from one on time', () => {
    const r = onlineRateReport(conn, { from: FROM, to: '2026-04-30' })
    const ind = independentCount(conn, FROM, '2026-04-30', null)
    expect(r.cases.completed).toBe(4)
    expect(r.cases.completedOnTime).toBe(3)
    expect(r.cases).toMatchObject(ind)
  })

  it('shows one department only with dept=, matching the count over its cases', () => {
    for (const dept of ['SZRS', 'SZGA']) {
      const r = onlineRateReport(conn, { from: FROM, to: '2026-04-30' }, dept)
      expect(r.department).toBe(dept)
      expect(r.byDepartment.map(d => d.code)).toEqual([dept])
      expect(r.cases).toMatchObject(independentCount(conn, FROM, '2026-04-30', dept))
      expect(r.byDepartment[0]!.cases).toEqual(r.cases)
      expect(r.services).toEqual(r.byDepartment[0]!.services)
    }
  })

  it('adds the departments up to the city total', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const sum = (f: (d: typeof r.byDepartment[number]) => number) => r.byDepartment.reduce((n, d) => n + f(d), 0)
    expect(sum(d => d.cases.total)).toBe(r.cases.total)
    expect(sum(d => d.cases.completed)).toBe(r.cases.completed)
    expect(sum(d => d.services.total)).toBe(r.services.total)
    expect(sum(d => d.services.availableOnline)).toBe(r.services.availableOnline)
  })

  it('lists the departments furthest from the targets first', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const shortfalls = r.byDepartment.map(d => d.shortfall)
    expect(shortfalls).toEqual([...shortfalls].sort((a, b) => b - a))
    expect(shortfalls[0]).toBeGreaterThan(0)
  })

  it('counts the catalogue like the guide does: suitable, available, fully online, at most one visit', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const rows = conn.sqlite.prepare(`SELECT suitable_online AS suitable, online_depth AS depth, form_version_id AS form, visits FROM services WHERE status = 'published'`)
      .all() as { suitable: number, depth: number, form: number | null, visits: number }[]
    const suitable = rows.filter(s => s.suitable)
    const available = suitable.filter(s => s.depth >= 3 && s.form !== null)
    expect(r.services).toMatchObject({
      total: rows.length, suitableOnline: suitable.length, availableOnline: available.length,
      fullyOnline: rows.filter(s => s.depth === 4).length, atMostOneVisit: rows.filter(s => s.visits <= 1).length,
    })
    expect(r.notYetOnline).toHaveLength(suitable.length - available.length)
    expect(r.targets).toEqual({ onlineAvailabilityRate: 1, onlineRate: 0.9 })
  })

  it('lists the least advanced items not yet online, at most 100, with their number, and follows catalogue changes', () => {
    const fresh = freshDatabase()
    const before = onlineRateReport(fresh, { from: FROM, to: TO })
    expect(before.notYetOnlineTotal).toBe(before.notYetOnline.length)
    // every suitable item falls back to depth II: more than the list shows
    fresh.sqlite.prepare(`UPDATE services SET online_depth = 2 WHERE suitable_online = 1`).run()
    const suitable = (fresh.sqlite.prepare(`SELECT count(*) AS n FROM services WHERE status = 'published' AND suitable_online = 1`).get() as { n: number }).n
    expect(suitable).toBeGreaterThan(NOT_YET_ONLINE_SHOWN)
    const after = onlineRateReport(fresh, { from: FROM, to: TO })
    expect(after.notYetOnlineTotal).toBe(suitable)
    expect(after.notYetOnline).toHaveLength(NOT_YET_ONLINE_SHOWN)
    expect(after.services.availableOnline).toBe(0)
    const first = after.notYetOnline[0]!
    const oneDept = onlineRateReport(fresh, { from: FROM, to: TO }, first.department)
    expect(oneDept.notYetOnline.every(i => i.department === first.department)).toBe(true)
    expect(oneDept.notYetOnlineTotal).toBe(after.byDepartment.find(d => d.code === first.department)!.services.suitableOnline)
  })

  it('says "unknown" (null), not 0 or NaN, for a period without cases', () => {
    const r = onlineRateReport(conn, { from: '2020-01-01', to: '2020-01-31' })
    expect(r.cases).toMatchObject({ total: 0, onlineRate: null, completed: 0, onTimeRate: null, averageHandlingDays: null })
    expect(r.satisfaction).toEqual({ count: 0, averageScore: null, goodRate: null })
    expect(r.services.onlineAvailabilityRate).not.toBeNull()
  })

  it('draws a monthly trend whose months add up to the period', () => {
    const r = onlineRateReport(conn, { from: '2026-02-01', to: '2026-04-30' })
    expect(r.trend.map(p => p.month)).toEqual(['2026-02', '2026-03', '2026-04'])
    expect(r.trend.reduce((n, p) => n + p.received, 0)).toBe(r.cases.total)
    expect(r.trend[1]!.received).toBe(7)
  })

  it('exports CSV with the same figures as the JSON, the total first', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const lines = reportCsv(r, '全市').trim().split('\r\n').map(l => l.split(','))
    expect(lines[0]).toEqual([...CSV_COLUMNS])
    expect(lines).toHaveLength(1 + 1 + r.byDepartment.length)
    const col = (name: string) => CSV_COLUMNS.indexOf(name as typeof CSV_COLUMNS[number])
    expect(lines[1]![col('level')]).toBe('total')
    expect(Number(lines[1]![col('cases.total')])).toBe(r.cases.total)
    expect(Number(lines[1]![col('cases.onlineRate')])).toBe(r.cases.onlineRate)
    const rs = lines.find(l => l[col('code')] === 'SZRS')!
    const d = r.byDepartment.find(x => x.code === 'SZRS')!
    expect(Number(rs[col('cases.counter')])).toBe(d.cases.counter)
    expect(Number(rs[col('services.onlineAvailabilityRate')])).toBe(d.services.onlineAvailabilityRate)
  })

  it('finds the daily counts consistent with the cases, and notices and repairs a tampered count', () => {
    expect(verifyDailyCounts(conn)).toEqual([])
    conn.sqlite.prepare(`UPDATE case_daily SET received_online = received_online + 1 WHERE day = '2026-03-01'`).run()
    expect(verifyDailyCounts(conn)).toEqual([{ day: '2026-03-01', departmentCode: 'SZRS', field: 'receivedOnline', expected: 1, actual: 2 }])
    rebuildDailyCounts(conn)
    expect(verifyDailyCounts(conn)).toEqual([])
    expect(onlineRateReport(conn, { from: FROM, to: FROM }).cases.online).toBe(1)
  })
})

describe('the default period', () => {
  it('covers the twelve months up to today, this month included', () => {
    expect(defaultPeriod(new Date('2026-11-28T03:00:00Z'))).toEqual({ from: '2025-12-01', to: '2026-11-28' })
    // 23:30 UTC on 31 Dec is already New Year's Day in Shanghai
    expect(defaultPeriod(new Date('2025-12-31T23:30:00Z'))).toEqual({ from: '2025-02-01', to: '2026-01-01' })
  })
})

function addDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}
