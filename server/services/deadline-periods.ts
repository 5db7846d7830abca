/**
 * How a deadline was counted (its period: the day counting starts, the days the clock stood still)
 * and counting it again on another calendar: in working days, in natural days (民法典 第二百零三条),
 * and a promise capped by a legal limit. The workflow moves deadlines by these rules
 * (transition-deadlines.ts); a change of the calendar counts the open ones again (calendar-admin.ts,
 * calendar-recount.ts).
 */
import type { Connection } from '../../db/client'
import { addDays, addWorkingDays, instantCountStart, isWorkingDay, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import type { CalendarOverrides } from '../../shared/utils/working-days'
import { legalCapOf, naturalLimitOf } from './case-guide'

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
export function recountHandlingDeadline(conn: Connection, caseNo: string, processType: string, period: Period, deadline: string, before: CalendarOverrides, after: CalendarOverrides): string | null {
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
