/**
 * The one-time recounts of the open deadlines stored before holidays fixed by law were built into
 * the calendar: first 1 January, 1–2 May and 1–3 October (FIXED_BY_LAW_ROWS, migration 0023), then
 * the lunar ones, the Spring Festival, Qingming, the Dragon Boat and Mid-Autumn Festivals
 * (LUNAR_HOLIDAY_ROWS, migration 0042). Until then a year no administrator had entered counted them
 * as working days, so a deadline running through one of them is a working day (or more) too early,
 * and nothing else recounts it: changeCalendar moves deadlines only around the days an
 * administrator changes.
 *
 * Which deadlines were counted on the older calendar is not on the row: 5 January 2027 is too early
 * when it was counted through New Year's Day as a working day, and right when counted after the
 * change. Each migration therefore records the instant from which the server counts on the new
 * calendar (deadline_recounts.since) on a database that holds open deadlines, and this pass
 * recounts only a deadline last set before it: an open case with no event since then (every
 * transition that sets a deadline writes one) and an unanswered rectification of a rating given
 * before then. It recounts as changeCalendar does (recountDeadline): each deadline keeps its
 * working days counted from the later of the day before the first changed day and the start of its
 * own period (the receipt, resubmission or acceptance that began it, less the days a suspension or
 * corrections held the clock; a rectification's rating), counted on the older calendar, counted
 * again on today's, also when that day is past, so a deadline still open is set right even on a
 * server first started after New Year's Day. A case received on 5 January 2027 never counted New
 * Year's Day, and keeps its 12 January. It records every moved deadline in an audit row of the
 * system's, and keeps how far it got in the same transaction, so that a restart half-way neither
 * moves a deadline twice nor misses one. Once through it marks itself done; every later start
 * reads a row for each. Two still to run (a database that skipped the server of 0023) run in order:
 * a day both calendars of a recount keep off counts in neither, so the first moves a deadline by
 * its own days only, and the second then by its own.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { FIXED_BY_LAW_ROWS, LUNAR_HOLIDAY_ROWS } from '../../shared/utils/working-days'
import type { CalendarOverrides, CalendarRow } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { loadCalendar } from './calendar'
import { AUDITED_CASES, OPEN } from './calendar-admin'
import type { Moved } from './calendar-admin'
import { casePeriodReader, deadlineRecounter, ratingPeriod, recountAnchor } from './deadline-periods'
import type { Period } from './deadline-periods'

/**
 * Deadlines recounted per step, each step one short write transaction with its audit row, a turn
 * of the event loop between steps (not more than AUDITED_CASES, so that the row names every one).
 * On the benchmark's million cases, where 3,659 open deadlines run past New Year's Day 2027, moving
 * a deadline costs 60-70 µs (three indexes hold it): steps of 1,000 held the thread up to 85-100
 * ms (0.2-0.3 s in all), steps of 250 mostly 30-40 ms, at most 75 (0.3-0.4 s in all).
 */
export const RECOUNT_STEP = 250

/** Days built into the calendar, and the deadline_recounts row (written by its migration) of the recount they call for. */
interface BuiltInDays { name: string, rows: readonly CalendarRow[], reason: string }

/** In the order they were built in. */
export const BUILT_IN_DAYS: readonly BuiltInDays[] = [
  { name: 'fixed-holidays', rows: FIXED_BY_LAW_ROWS, reason: 'holidays fixed by law built into the calendar (1 January, 1-2 May, 1-3 October): deadlines stored before counted them as working days' },
  { name: 'lunar-holidays', rows: LUNAR_HOLIDAY_ROWS, reason: 'holidays the law fixes by the lunar calendar built into the calendar (the Spring Festival, Qingming, the Dragon Boat and Mid-Autumn Festivals): deadlines stored before counted them as working days' },
]

export interface RecountResult {
  /** open cases and unanswered rectifications looked at (a deadline after the first of those days) */
  checked: number
  cases: number
  rectifications: number
}

interface Job { since: string, caseAfter: string, rectificationAfter: number }

/** The calendar the deadlines were counted on and today's, as they stand now (an administrator may change either meanwhile). */
function calendars(conn: Connection, days: BuiltInDays): { anchor: string, recount: (deadline: string, period: Period | null) => string } | null {
  const after = loadCalendar(conn)
  // an administrator's row for one of those days was in the older calendar too: it wins over the built-in one
  const entered = new Set(conn.sqlite.prepare('SELECT date FROM calendar_days').pluck().all() as string[])
  const changed = days.rows.map(r => r.date).filter(d => !entered.has(d))
  if (!changed.length) return null
  const gone = new Set(changed)
  const before: CalendarOverrides = { holidays: new Set([...after.holidays].filter(d => !gone.has(d))), workdays: after.workdays }
  // the day before the first changed day, even when past (see the top of this file)
  const anchor = recountAnchor(changed)
  return { anchor, recount: deadlineRecounter(anchor, before, after) }
}

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * Runs the recounts still to run (their migrations left them pending), in order: null when there
 * was nothing to do, else the counts of all. `step` bounds each write transaction.
 */
export async function recountBuiltInHolidays(conn: Connection, now = new Date(), step = RECOUNT_STEP): Promise<RecountResult | null> {
  const done: RecountResult[] = []
  for (const days of BUILT_IN_DAYS) {
    const r = await recount(conn, days, now, step)
    if (r) done.push(r)
  }
  if (!done.length) return null
  return done.reduce((a, b) => ({ checked: a.checked + b.checked, cases: a.cases + b.cases, rectifications: a.rectifications + b.rectifications }))
}

/** One recount, if still to run: null when it was not, else its counts. */
async function recount(conn: Connection, days: BuiltInDays, now: Date, step: number): Promise<RecountResult | null> {
  const job = progress(conn, days)
  if (!job) return null
  const result: RecountResult = { checked: 0, cases: 0, rectifications: 0 }
  const start = calendars(conn, days)
  if (start) {
    // the candidates, by the index on (status, deadline); each step reads its rows again
    const caseNos = conn.sqlite.prepare(`SELECT case_no FROM cases WHERE status IN ${OPEN} AND deadline > ? AND case_no > ? ORDER BY case_no`)
      .pluck().all(start.anchor, job.caseAfter) as string[]
    const ids = conn.sqlite.prepare('SELECT id FROM rectifications WHERE answer IS NULL AND deadline > ? AND id > ? ORDER BY id')
      .pluck().all(start.anchor, job.rectificationAfter) as number[]
    result.checked = caseNos.length + ids.length
    await nextTurn()
    for (let i = 0; i < caseNos.length; i += step) {
      result.cases += writeTransaction(conn, () => recountCases(conn, days, caseNos.slice(i, i + step)))
      await nextTurn()
    }
    for (let i = 0; i < ids.length; i += step) {
      result.rectifications += writeTransaction(conn, () => recountRectifications(conn, days, ids.slice(i, i + step)))
      await nextTurn()
    }
  }
  conn.sqlite.prepare('UPDATE deadline_recounts SET done_at = ? WHERE name = ? AND done_at IS NULL').run(now.toISOString(), days.name)
  return result
}

/** One step over cases (in case-number order): how many deadlines moved. */
function recountCases(conn: Connection, days: BuiltInDays, caseNos: string[]): number {
  const job = progress(conn, days)
  if (!job) return 0
  const cal = calendars(conn, days)
  const moved: ({ caseNo: string } & Moved)[] = []
  if (cal) {
    // open, still running after the anchor, and its deadline last set before the calendar changed
    const read = conn.sqlite.prepare(`SELECT deadline, process_type AS processType FROM cases c WHERE case_no = ? AND status IN ${OPEN} AND deadline > ?
      AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_no = c.case_no AND e.at >= ?)`)
    const periodOf = casePeriodReader(conn)
    const update = conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?')
    for (const caseNo of caseNos) {
      if (caseNo <= job.caseAfter) continue
      const c = read.get(caseNo, cal.anchor, job.since) as { deadline: string, processType: string } | undefined
      if (c === undefined) continue
      // never earlier: the older calendar has no holiday today's lacks
      const to = cal.recount(c.deadline, periodOf(caseNo, c.processType))
      if (to === c.deadline) continue
      update.run(to, caseNo)
      moved.push({ caseNo, from: c.deadline, to })
    }
  }
  conn.sqlite.prepare('UPDATE deadline_recounts SET case_after = max(case_after, ?) WHERE name = ?').run(caseNos.at(-1)!, days.name)
  if (moved.length) audit(conn, days, moved, [])
  return moved.length
}

/** One step over unanswered rectifications (in id order): how many deadlines moved. */
function recountRectifications(conn: Connection, days: BuiltInDays, ids: number[]): number {
  const job = progress(conn, days)
  if (!job) return 0
  const cal = calendars(conn, days)
  const moved: ({ id: number } & Moved)[] = []
  if (cal) {
    // a rectification's deadline is set when its rating is given, and moved only by the calendar
    const read = conn.sqlite.prepare(`SELECT x.deadline, r.created_at AS ratedAt FROM rectifications x JOIN ratings r ON r.id = x.rating_id
      WHERE x.id = ? AND x.answer IS NULL AND x.deadline > ? AND r.created_at < ?`)
    const update = conn.sqlite.prepare('UPDATE rectifications SET deadline = ? WHERE id = ? AND answer IS NULL')
    for (const id of ids) {
      if (id <= job.rectificationAfter) continue
      const x = read.get(id, cal.anchor, job.since) as { deadline: string, ratedAt: string } | undefined
      if (x === undefined) continue
      const to = cal.recount(x.deadline, ratingPeriod(x.ratedAt))
      if (to === x.deadline) continue
      update.run(to, id)
      moved.push({ id, from: x.deadline, to })
    }
  }
  conn.sqlite.prepare('UPDATE deadline_recounts SET rectification_after = max(rectification_after, ?) WHERE name = ?').run(ids.at(-1)!, days.name)
  if (moved.length) audit(conn, days, [], moved)
  return moved.length
}

/**
 * How far the recount has gone, read again inside each step's transaction, so that a second run
 * at the same time (a second process on the database) cannot move a deadline twice; null once done.
 */
function progress(conn: Connection, days: BuiltInDays): Job | undefined {
  return conn.sqlite.prepare(`SELECT since, case_after AS caseAfter, rectification_after AS rectificationAfter
    FROM deadline_recounts WHERE name = ? AND done_at IS NULL`).get(days.name) as Job | undefined
}

/** A step's audit row, with changeCalendar's counts and lists of the deadlines moved, by the system and saying why. */
function audit(conn: Connection, days: BuiltInDays, cases: ({ caseNo: string } & Moved)[], rectifications: ({ id: number } & Moved)[]): void {
  writeAudit(conn, {
    actorId: null, actorRole: 'system', action: 'calendar.recount',
    detail: {
      reason: days.reason, deadlinesMoved: cases.length, cases: cases.slice(0, AUDITED_CASES),
      rectificationsMoved: rectifications.length, rectifications: rectifications.slice(0, AUDITED_CASES),
    },
  })
}
