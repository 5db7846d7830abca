/**
 * The working-day calendar as administrators maintain it: the built-in State Council days of a
 * year plus their own rows (holidays and adjusted working days for later years, or corrections),
 * and the open deadlines a change moves (counted again as deadline-periods.ts says).
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { CalendarDay } from '../../shared/types/calendar'
import { LUNAR_HOLIDAYS } from '../../shared/utils/lunar-holidays'
import { addDays, BUILT_IN_NOTICE_YEARS, isWorkingDay, STATE_COUNCIL_ROWS } from '../../shared/utils/working-days'
import type { CalendarOverrides } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { invalidateCalendar, loadCalendar } from './calendar'
import { itemsWithNaturalLimits } from './case-guide'
import { RUNNING_STATUSES } from './case-views'
import { casePeriodReader, deadlineRecounter, ratingPeriod, recountAnchor, recountHandlingDeadline } from './deadline-periods'

export type { CalendarDay }

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
 * Day are holidays, and its Spring Festival break is. The holidays the law fixes are built in for
 * every later year (working-days.ts), the four of the Spring Festival among them, so the break
 * tells: the notice makes it eight days by adjusted working days (seven in most years before 2025), where the law's
 * four days and the weekend beside them make six at most. A year without the notice is counted as
 * Monday to Friday but for the law's holidays, which the notice will add to (the days around them
 * and the adjusted working days); a day or two entered by hand is not the notice. The
 * administrators' page and /api/health say so; entering the notice then moves the open cases'
 * deadlines (changeCalendar).
 */
export function calendarEntered(conn: Connection, year: number): boolean {
  // a built-in notice is in, whatever an administrator has corrected in it since (1 January made a
  // working day is a correction of the notice, not a notice missing)
  if (BUILT_IN_NOTICE_YEARS.has(year)) return true
  const holidays = new Set(calendarDays(conn, year).filter(d => d.kind === 'holiday').map(d => d.date))
  const fixed = ['01-01', '05-01', '10-01'].every(md => holidays.has(`${year}-${md}`))
  return fixed && springFestivalBreak(loadCalendar(conn), year) >= NOTICE_SPRING_FESTIVAL_BREAK
}

/** The days off in a row from New Year's Eve (weekends included), or 0 for a year the lunar table does not hold. */
function springFestivalBreak(cal: CalendarOverrides, year: number): number {
  const eve = LUNAR_HOLIDAYS[year]?.[0]
  let days = 0
  if (eve) for (let d = `${year}-${eve}`; !isWorkingDay(d, cal); d = addDays(d, 1)) days++
  return days
}

/** The shortest Spring Festival break a notice gives: longer than the six days the law's four and a weekend can make. */
const NOTICE_SPRING_FESTIVAL_BREAK = 7

/** The statuses in which a case still runs against a deadline. */
export const OPEN = `('submitted', 'accepted', 'suspended', 'supplement')`
/** How many moved case numbers (and rectification ids) the audit row names (the counts are always whole). */
export const AUDITED_CASES = 1000

export interface Moved { from: string, to: string }

/**
 * Recounts the deadlines of open cases and of unanswered rectifications (15 working days from a bad
 * rating, ratings.ts) after the calendar changed: a deadline is a number of working days in its
 * period, and keeps that number on the new calendar (recountDeadline). A change of today or of a
 * past day moves them too: a typhoon closure entered the day it happens is a day the offices did
 * not work, and a deadline already passed moves later when a day before it became a holiday. A
 * case without events (none is received without one) is counted from the day before the first
 * changed day. An answered rectification is judged by the deadline it had.
 */
function moveOpenDeadlines(conn: Connection, changed: string[], before: ReturnType<typeof loadCalendar>): { cases: ({ caseNo: string } & Moved)[], rectifications: ({ id: number } & Moved)[] } {
  const anchor = recountAnchor(changed)
  const after = loadCalendar(conn)
  const recount = deadlineRecounter(anchor, before, after)
  const periodOf = casePeriodReader(conn)
  const open = conn.sqlite.prepare(`SELECT case_no AS caseNo, service_code AS serviceCode, deadline, process_type AS processType,
      status, applicant_id AS applicantId, accepted_at IS NOT NULL AS accepted FROM cases WHERE status IN ${OPEN} AND deadline > ?`)
    .all(anchor) as { caseNo: string, serviceCode: string, deadline: string, processType: string, status: string, applicantId: number | null, accepted: 0 | 1 }[]
  const natural = itemsWithNaturalLimits(conn)
  const update = conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?')
  const tell = conn.sqlite.prepare(`INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, 'deadlineMoved', ?)`)
  const at = new Date().toISOString()
  const cases: ({ caseNo: string } & Moved)[] = []
  for (const c of open) {
    const period = periodOf(c.caseNo, c.processType)
    const to = (period?.handling && natural.has(c.serviceCode) && recountHandlingDeadline(conn, c.caseNo, c.processType, period, c.deadline, before, after)) || recount(c.deadline, period)
    if (to === c.deadline) continue
    update.run(to, c.caseNo)
    cases.push({ caseNo: c.caseNo, from: c.deadline, to })
    // the applicant was told the date (on submission, at acceptance): an online applicant is told
    // the new one. Not while the clock stands still, whose date is not yet the one to keep: the
    // resumption or the resubmission tells it. A counter applicant reads it on tracking; no SMS
    if (c.applicantId !== null && (RUNNING_STATUSES as readonly string[]).includes(c.status)) {
      // the date of the decision on acceptance, or of the completion once accepted
      const stage = c.accepted ? 'handling' : 'acceptance'
      tell.run(c.applicantId, c.caseNo, at, JSON.stringify({ caseNo: c.caseNo, previous: c.deadline, deadline: to, stage }))
    }
  }
  const unanswered = conn.sqlite.prepare(`SELECT x.id, x.deadline, r.created_at AS ratedAt FROM rectifications x JOIN ratings r ON r.id = x.rating_id
    WHERE x.answer IS NULL AND x.deadline > ?`).all(anchor) as { id: number, deadline: string, ratedAt: string }[]
  const updateRectification = conn.sqlite.prepare('UPDATE rectifications SET deadline = ? WHERE id = ? AND answer IS NULL')
  const rectifications: ({ id: number } & Moved)[] = []
  for (const r of unanswered) {
    const to = recount(r.deadline, ratingPeriod(r.ratedAt))
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
export function changeCalendar(conn: Connection, change: CalendarChange, actor: { id: number, role: string }, ip?: string | null): { added: number, removed: number, deadlinesMoved: number, rectificationsMoved: number } {
  const before = loadCalendar(conn)
  const upsert = conn.sqlite.prepare(`INSERT INTO calendar_days (date, kind, note) VALUES (?, ?, ?)
    ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, note = excluded.note`)
  for (const d of change.add) upsert.run(d.date, d.kind, d.note ?? null)
  const del = conn.sqlite.prepare('DELETE FROM calendar_days WHERE date = ?')
  let removed = 0
  for (const date of change.remove) removed += del.run(date).changes
  invalidateCalendar()
  const changed = [...change.add.map(d => d.date), ...change.remove]
  const moved = changed.length ? moveOpenDeadlines(conn, changed, before) : { cases: [], rectifications: [] }
  writeAudit(conn, {
    actorId: actor.id, actorRole: actor.role, action: 'calendar.update', ip,
    detail: {
      add: change.add, remove: change.remove, deadlinesMoved: moved.cases.length, cases: moved.cases.slice(0, AUDITED_CASES),
      rectificationsMoved: moved.rectifications.length, rectifications: moved.rectifications.slice(0, AUDITED_CASES),
    },
  })
  return { added: change.add.length, removed, deadlinesMoved: moved.cases.length, rectificationsMoved: moved.rectifications.length }
}

/**
 * changeCalendar in a write transaction of its own. The calendar in force is cached per process,
 * and changeCalendar loads the new one inside the transaction, before it commits: a change that
 * then fails (the disk full at the audit row or at the commit) must not leave its days in the
 * cache, where every deadline set until the next restart would count them.
 */
export function commitCalendarChange(conn: Connection, change: CalendarChange, actor: { id: number, role: string }, ip?: string | null): ReturnType<typeof changeCalendar> {
  try {
    return writeTransaction(conn, () => changeCalendar(conn, change, actor, ip))
  }
  catch (error) {
    invalidateCalendar()
    throw error
  }
}
