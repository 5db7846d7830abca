/**
 * The one-time recount of the open deadlines stored before the holidays fixed by law (1 January,
 * 1–2 May, 1–3 October; FIXED_BY_LAW_ROWS) were built into the calendar. Until then a year no
 * administrator had entered counted them as working days, so a deadline running through one of
 * them is a working day (or more) too early, and nothing else recounts it: changeCalendar moves
 * deadlines only around the days an administrator changes.
 *
 * Which deadlines were counted on the older calendar is not on the row: 5 January 2027 is too early
 * when it was counted through New Year's Day as a working day, and right when counted after the
 * change. Migration 0023 therefore records the instant from which the server counts on the new
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
 * reads one row.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { FIXED_BY_LAW_ROWS } from '../../shared/utils/working-days'
import type { CalendarOverrides } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { loadCalendar } from './calendar'
import { AUDITED_CASES, OPEN } from './calendar-admin'
import type { Moved } from './calendar-admin'
import { casePeriodReader, deadlineRecounter, ratingPeriod, recountAnchor } from './deadline-periods'
import type { Period } from './deadline-periods'

/** deadline_recounts' row for this recount (written by migration 0023). */
export const FIXED_HOLIDAYS_RECOUNT = 'fixed-holidays'

/**
 * Deadlines recounted per step, each step one short write transaction with its audit row, a turn
 * of the event loop between steps (not more than AUDITED_CASES, so that the row names every one).
 * On the benchmark's million cases, where 3,659 open deadlines run past New Year's Day 2027, moving
 * a deadline costs 60-70 µs (three indexes hold it): steps of 1,000 held the thread up to 85-100
 * ms (0.2-0.3 s in all), steps of 250 mostly 30-40 ms, at most 75 (0.3-0.4 s in all).
 */
export const RECOUNT_STEP = 250

const REASON = 'holidays fixed by law built into the calendar (1 January, 1-2 May, 1-3 October): deadlines stored before counted them as working days'

export interface RecountResult {
  /** open cases and unanswered rectifications looked at (a deadline after the first of those days) */
  checked: number
  cases: number
  rectifications: number
}

interface Job { since: string, caseAfter: string, rectificationAfter: number }

/** The calendar the deadlines were counted on and today's, as they stand now (an administrator may change either meanwhile). */
function calendars(conn: Connection): { anchor: string, recount: (deadline: string, period: Period | null) => string } | null {
  const after = loadCalendar(conn)
  // an administrator's row for one of those days was in the older calendar too: it wins over the built-in one
  const entered = new Set(conn.sqlite.prepare('SELECT date FROM calendar_days').pluck().all() as string[])
  const changed = FIXED_BY_LAW_ROWS.map(r => r.date).filter(d => !entered.has(d))
  if (!changed.length) return null
  const gone = new Set(changed)
  const before: CalendarOverrides = { holidays: new Set([...after.holidays].filter(d => !gone.has(d))), workdays: after.workdays }
  // the day before the first changed day, even when past (see the top of this file)
  const anchor = recountAnchor(changed)
  return { anchor, recount: deadlineRecounter(anchor, before, after) }
}

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * Runs the recount if it is still to run (migration 0023 left it pending): null when there was
 * nothing to do, else the counts. `step` bounds each write transaction.
 */
export async function recountFixedHolidayDeadlines(conn: Connection, now = new Date(), step = RECOUNT_STEP): Promise<RecountResult | null> {
  const job = progress(conn)
  if (!job) return null
  const result: RecountResult = { checked: 0, cases: 0, rectifications: 0 }
  const start = calendars(conn)
  if (start) {
    // the candidates, by the index on (status, deadline); each step reads its rows again
    const caseNos = conn.sqlite.prepare(`SELECT case_no FROM cases WHERE status IN ${OPEN} AND deadline > ? AND case_no > ? ORDER BY case_no`)
      .pluck().all(start.anchor, job.caseAfter) as string[]
    const ids = conn.sqlite.prepare('SELECT id FROM rectifications WHERE answer IS NULL AND deadline > ? AND id > ? ORDER BY id')
      .pluck().all(start.anchor, job.rectificationAfter) as number[]
    result.checked = caseNos.length + ids.length
    await nextTurn()
    for (let i = 0; i < caseNos.length; i += step) {
      result.cases += writeTransaction(conn, () => recountCases(conn, caseNos.slice(i, i + step)))
      await nextTurn()
    }
    for (let i = 0; i < ids.length; i += step) {
      result.rectifications += writeTransaction(conn, () => recountRectifications(conn, ids.slice(i, i + step)))
      await nextTurn()
    }
  }
  conn.sqlite.prepare('UPDATE deadline_recounts SET done_at = ? WHERE name = ? AND done_at IS NULL').run(now.toISOString(), FIXED_HOLIDAYS_RECOUNT)
  return result
}

/** One step over cases (in case-number order): how many deadlines moved. */
function recountCases(conn: Connection, caseNos: string[]): number {
  const job = progress(conn)
  if (!job) return 0
  const cal = calendars(conn)
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
  conn.sqlite.prepare('UPDATE deadline_recounts SET case_after = max(case_after, ?) WHERE name = ?').run(caseNos.at(-1)!, FIXED_HOLIDAYS_RECOUNT)
  if (moved.length) audit(conn, moved, [])
  return moved.length
}

/** One step over unanswered rectifications (in id order): how many deadlines moved. */
function recountRectifications(conn: Connection, ids: number[]): number {
  const job = progress(conn)
  if (!job) return 0
  const cal = calendars(conn)
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
  conn.sqlite.prepare('UPDATE deadline_recounts SET rectification_after = max(rectification_after, ?) WHERE name = ?').run(ids.at(-1)!, FIXED_HOLIDAYS_RECOUNT)
  if (moved.length) audit(conn, [], moved)
  return moved.length
}

/**
 * How far the recount has gone, read again inside each step's transaction, so that a second run
 * at the same time (a second process on the database) cannot move a deadline twice; null once done.
 */
function progress(conn: Connection): Job | undefined {
  return conn.sqlite.prepare(`SELECT since, case_after AS caseAfter, rectification_after AS rectificationAfter
    FROM deadline_recounts WHERE name = ? AND done_at IS NULL`).get(FIXED_HOLIDAYS_RECOUNT) as Job | undefined
}

/** A step's audit row, with changeCalendar's counts and lists of the deadlines moved, by the system and saying why. */
function audit(conn: Connection, cases: ({ caseNo: string } & Moved)[], rectifications: ({ id: number } & Moved)[]): void {
  writeAudit(conn, {
    actorId: null, actorRole: 'system', action: 'calendar.recount',
    detail: {
      reason: REASON, deadlinesMoved: cases.length, cases: cases.slice(0, AUDITED_CASES),
      rectificationsMoved: rectifications.length, rectifications: rectifications.slice(0, AUDITED_CASES),
    },
  })
}
