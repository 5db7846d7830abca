/**
 * The working-day calendar as administrators maintain it: the built-in State Council days of a
 * year plus their own rows (holidays and adjusted working days for later years, or corrections).
 */
import type { Connection } from '../../db/client'
import { addDays, addWorkingDays, shanghaiDateOf, STATE_COUNCIL_ROWS, workingDaysBetween } from '../../shared/utils/working-days'
import type { CalendarOverrides } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { invalidateCalendar, loadCalendar } from './calendar'

export interface CalendarDay { date: string, kind: 'holiday' | 'workday', note: string | null, source: 'builtin' | 'admin' }

export interface CalendarChange {
  add: { date: string, kind: 'holiday' | 'workday', note?: string | null }[]
  remove: string[]
}

/** Every special day of a year; an administrator's row wins over the built-in one of the same date. */
export function calendarDays(conn: Connection, year: number): CalendarDay[] {
  const prefix = `${year}-`
  const byDate = new Map<string, CalendarDay>()
  for (const r of STATE_COUNCIL_ROWS) if (r.date.startsWith(prefix)) byDate.set(r.date, { date: r.date, kind: r.kind, note: null, source: 'builtin' })
  const rows = conn.sqlite.prepare('SELECT date, kind, note FROM calendar_days WHERE date LIKE ? ORDER BY date').all(`${prefix}%`) as Omit<CalendarDay, 'source'>[]
  for (const r of rows) byDate.set(r.date, { ...r, source: 'admin' })
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date))
}

/**
 * Whether the State Council's notice for `year` is in: its New Year's Day, Labour Day and National
 * Day are holidays, and so is a day of the Spring Festival (late January to February), the four
 * holidays every year's notice has. The first three are fixed by law and built in for every year
 * (working-days.ts), so in practice the Spring Festival tells, by its four days off by law. A year without the notice is counted
 * as Monday to Friday but for those, which the notice will contradict (its lunar holidays and
 * adjusted working days); one day entered by hand is not the notice. The administrators' page and
 * /api/health say so; entering the notice then moves the open cases' deadlines (changeCalendar).
 */
export function calendarEntered(conn: Connection, year: number): boolean {
  const holidays = new Set(calendarDays(conn, year).filter(d => d.kind === 'holiday').map(d => d.date))
  const fixed = ['01-01', '05-01', '10-01'].every(md => holidays.has(`${year}-${md}`))
  const springFestival = [...holidays].filter(d => d >= `${year}-01-15` && d <= `${year}-02-28`).length >= SPRING_FESTIVAL_DAYS
  return fixed && springFestival
}

/** The Spring Festival's days off by law (New Year's Eve and the first three days): a notice has at least these. */
const SPRING_FESTIVAL_DAYS = 4

/** The statuses in which a case still runs against a deadline. */
export const OPEN = `('submitted', 'accepted', 'suspended', 'supplement')`
/** How many moved case numbers (and rectification ids) the audit row names (the counts are always whole). */
export const AUDITED_CASES = 1000

export interface Moved { from: string, to: string }

/**
 * Where recounting starts after the days `changed` changed: the day before the first of them, or
 * today when that is later (only days after today are recounted).
 */
export function recountAnchor(changed: readonly string[], today: string): string {
  const first = changed.reduce((a, b) => (b < a ? b : a), '9999-12-31')
  return addDays(first, -1) > today ? addDays(first, -1) : today
}

/** A deadline counted on `before`, counted again on `after`: as many working days after `anchor`. */
export function recountDeadline(anchor: string, deadline: string, before: CalendarOverrides, after: CalendarOverrides): string {
  return addWorkingDays(anchor, workingDaysBetween(anchor, deadline, before), after)
}

/**
 * Recounts the deadlines of open cases and of unanswered rectifications (15 working days from a bad
 * rating, ratings.ts) after the calendar changed: a deadline is a number of working days after its
 * start, and keeps that number on the new calendar. Counting from the day before the first changed
 * day gives the same result as counting from the start, since both calendars agree up to it; only
 * days after today are recounted (a period started by today, so a correction of a past day leaves
 * its deadline as it was set). An answered rectification is judged by the deadline it had.
 */
function moveOpenDeadlines(conn: Connection, changed: string[], before: ReturnType<typeof loadCalendar>, now: Date): { cases: ({ caseNo: string } & Moved)[], rectifications: ({ id: number } & Moved)[] } {
  const anchor = recountAnchor(changed, shanghaiDateOf(now))
  const after = loadCalendar(conn)
  const recount = (deadline: string) => recountDeadline(anchor, deadline, before, after)
  const open = conn.sqlite.prepare(`SELECT case_no AS caseNo, deadline FROM cases WHERE status IN ${OPEN} AND deadline > ?`).all(anchor) as { caseNo: string, deadline: string }[]
  const update = conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?')
  const cases: ({ caseNo: string } & Moved)[] = []
  for (const c of open) {
    const to = recount(c.deadline)
    if (to === c.deadline) continue
    update.run(to, c.caseNo)
    cases.push({ caseNo: c.caseNo, from: c.deadline, to })
  }
  const unanswered = conn.sqlite.prepare('SELECT id, deadline FROM rectifications WHERE answer IS NULL AND deadline > ?').all(anchor) as { id: number, deadline: string }[]
  const updateRectification = conn.sqlite.prepare('UPDATE rectifications SET deadline = ? WHERE id = ? AND answer IS NULL')
  const rectifications: ({ id: number } & Moved)[] = []
  for (const r of unanswered) {
    const to = recount(r.deadline)
    if (to === r.deadline) continue
    updateRectification.run(to, r.id)
    rectifications.push({ id: r.id, from: r.deadline, to })
  }
  return { cases, rectifications }
}

/**
 * Adds (or replaces) and removes administrators' rows, and moves the deadlines of open cases and
 * unanswered rectifications the change touches; call inside a write transaction.
 */
export function changeCalendar(conn: Connection, change: CalendarChange, actor: { id: number, role: string }, ip?: string | null, now = new Date()): { added: number, removed: number, deadlinesMoved: number, rectificationsMoved: number } {
  const before = loadCalendar(conn)
  const upsert = conn.sqlite.prepare(`INSERT INTO calendar_days (date, kind, note) VALUES (?, ?, ?)
    ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, note = excluded.note`)
  for (const d of change.add) upsert.run(d.date, d.kind, d.note ?? null)
  const del = conn.sqlite.prepare('DELETE FROM calendar_days WHERE date = ?')
  let removed = 0
  for (const date of change.remove) removed += del.run(date).changes
  invalidateCalendar()
  const changed = [...change.add.map(d => d.date), ...change.remove]
  const moved = changed.length ? moveOpenDeadlines(conn, changed, before, now) : { cases: [], rectifications: [] }
  writeAudit(conn, {
    actorId: actor.id, actorRole: actor.role, action: 'calendar.update', ip,
    detail: {
      add: change.add, remove: change.remove, deadlinesMoved: moved.cases.length, cases: moved.cases.slice(0, AUDITED_CASES),
      rectificationsMoved: moved.rectifications.length, rectifications: moved.rectifications.slice(0, AUDITED_CASES),
    },
  })
  return { added: change.add.length, removed, deadlinesMoved: moved.cases.length, rectificationsMoved: moved.rectifications.length }
}
