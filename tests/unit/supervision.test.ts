/**
 * Electronic supervision as a manager reads it: the cases still fixable (due within two working
 * days) are listed however many old overdue cases pile up, and every list says how many it holds.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { reportPeriod } from '../../server/services/report-period'
import { SUPERVISION_LIMIT, supervision } from '../../server/services/supervision'
import { addDays } from '../../shared/utils/working-days'
import { freshDatabase } from '../support/db'

// Wednesday 11 March 2026, 10:00 in Shanghai: due soon means due by Friday 13 March
const NOW = new Date('2026-03-11T10:00:00+08:00')
const OVERDUE = SUPERVISION_LIMIT + 1

function addCase(conn: Connection, caseNo: string, deadline: string, status = 'accepted') {
  const svc = conn.sqlite.prepare(`SELECT code, department_code AS dept, process_type AS type FROM services WHERE department_code = 'SZRS' ORDER BY code LIMIT 1`).get() as { code: string, dept: string, type: string }
  conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_name, applicant_id_number, channel, status, process_type, answers, received_date, submitted_at, deadline)
    VALUES (?, ?, ?, '张晓明', '440305199003072319', 'online', ?, ?, '{}', '2026-01-05', '2026-01-05T09:00:00+08:00', ?)`)
    .run(caseNo, svc.code, svc.dept, status, svc.type, deadline)
}

describe('a manager supervising time limits with more overdue cases than one list holds', () => {
  let conn: Connection

  beforeAll(() => {
    conn = freshDatabase()
    // 501 cases long overdue, oldest deadline first in case number order
    for (let i = 0; i < OVERDUE; i++) addCase(conn, `SZ20260105${String(i).padStart(6, '0')}`, addDays('2026-01-20', Math.floor(i / 20)))
    addCase(conn, 'SZ20260301000001', '2026-03-11') // due today
    addCase(conn, 'SZ20260301000002', '2026-03-13', 'submitted') // due in two working days
    addCase(conn, 'SZ20260301000003', '2026-03-16') // three working days: not flagged
    addCase(conn, 'SZ20260301000004', '2026-02-02', 'approved') // completed: not flagged
  })

  it('still sees the cases due soon, in their own list with their total', () => {
    const s = supervision(conn, {}, NOW)
    expect(s.near).toMatchObject({ total: 2, page: 1, pageSize: 20 })
    expect(s.near.items.map(c => [c.caseNo, c.deadlineStatus])).toEqual([['SZ20260301000001', 'near'], ['SZ20260301000002', 'near']])
  })

  it('pages through the overdue cases, oldest deadline first, and is told how many there are', () => {
    const first = supervision(conn, { pageSize: 100 }, NOW).overdue
    expect(first.total).toBe(OVERDUE)
    expect(first.items).toHaveLength(100)
    expect(first.items[0]).toMatchObject({ caseNo: 'SZ20260105000000', deadlineStatus: 'overdue' })
    const last = supervision(conn, { pageSize: 100, overduePage: 6 }, NOW).overdue
    expect(last.items.map(c => c.caseNo)).toEqual([`SZ20260105${String(OVERDUE - 1).padStart(6, '0')}`])
    // paging one list leaves the other on its first page
    expect(supervision(conn, { overduePage: 3 }, NOW).near.items).toHaveLength(2)
  })

  it('agrees with the departments\' counts of open overdue and near cases', () => {
    const s = supervision(conn, {}, NOW)
    const szrs = s.departments.find(d => d.code === 'SZRS')!
    expect([szrs.openOverdue, szrs.openNear]).toEqual([s.overdue.total, s.near.total])
  })

  it('keeps the old single list for existing clients, and says it was cut', () => {
    const s = supervision(conn, {}, NOW)
    expect(s.cases).toHaveLength(SUPERVISION_LIMIT)
    expect(s.cases.every(c => c.deadlineStatus === 'overdue')).toBe(true)
    expect(s.casesTotal).toBe(OVERDUE + 2)
  })
})

describe('the supervision period', () => {
  it('defaults to the twelve months up to today in Shanghai, as the dashboard and the satisfaction page', () => {
    const conn = freshDatabase()
    // 16:30 UTC on 31 December is already New Year's Day in Shanghai
    expect(supervision(conn, {}, new Date('2026-12-31T16:30:00Z'))).toMatchObject({ from: '2026-02-01', to: '2027-01-01' })
    expect(supervision(conn, {}, NOW)).toMatchObject(reportPeriod({}, NOW))
    expect(supervision(conn, { from: '2026-03-01' }, NOW)).toMatchObject({ from: '2026-03-01', to: '2026-03-11' })
    // a lone end: the twelve months up to it, not from a 1 January after it
    expect(supervision(conn, { to: '2025-12-31' }, NOW)).toMatchObject({ from: '2025-01-01', to: '2025-12-31' })
  })
})
