/**
 * The working-day calendar as administrators maintain it: the built-in State Council days of a
 * year plus their own rows (holidays and adjusted working days for later years, or corrections).
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { CalendarDay } from '../../shared/types/calendar'
import { addDays, addWorkingDays, BUILT_IN_NOTICE_YEARS, instantCountStart, isWorkingDay, shanghaiDateOf, STATE_COUNCIL_ROWS, workingDaysBetween } from '../../shared/utils/working-days'
import type { CalendarOverrides } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { invalidateCalendar, loadCalendar } from './calendar'
import { itemsWithNaturalLimits, legalCapOf, naturalLimitOf } from './case-guide'
import { RUNNING_STATUSES } from './case-views'

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
 * Day are holidays, and so is a day of the Spring Festival (late January to February), the four
 * holidays every year's notice has. The first three are fixed by law and built in for every year
 * (working-days.ts), so in practice the Spring Festival tells, by its four days off by law. A year without the notice is counted
 * as Monday to Friday but for those, which the notice will contradict (its lunar holidays and
 * adjusted working days); one day entered by hand is not the notice. The administrators' page and
 * /api/health say so; entering the notice then moves the open cases' deadlines (changeCalendar).
 */
export function calendarEntered(conn: Connection, year: number): boolean {
  // a built-in notice is in, whatever an administrator has corrected in it since (1 January made a
  // working day is a correction of the notice, not a notice missing)
  if (BUILT_IN_NOTICE_YEARS.has(year)) return true
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

/** Where recounting can start after the days `changed` changed: the day before the first of them, up to which both calendars agree. */
export function recountAnchor(changed: readonly string[]): string {
  return addDays(changed.reduce((a, b) => (b < a ? b : a), '9999-12-31'), -1)
}

/**
 * How a deadline was counted: addWorkingDays(start, n, calendar, paused days) for some n. The
 * days paused are those a suspension or corrections asked for after acceptance held the clock,
 * each (from, to]: transitions.ts adds their working days to the deadline at resume and at the
 * resubmission, which comes to the same as not counting them.
 */
export interface Period {
  /** the day before the first day counted */
  start: string
  pauses: readonly { from: string, to: string }[]
  /** a case's handling period, from its acceptance (else the period to decide on acceptance) */
  handling?: boolean
}

/** A row of case_events, oldest first. */
export interface CaseEventRow { at: string, action: string }

/**
 * The period of a case's deadline as its events set it (case-intake.ts, transitions.ts): the
 * acceptance period runs from receipt, or from the last resubmission before acceptance, which
 * starts a fresh one; the handling period from the first acceptance (accepting again after
 * corrections keeps the deadline), less the days paused since. `handlingFrom` is the day the case
 * records its handling period counting from (cases.handling_from): the day of acceptance, or for
 * one decided too late the day of receipt (行政许可法 第三十二条), when a notice of corrections
 * given too late (a return on or after that day, before any accept) is where handling began; null
 * on cases accepted before it was recorded, which count from their accept event as they did. An
 * instant item is due the day it arrives when that is a working day and the offices are open, one
 * working day after the day before (instantCountStart). Other events (a suspension, a refusal)
 * set no deadline. Null without a receipt to count from.
 */
export function casePeriod(events: readonly CaseEventRow[], instant: boolean, handlingFrom: string | null = null): Period | null {
  let period: Period | null = null
  let accepted = false
  // the day of the last return or suspension: the clock stood still after it
  let stoppedOn: string | null = null
  for (const e of events) {
    const day = shanghaiDateOf(new Date(e.at))
    if (e.action === 'submit' || (e.action === 'resubmit' && !accepted)) {
      period = { start: instant ? instantCountStart(new Date(e.at)) : day, pauses: [] }
    }
    else if (e.action === 'accept' && !accepted) {
      accepted = true
      period = { start: handlingFrom ?? day, pauses: [], handling: true }
    }
    else if (e.action === 'return' || e.action === 'suspend') {
      // corrections asked for too late: accepted on receipt, and the clock stops from the notice (a
      // notice in time comes before the resubmission the handling period can start from at the
      // earliest: on the same day, the pause it makes is empty)
      if (e.action === 'return' && !accepted && handlingFrom !== null && handlingFrom <= day) {
        accepted = true
        period = { start: handlingFrom, pauses: [], handling: true }
      }
      stoppedOn = day
    }
    else if ((e.action === 'resume' || e.action === 'resubmit') && period && stoppedOn) {
      period = { start: period.start, pauses: [...period.pauses, { from: stoppedOn, to: day }], handling: period.handling }
      stoppedOn = null
    }
  }
  return period
}

/** A rectification's period: 15 working days from the day of its rating (ratings.ts). */
export function ratingPeriod(ratedAt: string): Period {
  return { start: shanghaiDateOf(new Date(ratedAt)), pauses: [] }
}

/** The days of `pauses` after `from`, which addWorkingDays skips. */
function pausedAfter(pauses: Period['pauses'], from: string): Set<string> {
  const days = new Set<string>()
  for (const p of pauses) for (let d = addDays(p.from > from ? p.from : from, 1); d <= p.to; d = addDays(d, 1)) days.add(d)
  return days
}

/**
 * A deadline counted on `before` in `period`, counted again on `after`: as many working days from
 * the later of `anchor` and the period's start, the days paused left out (up to the anchor both
 * calendars agree). Not from the anchor alone: a period that began after it never counted the days
 * before, and a case received on 5 January keeps its 12 January when 1 January becomes a holiday.
 * Without a period, from `anchor`. A deadline not after the end of its last pause had passed when
 * the clock stopped, and the days paused were added to it rather than counted from a start
 * (transitions.ts, resume): it stays as it was, as does one the new calendar would put there.
 */
export function recountDeadline(anchor: string, deadline: string, before: CalendarOverrides, after: CalendarOverrides, period?: Period): string {
  const from = period && period.start > anchor ? period.start : anchor
  const resumed = period?.pauses.at(-1)?.to ?? from
  if (deadline <= from || deadline <= resumed) return deadline
  const paused = pausedAfter(period?.pauses ?? [], from)
  let days = workingDaysBetween(from, deadline, before)
  for (const d of paused) if (d <= deadline && isWorkingDay(d, before)) days -= 1
  if (days < 1) return deadline
  const to = addWorkingDays(from, days, after, paused)
  return to > resumed ? to : deadline
}

/**
 * recountDeadline for one change, remembering the answers for periods without pauses: a day's
 * cases share a few (start, deadline) pairs, and walking the calendar for one takes a quarter of a
 * millisecond (a deadline months ahead).
 */
export function deadlineRecounter(anchor: string, before: CalendarOverrides, after: CalendarOverrides): (deadline: string, period?: Period | null) => string {
  const known = new Map<string, string>()
  return (deadline, period) => {
    if (period?.pauses.length) return recountDeadline(anchor, deadline, before, after, period)
    const key = `${period && period.start > anchor ? period.start : anchor} ${deadline}`
    let to = known.get(key)
    if (to === undefined) known.set(key, to = recountDeadline(anchor, deadline, before, after, period ?? undefined))
    return to
  }
}

/**
 * A deadline counted in natural days (case-guide.ts, handlingDeadline): `days` on from the
 * period's start, and a last day off moving to the next working day (民法典 第二百零三条). A pause
 * (from, to] stops the time the law counts (行政许可法 第四十五条), in natural days every day of
 * it: the count's end moves by them, and never before the day the clock starts again (a case
 * suspended on the Monday its Saturday end was moved to had that Monday left, not minus two
 * days). A pause that began after the deadline leaves it where it was: the case was late then.
 */
export function naturalDeadline(period: Period, days: number, cal: CalendarOverrides): string {
  const due = (end: string) => addWorkingDays(addDays(end, -1), 1, cal)
  let end = addDays(period.start, days)
  for (const p of period.pauses) {
    if (p.from > due(end)) continue
    const moved = addDays(end, Math.max(0, daysBetween(p.from, p.to)))
    end = moved > p.to ? moved : p.to
  }
  return due(end)
}

/**
 * A deadline counted in working days over a period, as transitions.ts moves it: the `days`-th
 * working day from the period's start, later by the working days of each pause that began on or
 * before it, and never before the first working day after the pause (a case suspended on its last
 * day and resumed on a Sunday has Monday left).
 */
export function workingDeadline(period: Period, days: number, cal: CalendarOverrides): string {
  let due = addWorkingDays(period.start, days, cal)
  for (const p of period.pauses) {
    if (p.from > due) continue
    const moved = addWorkingDays(due, Math.max(0, workingDaysBetween(p.from, p.to, cal)), cal)
    const restart = addWorkingDays(addDays(p.to, -1), 1, cal)
    due = moved > restart ? moved : restart
  }
  return due
}

/**
 * A promise in working days under a legal limit in natural days (case-guide.ts, legalCapOf): the
 * earlier of the two counts over the same period.
 */
export function cappedDeadline(period: Period, cap: { promised: number, legal: number }, cal: CalendarOverrides): string {
  const promised = workingDeadline(period, cap.promised, cal)
  const legal = naturalDeadline(period, cap.legal, cal)
  return legal < promised ? legal : promised
}

/** Days from `from` to `to` (ISO dates), negative when `to` comes first. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)
}

/**
 * A natural-day deadline counted again on `after`: a holiday added or removed between start and
 * end changes nothing, one on the last day moves it to the next working day. Null when `deadline`
 * is not that count on `before` (one set before pauses were counted in natural days).
 */
export function recountNaturalDeadline(period: Period, days: number, deadline: string, before: CalendarOverrides, after: CalendarOverrides): string | null {
  return naturalDeadline(period, days, before) === deadline ? naturalDeadline(period, days, after) : null
}

/**
 * An accepted case's deadline counted again when it is not a plain count of working days: a legal
 * limit in natural days (an instant item accepted with nothing promised), or a promise capped by
 * one (case-guide.ts, legalCapOf). Null when it is a plain count, or when `deadline` is not what the count gave on `before`
 * (one set before the count was made so): recountDeadline then moves it by its working days.
 */
function recountHandlingDeadline(conn: Connection, caseNo: string, processType: string, period: Period, deadline: string, before: CalendarOverrides, after: CalendarOverrides): string | null {
  const natural = processType === 'instant' ? naturalLimitOf(conn, caseNo) : null
  if (natural !== null) return recountNaturalDeadline(period, natural, deadline, before, after)
  const cap = legalCapOf(conn, caseNo)
  if (cap === null || cappedDeadline(period, cap, before) !== deadline) return null
  return cappedDeadline(period, cap, after)
}

/** The period of an open case's deadline, from its events (by case_events_case_idx); prepare once, call per case. */
export function casePeriodReader(conn: Connection): (caseNo: string, processType: string) => Period | null {
  const events = conn.sqlite.prepare('SELECT at, action FROM case_events WHERE case_no = ? ORDER BY id')
  const handlingFrom = conn.sqlite.prepare('SELECT handling_from FROM cases WHERE case_no = ?').pluck()
  return (caseNo, processType) => casePeriod(events.all(caseNo) as CaseEventRow[], processType === 'instant', (handlingFrom.get(caseNo) as string | null | undefined) ?? null)
}

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
