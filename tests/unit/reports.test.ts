/**
 * The online-rate report against an independent count over the cases themselves: a manager must
 * be able to trust that the dashboard says what happened, to the day and to the department.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { rebuildDailyCounts, verifyDailyCounts } from '../../server/services/daily-counts'
import { byShortfall, NOT_YET_ONLINE_SHOWN, onlineRateReport, reportCsv, shortfallAtLeastOf, shortfallOf, CSV_COLUMNS } from '../../server/services/reports'
import type { CaseFigures, ServiceFigures } from '../../server/services/reports'
import { applyTransition } from '../../server/services/transitions'
import { departmentChartLabel } from '../../composables/useReport'
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

  it('lists the departments furthest from the targets first, those with nothing known last', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const shortfalls = r.byDepartment.map(d => d.shortfall)
    const known = shortfalls.filter(x => x !== null)
    expect(known.length).toBeGreaterThan(0)
    expect(shortfalls.slice(0, known.length)).toEqual([...known].sort((a, b) => b - a))
    expect(shortfalls.slice(known.length).every(x => x === null)).toBe(true)
    expect(shortfalls[0]).toBeGreaterThan(0)
    // the ones without data keep a stable order: by code
    const unknown = r.byDepartment.filter(d => d.shortfall === null).map(d => d.code)
    expect(unknown).toEqual([...unknown].sort())
  })

  it('ranks a department with items but no cases by its availability gap alone, "at least", never "both met"', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const idle = r.byDepartment.filter(d => d.cases.total === 0 && d.services.onlineAvailabilityRate !== null)
    expect(idle.length).toBeGreaterThan(0)
    for (const d of idle) {
      expect(d.cases.onlineRate).toBeNull()
      expect(d.shortfall).toBe(Math.max(0, 1 - d.services.onlineAvailabilityRate!))
      expect(d.shortfallAtLeast).toBe(true)
    }
    for (const d of r.byDepartment.filter(x => x.cases.total > 0 && x.services.onlineAvailabilityRate !== null)) {
      expect(d.shortfall).not.toBeNull()
      expect(d.shortfallAtLeast).toBe(false)
    }
    // a period without any case: every department is known by its items alone, or not at all
    const empty = onlineRateReport(conn, { from: '2020-01-01', to: '2020-01-31' }).byDepartment
    for (const d of empty) expect(d.shortfall === null).toBe(d.services.onlineAvailabilityRate === null)
    expect(empty.filter(d => d.shortfall !== null).every(d => d.shortfallAtLeast)).toBe(true)
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
      // the seed's three items of depth Ⅳ with no form: counted by the contract's formula, and named as such
      fullyOnlineWithoutForm: rows.filter(s => s.depth === 4 && s.form === null).length,
    })
    expect(r.services.fullyOnlineWithoutForm).toBe(3)
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

  it('lists a merged department whose only figure in the period is a rating, so the rows add up to the city', () => {
    const fresh = freshDatabase()
    // a department with no item and no case received or completed in 2026-05, whose case (completed
    // before the merger) is rated in May: the rating counts in the city's total and in its row
    fresh.sqlite.prepare(`INSERT INTO departments (code, name, name_en) VALUES ('SZOLD', '已合并的部门', 'A merged department')`).run()
    const caseNo = receive(fresh, serviceOf(fresh, 'SZRS', 'instant'), 'online', '2026-01-05T10:00:00')
    fresh.sqlite.prepare(`INSERT INTO ratings (case_no, user_id, service_code, department_code, score, indicators, created_at)
      VALUES (?, ?, 'SZRS-0001', 'SZOLD', 2, '{}', '2026-05-06T02:00:00.000Z')`).run(caseNo, userIdOf(fresh, 'citizen'))
    const r = onlineRateReport(fresh, { from: '2026-05-01', to: '2026-05-31' })
    expect(r.satisfaction.count).toBe(1)
    expect(r.byDepartment.find(d => d.code === 'SZOLD')?.satisfaction).toMatchObject({ count: 1 })
    expect(r.byDepartment.reduce((n, d) => n + d.satisfaction.count, 0)).toBe(r.satisfaction.count)
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

  it('keeps the old CSV columns where they were and adds the later ones at the end', () => {
    const before = ['level', 'code', 'name', 'from', 'to',
      'services.total', 'services.suitableOnline', 'services.availableOnline', 'services.fullyOnline',
      'services.onlineAvailabilityRate', 'services.fullyOnlineRate', 'services.atMostOneVisit', 'services.atMostOneVisitRate',
      'cases.total', 'cases.online', 'cases.counter', 'cases.onlineRate', 'cases.completed', 'cases.completedOnTime', 'cases.onTimeRate',
      'cases.averageHandlingDays', 'satisfaction.count', 'satisfaction.averageScore', 'satisfaction.goodRate']
    expect(CSV_COLUMNS.slice(0, before.length)).toEqual(before)
    expect(CSV_COLUMNS.slice(before.length)).toEqual(['cases.openOverdue', 'asOf',
      'cases.acceptanceDecided', 'cases.acceptedLate', 'cases.acceptanceOnTimeRate', 'nameEn'])
    const r = onlineRateReport(conn, { from: FROM, to: TO }, null, new Date('2026-03-20T04:00:00Z'))
    const lines = reportCsv(r, '全市').trim().split('\r\n').map(l => l.split(','))
    const col = (name: string) => CSV_COLUMNS.indexOf(name as typeof CSV_COLUMNS[number])
    expect(lines[1]![col('cases.openOverdue')]).toBe(String(r.cases.openOverdue))
    expect(lines.slice(1).every(l => l[col('asOf')] === '2026-03-20')).toBe(true)
    const ga = lines.find(l => l[1] === 'SZGA')!
    expect(Number(ga[col('cases.openOverdue')])).toBe(r.byDepartment.find(d => d.code === 'SZGA')!.cases.openOverdue)
  })

  it('names the city and each department in English too, for a download from the English page', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    const lines = reportCsv(r, '全市').trim().split('\r\n').map(csvCells)
    const col = (name: string) => CSV_COLUMNS.indexOf(name as typeof CSV_COLUMNS[number])
    expect([lines[1]![col('name')], lines[1]![col('nameEn')]]).toEqual(['全市', 'City'])
    for (const d of r.byDepartment) {
      const line = lines.find(l => l[col('code')] === d.code)!
      expect(line[col('nameEn')]).toBe(d.nameEn)
      expect(line[col('nameEn')]).not.toMatch(/\p{Script=Han}/u)
    }
    const one = onlineRateReport(conn, { from: FROM, to: TO }, 'SZGA')
    const total = csvCells(reportCsv(one, one.byDepartment[0]!.name).trim().split('\r\n')[1]!)
    expect(total[col('nameEn')]).toBe(one.byDepartment[0]!.nameEn)
  })

  it('exports the acceptance figures in the CSV as the JSON has them', () => {
    const r = onlineRateReport(conn, { from: FROM, to: TO })
    expect(r.cases.acceptanceDecided).toBeGreaterThan(0)
    const lines = reportCsv(r, '全市').trim().split('\r\n').map(l => l.split(','))
    const col = (name: string) => CSV_COLUMNS.indexOf(name as typeof CSV_COLUMNS[number])
    expect(Number(lines[1]![col('cases.acceptanceDecided')])).toBe(r.cases.acceptanceDecided)
    expect(Number(lines[1]![col('cases.acceptedLate')])).toBe(r.cases.acceptedLate)
    expect(Number(lines[1]![col('cases.acceptanceOnTimeRate')])).toBe(r.cases.acceptanceOnTimeRate)
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

describe('open cases already overdue (cases.openOverdue), counted now', () => {
  let conn: Connection
  const PAST = '2026-03-09'
  const svc = (dept: string) => serviceOf(conn, dept, 'promised')
  const clerkOf = (dept: string) => ({ id: userIdOf(conn, dept === 'SZRS' ? 'clerk' : 'clerk2'), role: 'clerk', departmentCode: dept })
  const move = (caseNo: string, action: 'accept' | 'return' | 'refuse' | 'suspend' | 'withdraw' | 'approve' | 'reject', localTime: string) => {
    const row = conn.sqlite.prepare('SELECT version, department_code AS dept FROM cases WHERE case_no = ?').get(caseNo) as { version: number, dept: string }
    const user = action === 'withdraw' ? { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null } : clerkOf(row.dept)
    applyTransition(conn, { caseNo, action, version: row.version, user, comment: ['return', 'refuse', 'reject'].includes(action) ? '材料不全' : null, now: new Date(`${localTime}+08:00`) })
  }
  // one case in each status, all received on 2 March
  const byStatus: Record<string, string> = {}

  beforeAll(() => {
    conn = freshDatabase()
    const at = '2026-03-02T10:00:00'
    const next = '2026-03-03T10:00:00'
    const one = (dept = 'SZRS') => receive(conn, svc(dept), 'online', at)
    byStatus.submitted = one()
    byStatus.accepted = one()
    move(byStatus.accepted, 'accept', next)
    byStatus.supplement = one()
    move(byStatus.supplement, 'return', next)
    byStatus.suspended = one()
    move(byStatus.suspended, 'accept', next)
    move(byStatus.suspended, 'suspend', next)
    byStatus.not_accepted = one()
    move(byStatus.not_accepted, 'refuse', next)
    byStatus.withdrawn = one()
    move(byStatus.withdrawn, 'withdraw', next)
    byStatus.approved = one()
    move(byStatus.approved, 'accept', next)
    move(byStatus.approved, 'approve', '2026-03-20T10:00:00')
    byStatus.rejected = one()
    move(byStatus.rejected, 'accept', next)
    move(byStatus.rejected, 'reject', '2026-03-20T10:00:00')
    byStatus.otherDept = one('SZGA')
    byStatus.dueToday = one()
    byStatus.dueLater = one()
    // the same past deadline for every case, so only the status decides
    conn.sqlite.prepare('UPDATE cases SET deadline = ?').run(PAST)
    conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?').run('2026-03-20', byStatus.dueToday)
    conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?').run('2026-03-23', byStatus.dueLater)
  })

  // 20 March, noon in Shanghai
  const NOW = new Date('2026-03-20T04:00:00Z')

  it('counts only cases submitted or accepted whose deadline is before today', () => {
    const statuses = conn.sqlite.prepare('SELECT case_no AS caseNo, status FROM cases').all() as { caseNo: string, status: string }[]
    expect(new Set(statuses.map(x => x.status))).toEqual(new Set(['submitted', 'accepted', 'supplement', 'suspended', 'not_accepted', 'withdrawn', 'approved', 'rejected']))
    const r = onlineRateReport(conn, { from: FROM, to: TO }, 'SZRS', NOW)
    // submitted and accepted past the deadline; not the one due today, nor later, nor any other status
    expect(r.cases.openOverdue).toBe(2)
    expect(r.asOf).toBe('2026-03-20')
    // the approval and the rejection are completions: the on-time rate's, not this figure's
    expect(r.cases.completed).toBe(2)
  })

  it('respects the department filter, and the departments add up to the city', () => {
    expect(onlineRateReport(conn, { from: FROM, to: TO }, 'SZGA', NOW).cases.openOverdue).toBe(1)
    const city = onlineRateReport(conn, { from: FROM, to: TO }, null, NOW)
    expect(city.cases.openOverdue).toBe(3)
    expect(city.byDepartment.find(d => d.code === 'SZRS')!.cases.openOverdue).toBe(2)
    expect(city.byDepartment.find(d => d.code === 'SZGA')!.cases.openOverdue).toBe(1)
    expect(city.byDepartment.reduce((n, d) => n + d.cases.openOverdue, 0)).toBe(3)
  })

  it('is counted today, whatever the period', () => {
    expect(onlineRateReport(conn, { from: '2020-01-01', to: '2020-01-31' }, null, NOW).cases).toMatchObject({ total: 0, openOverdue: 3 })
    // a department with an overdue case but no item and no case in the period is still listed
    conn.sqlite.prepare(`INSERT INTO departments (code, name, name_en) VALUES ('ZZTEST', '测试局', 'Test bureau')`).run()
    conn.sqlite.prepare('UPDATE cases SET department_code = ? WHERE case_no = ?').run('ZZTEST', byStatus.otherDept)
    const r = onlineRateReport(conn, { from: '2020-01-01', to: '2020-01-31' }, null, NOW)
    expect(r.byDepartment.find(d => d.code === 'ZZTEST')!.cases.openOverdue).toBe(1)
    expect(r.byDepartment.reduce((n, d) => n + d.cases.openOverdue, 0)).toBe(r.cases.openOverdue)
    conn.sqlite.prepare('UPDATE cases SET department_code = ? WHERE case_no = ?').run('SZGA', byStatus.otherDept)
    conn.sqlite.prepare(`DELETE FROM departments WHERE code = 'ZZTEST'`).run()
  })

  it('has a trend for a period with completions but no new cases (the page shows it)', () => {
    const r = onlineRateReport(conn, { from: '2026-03-20', to: '2026-03-20' }, null, NOW)
    expect(r.cases).toMatchObject({ total: 0, completed: 2 })
    expect(r.trend).toEqual([expect.objectContaining({ month: '2026-03', received: 0, completed: 2 })])
  })

  it('turns at midnight in Shanghai: a deadline is overdue from the next day', () => {
    const count = (iso: string) => onlineRateReport(conn, { from: FROM, to: TO }, 'SZRS', new Date(iso)).cases.openOverdue
    // 23:59 on the deadline day (15:59 UTC): not yet; 00:00 the next day (16:00 UTC): overdue
    expect(count('2026-03-09T15:59:59Z')).toBe(0)
    expect(count('2026-03-09T16:00:00Z')).toBe(2)
    expect(count('2026-03-20T15:59:59Z')).toBe(2)
    expect(count('2026-03-20T16:00:00Z')).toBe(3)
  })
})

describe('the shortfall from the targets', () => {
  const services = (suitableOnline: number, availableOnline: number): ServiceFigures =>
    ({ total: suitableOnline, suitableOnline, availableOnline, fullyOnline: 0, fullyOnlineWithoutForm: 0, onlineAvailabilityRate: suitableOnline ? availableOnline / suitableOnline : null, fullyOnlineRate: null, atMostOneVisit: 0, atMostOneVisitRate: null })
  const cases = (total: number, online: number): CaseFigures =>
    ({ total, online, counter: total - online, onlineRate: total ? online / total : null, completed: 0, completedOnTime: 0, onTimeRate: null,
      acceptanceDecided: 0, acceptedLate: 0, acceptanceOnTimeRate: null, averageHandlingDays: null, openOverdue: 0 })

  it('counts what is known when one rate is unknown, as a lower bound; null only when nothing is known', () => {
    // 10 items suitable online, none online, no case in the period: at least 100% short
    expect(shortfallOf(services(10, 0), cases(0, 0))).toBe(1)
    expect(shortfallAtLeastOf(services(10, 0), cases(0, 0))).toBe(true)
    expect(shortfallOf(services(10, 10), cases(0, 0))).toBe(0)
    expect(shortfallAtLeastOf(services(10, 10), cases(0, 0))).toBe(true)
    expect(shortfallOf(services(0, 0), cases(10, 5))).toBeCloseTo(0.4, 10)
    expect(shortfallAtLeastOf(services(0, 0), cases(10, 5))).toBe(true)
    expect(shortfallOf(services(0, 0), cases(0, 0))).toBeNull()
    expect(shortfallAtLeastOf(services(0, 0), cases(0, 0))).toBe(false)
    expect(shortfallOf(services(10, 10), cases(10, 9))).toBe(0)
    expect(shortfallAtLeastOf(services(10, 10), cases(10, 9))).toBe(false)
    expect(shortfallOf(services(10, 5), cases(10, 8))).toBeCloseTo(0.5 + 0.1, 10)
  })

  it('ranks a department with nothing online and no cases before one at 99%, not last as "no data"', () => {
    const idle = { code: 'A', shortfall: shortfallOf(services(10, 0), cases(0, 0)), shortfallAtLeast: shortfallAtLeastOf(services(10, 0), cases(0, 0)) }
    const nearly = { code: 'B', shortfall: shortfallOf(services(100, 99), cases(100, 90)), shortfallAtLeast: false }
    expect([nearly, idle].sort(byShortfall).map(r => r.code)).toEqual(['A', 'B'])
    // at the same known gap, the one that may be worse comes first
    const met = { code: 'C', shortfall: 0, shortfallAtLeast: false }
    const metSoFar = { code: 'D', shortfall: 0, shortfallAtLeast: true }
    expect([met, metSoFar].sort(byShortfall).map(r => r.code)).toEqual(['D', 'C'])
  })

  it('sorts the largest first and the unknown ones last, whichever order they come in', () => {
    const rows = [
      { code: 'A', shortfall: null }, { code: 'B', shortfall: 0 }, { code: 'C', shortfall: 0.3 },
      { code: 'D', shortfall: null }, { code: 'E', shortfall: 0.3 }, { code: 'F', shortfall: 0.05 },
    ]
    const expected = ['C', 'E', 'F', 'B', 'A', 'D']
    expect([...rows].sort(byShortfall).map(r => r.code)).toEqual(expected)
    expect([...rows].reverse().sort(byShortfall).map(r => r.code)).toEqual(expected)
  })
})

describe('the departments chart\'s labels', () => {
  it('say "partly no data" beside a department with a rate nothing stands behind, which draws no bar and would read as 0%', () => {
    const conn = freshDatabase()
    const svc = serviceOf(conn, 'SZRS', 'promised')
    receive(conn, svc, 'online', '2026-03-10T10:00:00')
    const departments = onlineRateReport(conn, { from: FROM, to: TO }).byDepartment
    const szrs = departments.find(d => d.code === 'SZRS')!
    const quiet = departments.find(d => d.cases.onlineRate === null)!
    expect(szrs.cases.onlineRate).toBe(1)
    expect(departmentChartLabel(szrs, 'zh', '（部分无数据）')).toBe(szrs.name)
    expect(departmentChartLabel(quiet, 'zh', '（部分无数据）')).toBe(`${quiet.name} （部分无数据）`)
    expect(departmentChartLabel(quiet, 'en', '(partly no data)')).toBe(`${quiet.nameEn} (partly no data)`)
  })
})

/** The cells of one CSV line, quoted ones ("Shenzhen Municipal Tax Service, State Taxation Administration") whole. */
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

function addDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}
