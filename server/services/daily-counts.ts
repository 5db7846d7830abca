/**
 * The daily counts (case_daily) against the cases themselves. The report trusts case_daily for
 * speed; verifyDailyCounts proves that trust by recounting every case independently, and
 * rebuildDailyCounts makes the counts true again after a restore or an import wrote cases
 * without going through case intake and the workflow.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { workingDaysBetween } from '../../shared/utils/working-days'
import { loadCalendar } from './calendar'

export interface DailyCount {
  day: string
  departmentCode: string
  received: number
  receivedOnline: number
  completed: number
  completedOnTime: number
  handlingDays: number
}

export type CountField = Exclude<keyof DailyCount, 'day' | 'departmentCode'>

export interface CountDifference { day: string, departmentCode: string, field: CountField, expected: number, actual: number }

const FIELDS: CountField[] = ['received', 'receivedOnline', 'completed', 'completedOnTime', 'handlingDays']

interface CompletedRow { day: string, dept: string, receivedDate: string, deadline: string }

/**
 * Working days from receipt to completion: the same rule the workflow (transitions.ts) applies
 * when it counts a completion, so a rebuild reproduces the live counts exactly.
 */
export function handlingDaysOf(conn: Connection, receivedDate: string, completedDate: string): number {
  return workingDaysBetween(receivedDate, completedDate, loadCalendar(conn))
}

/** What case_daily should hold, counted from the cases alone. */
export function countFromCases(conn: Connection): Map<string, DailyCount> {
  const out = new Map<string, DailyCount>()
  const at = (day: string, departmentCode: string) => {
    const key = `${day}|${departmentCode}`
    let row = out.get(key)
    if (!row) out.set(key, row = { day, departmentCode, received: 0, receivedOnline: 0, completed: 0, completedOnTime: 0, handlingDays: 0 })
    return row
  }
  const received = conn.sqlite.prepare(`SELECT received_date AS day, department_code AS dept, count(*) AS n, sum(channel = 'online') AS online
    FROM cases GROUP BY received_date, department_code`).all() as { day: string, dept: string, n: number, online: number }[]
  for (const r of received) Object.assign(at(r.day, r.dept), { received: r.n, receivedOnline: r.online })
  const completed = conn.sqlite.prepare(`SELECT completed_date AS day, department_code AS dept, received_date AS receivedDate, deadline
    FROM cases WHERE status IN ('approved', 'rejected') AND completed_date IS NOT NULL`).all() as CompletedRow[]
  for (const c of completed) {
    const row = at(c.day, c.dept)
    row.completed += 1
    if (c.day <= c.deadline) row.completedOnTime += 1
    row.handlingDays += handlingDaysOf(conn, c.receivedDate, c.day)
  }
  return out
}

function storedCounts(conn: Connection): Map<string, DailyCount> {
  const rows = conn.sqlite.prepare(`SELECT day, department_code AS departmentCode, received, received_online AS receivedOnline,
      completed, completed_on_time AS completedOnTime, handling_days AS handlingDays FROM case_daily`).all() as DailyCount[]
  return new Map(rows.map(r => [`${r.day}|${r.departmentCode}`, r]))
}

/**
 * Every (day, department, figure) where case_daily disagrees with a count over the cases; an
 * empty list means the report can be trusted. `fields` narrows the check (e.g. without handlingDays).
 */
export function verifyDailyCounts(conn: Connection, fields: readonly CountField[] = FIELDS): CountDifference[] {
  const expected = countFromCases(conn)
  const actual = storedCounts(conn)
  const keys = new Set([...expected.keys(), ...actual.keys()])
  const diffs: CountDifference[] = []
  for (const key of [...keys].sort()) {
    const e = expected.get(key)
    const a = actual.get(key)
    const [day, departmentCode] = key.split('|') as [string, string]
    for (const field of fields) {
      const ev = e?.[field] ?? 0
      const av = a?.[field] ?? 0
      if (ev !== av) diffs.push({ day, departmentCode, field, expected: ev, actual: av })
    }
  }
  return diffs
}

/** Replaces case_daily with a count over the cases, in one transaction; returns the rows written. */
export function rebuildDailyCounts(conn: Connection): number {
  return writeTransaction(conn, () => {
    const counts = countFromCases(conn)
    conn.sqlite.prepare('DELETE FROM case_daily').run()
    const insert = conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, received, received_online, completed, completed_on_time, handling_days)
      VALUES (@day, @departmentCode, @received, @receivedOnline, @completed, @completedOnTime, @handlingDays)`)
    for (const row of counts.values()) insert.run(row)
    return counts.size
  })
}
