/**
 * The daily counts (case_daily) against the cases themselves. The report trusts case_daily for
 * speed; verifyDailyCounts proves that trust by recounting every case independently, and
 * rebuildDailyCounts makes the counts true again after a restore or an import wrote cases
 * without going through case intake and the workflow (`npm run db:counts`, scripts/daily-counts.ts).
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { workingDaysBetween } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { loadCalendar } from './calendar'

export interface DailyCount {
  day: string
  departmentCode: string
  received: number
  receivedOnline: number
  completed: number
  completedOnTime: number
  handlingDays: number
  /** acceptance decisions (accept, refuse, an instant item approved straight away) made that day */
  acceptanceDecided: number
  /** of them, made after the acceptance deadline */
  acceptanceLate: number
  /** completions whose time limit had been extended */
  completedExtended: number
}

export type CountField = Exclude<keyof DailyCount, 'day' | 'departmentCode'>

export interface CountDifference { day: string, departmentCode: string, field: CountField, expected: number, actual: number }

const FIELDS: CountField[] = ['received', 'receivedOnline', 'completed', 'completedOnTime', 'handlingDays', 'acceptanceDecided', 'acceptanceLate', 'completedExtended']

interface CompletedRow { day: string, dept: string, receivedDate: string, deadline: string, handlingDays: number | null, extendedDays: number }

/**
 * Working days from receipt to completion: the same rule the workflow (transitions.ts) applies
 * when it counts a completion, so a rebuild reproduces the live counts exactly.
 */
export function handlingDaysOf(conn: Connection, receivedDate: string, completedDate: string): number {
  return workingDaysBetween(receivedDate, completedDate, loadCalendar(conn))
}

/** Adds an acceptance decision, in time or late, to the counts of the day it was made. */
export function countAcceptanceDecided(conn: Connection, day: string, departmentCode: string, late: boolean): void {
  conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, acceptance_decided, acceptance_late) VALUES (?, ?, 1, ?)
    ON CONFLICT(day, department_code) DO UPDATE SET acceptance_decided = acceptance_decided + 1,
      acceptance_late = acceptance_late + excluded.acceptance_late`)
    .run(day, departmentCode, late ? 1 : 0)
}

/** What case_daily should hold, counted from the cases alone. */
export function countFromCases(conn: Connection): Map<string, DailyCount> {
  const out = new Map<string, DailyCount>()
  const at = (day: string, departmentCode: string) => {
    const key = `${day}|${departmentCode}`
    let row = out.get(key)
    if (!row) out.set(key, row = { day, departmentCode, received: 0, receivedOnline: 0, completed: 0, completedOnTime: 0, handlingDays: 0, acceptanceDecided: 0, acceptanceLate: 0, completedExtended: 0 })
    return row
  }
  const received = conn.sqlite.prepare(`SELECT received_date AS day, department_code AS dept, count(*) AS n, sum(channel = 'online') AS online
    FROM cases GROUP BY received_date, department_code`).all() as { day: string, dept: string, n: number, online: number }[]
  for (const r of received) Object.assign(at(r.day, r.dept), { received: r.n, receivedOnline: r.online })
  const completed = conn.sqlite.prepare(`SELECT completed_date AS day, department_code AS dept, received_date AS receivedDate, deadline,
      handling_days AS handlingDays, extended_days AS extendedDays FROM cases WHERE status IN ('approved', 'rejected') AND completed_date IS NOT NULL`).all() as CompletedRow[]
  for (const c of completed) {
    const row = at(c.day, c.dept)
    row.completed += 1
    if (c.day <= c.deadline) row.completedOnTime += 1
    if (c.extendedDays > 0) row.completedExtended += 1
    // as fixed at completion: a holiday entered later must not make the recount disagree. Rows
    // written without the workflow (the benchmark's) have none and are counted as the workflow would now
    row.handlingDays += c.handlingDays ?? handlingDaysOf(conn, c.receivedDate, c.day)
  }
  const decided = conn.sqlite.prepare(`SELECT acceptance_date AS day, department_code AS dept, count(*) AS n, coalesce(sum(accepted_late), 0) AS late
    FROM cases WHERE acceptance_date IS NOT NULL GROUP BY acceptance_date, department_code`).all() as { day: string, dept: string, n: number, late: number }[]
  for (const d of decided) Object.assign(at(d.day, d.dept), { acceptanceDecided: d.n, acceptanceLate: d.late })
  return out
}

function storedCounts(conn: Connection): Map<string, DailyCount> {
  const rows = conn.sqlite.prepare(`SELECT day, department_code AS departmentCode, received, received_online AS receivedOnline,
      completed, completed_on_time AS completedOnTime, handling_days AS handlingDays,
      acceptance_decided AS acceptanceDecided, acceptance_late AS acceptanceLate, completed_extended AS completedExtended FROM case_daily`).all() as DailyCount[]
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

/** Who rebuilt the counts, for the audit row: the console (npm run db:counts) or a signed-in user. */
export interface RebuildActor { actorId?: number | null, actorRole: string, ip?: string | null }

/**
 * Replaces case_daily with a count over the cases, in one transaction; returns the rows written.
 * With `by`, the audit row `dailyCounts.rebuild` is written in
 * the same transaction: the report's history changed, and an auditor must be able to see when.
 */
export function rebuildDailyCounts(conn: Connection, by?: RebuildActor): number {
  return writeTransaction(conn, () => {
    // counted under the write lock, so the audit row names exactly what this rebuild changed
    const corrected = by ? verifyDailyCounts(conn).length : 0
    const counts = countFromCases(conn)
    conn.sqlite.prepare('DELETE FROM case_daily').run()
    const insert = conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, received, received_online, completed, completed_on_time, handling_days,
        acceptance_decided, acceptance_late, completed_extended)
      VALUES (@day, @departmentCode, @received, @receivedOnline, @completed, @completedOnTime, @handlingDays, @acceptanceDecided, @acceptanceLate, @completedExtended)`)
    for (const row of counts.values()) insert.run(row)
    if (by) writeAudit(conn, { actorId: by.actorId ?? null, actorRole: by.actorRole, action: 'dailyCounts.rebuild', subject: 'case_daily', detail: { rows: counts.size, corrected }, ip: by.ip ?? null })
    return counts.size
  })
}
