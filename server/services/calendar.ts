/**
 * The working-day calendar in force: the built-in State Council calendar (shared/utils/working-days)
 * plus the days administrators have added for later years (calendar_days). Cached until changed.
 */
import type { Connection } from '../../db/client'
import { addDays, addWorkingDays, makeCalendar } from '../../shared/utils/working-days'

type Calendar = ReturnType<typeof makeCalendar>
let cached: Calendar | undefined
// (from, days) → deadline on the calendar in force
const deadlines = new Map<string, string>()
/** A day's cases share a few (from, days) pairs; past this many, start over (only recomputation is lost). */
const DEADLINES_KEPT = 1000

export function loadCalendar(conn: Connection): Calendar {
  if (!cached) {
    const rows = conn.sqlite.prepare('SELECT date, kind FROM calendar_days').all() as { date: string, kind: 'holiday' | 'workday' }[]
    cached = makeCalendar(rows)
  }
  return cached
}

/**
 * `days` working days after `from` on the calendar in force (addWorkingDays), remembered until the
 * calendar changes: the server's one way to count a deadline. Every case received on a day gets
 * the same acceptance deadline, and walking the calendar for it (13 µs, longer before a long
 * holiday) was 2% of a submission's server CPU.
 */
export function workingDaysAfter(conn: Connection, from: string, days: number): string {
  const key = `${from}+${days}`
  let deadline = deadlines.get(key)
  if (deadline === undefined) {
    deadline = addWorkingDays(from, days, loadCalendar(conn))
    if (deadlines.size >= DEADLINES_KEPT) deadlines.clear()
    deadlines.set(key, deadline)
  }
  return deadline
}

/**
 * The day an instant item (即办件) is due: the day it is received when that is a working day, else
 * the next working day. An application sent online on a Saturday or during the National Day week
 * is decided when the office opens, not late on the day it arrived.
 */
export function sameOrNextWorkingDay(conn: Connection, day: string): string {
  return workingDaysAfter(conn, addDays(day, -1), 1)
}

/** Call after calendar_days changed. */
export function invalidateCalendar(): void {
  cached = undefined
  deadlines.clear()
}
