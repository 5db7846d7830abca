/**
 * How a transition moves a case's deadlines (the working days of shared/utils/working-days.ts on
 * the real calendar): an extension, the acceptance decision judged against its limit, the day the
 * materials were received, and the clock after a pause (suspension or corrections) for limits in
 * working days, in natural days, and promises capped by a legal limit in natural days.
 */
import type { Connection } from '../../db/client'
import { addDays, addWorkingDays, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import type { loadCalendar } from './calendar'
import { workingDaysAfter } from './calendar'
import { caseInvalid } from './case-errors'
import { legalCapOf, naturalLimitOf } from './case-guide'
import type { CaseDbRow } from './case-views'
import { cappedDeadline, casePeriodReader, naturalDeadline } from './deadline-periods'
import type { Period } from './deadline-periods'
import type { Changes } from './transition-record'

/**
 * 延期: the deadline later by `days` of the case's own count: working days after it, or for a
 * limit counted in natural days, the count made again from acceptance with the extension in it
 * (naturalLimitOf adds the days extended, so a later pause keeps them); a promise capped by such a
 * limit (legalCapOf) has both counts extended, and is due on the earlier.
 */
export function extensionChanges(conn: Connection, row: CaseDbRow, days: number, cal: ReturnType<typeof loadCalendar>): Changes {
  const natural = naturalLimitOf(conn, row.caseNo)
  const period = casePeriodReader(conn)(row.caseNo, row.processType)
  const cap = natural === null && period?.handling ? cappedCount(conn, row, period, cal) : null
  const deadline = !period?.handling
    ? workingDaysAfter(conn, row.deadline, days)
    : natural !== null
      ? naturalDeadline(period, natural + days, cal)
      : cap
        ? cappedDeadline(period, { promised: cap.promised + days, legal: cap.legal + days }, cal)
        : workingDaysAfter(conn, row.deadline, days)
  // a natural-day count whose last day had already moved past days off can end there again: an
  // extension that changes nothing would use up the one the case may have
  if (deadline <= row.deadline) throw caseInvalid({ days: 'case.errors.extensionNoLater' })
  return { extendedDays: days, deadline }
}

/**
 * The day the materials of a case not yet accepted were received: its submission, or its last
 * resubmission after corrections asked for in time. An acceptance decided after its limit is
 * taken as made that day (行政许可法 第三十二条: 逾期不告知的，自收到申请材料之日起即为受理), so a
 * department that sits on a case cannot give itself a fresh handling period by accepting it late;
 * deadline-periods.ts (casePeriod) counts the same way when the calendar changes.
 */
export function receiptDay(conn: Connection, row: CaseDbRow): string {
  const at = conn.sqlite.prepare(`SELECT at FROM case_events WHERE case_no = ? AND action IN ('submit', 'resubmit')
    ORDER BY id DESC LIMIT 1`).pluck().get(row.caseNo) as string | undefined
  return at ? shanghaiDateOf(new Date(at)) : row.receivedDate
}

/**
 * The acceptance decision (accept, refuse, an instant item approved on the spot, or a notice of
 * corrections given only after the acceptance deadline), judged against the deadline in force
 * while the case is submitted: the acceptance limit (ACCEPTANCE_LIMIT_DAYS, a fresh one after
 * corrections asked for in time before acceptance). A late one also starts the handling period on
 * the day of receipt (receiptDay), so the completion is judged as the law counts it; this records
 * the lateness of the acceptance itself, for the acceptance rate. Recorded once: a case accepted,
 * returned and accepted again (or refused then) was decided on the first time.
 */
export function acceptanceDecision(conn: Connection, row: CaseDbRow, today: string): Pick<Changes, 'acceptanceDate' | 'acceptedLate'> {
  if (row.acceptedAt) return {}
  const { decided } = conn.sqlite.prepare('SELECT acceptance_date AS decided FROM cases WHERE case_no = ?').get(row.caseNo) as { decided: string | null }
  if (decided) return {}
  return { acceptanceDate: today, acceptedLate: today > row.deadline }
}

/**
 * A resubmission of a case that had been accepted before it went back for corrections: the
 * handling clock goes on where it stopped instead of a fresh period starting, and only the
 * working days the case was with the applicant, (returned, resubmitted], do not count, as with a
 * suspension. The deadline moves now, not at the next acceptance, so that while the case waits
 * to be accepted again the queue, supervision and the on-time judgement all see the real one; and
 * every round of corrections pauses the clock, also one asked for before the case is accepted again.
 * A fresh period would let a late case be made punctual by asking for one more paper.
 */
export function handlingAfterCorrection(conn: Connection, row: CaseDbRow, today: string, cal: ReturnType<typeof loadCalendar>): Changes {
  const { returned } = conn.sqlite.prepare(`SELECT at AS returned FROM case_events WHERE case_no = ? AND action = 'return'
    ORDER BY id DESC LIMIT 1`).get(row.caseNo) as { returned: string }
  const from = shanghaiDateOf(new Date(returned))
  const paused = Math.max(0, workingDaysBetween(from, today, cal))
  return { deadline: deadlineAfterPause(conn, row, { from, to: today }, paused, cal), suspendedDays: row.suspendedDays + paused }
}

/**
 * An accepted case's deadline once the clock has stood still in `pause`, (from, to]: later by the
 * pause's working days, or, for a limit counted in natural days (case-guide.ts, handlingDeadline),
 * counted again from acceptance with the days of this pause and the earlier ones left out
 * (naturalDeadline), so that a week's suspension over a holiday gives the week the law leaves out
 * and a last day already moved off a weekend is not moved twice; a promise capped by such a limit,
 * both counts made again and the earlier taken (cappedDeadline). Either way the deadline is not
 * before the first working day from the pause's end. A pause that began after the deadline leaves
 * it as it was: the time had run out, and a suspension on the Saturday after a Friday deadline must
 * not make the case punctual on Monday.
 */
export function deadlineAfterPause(conn: Connection, row: CaseDbRow, pause: { from: string, to: string }, workingDaysPaused: number, cal: ReturnType<typeof loadCalendar>): string {
  if (pause.from > row.deadline) return row.deadline
  const natural = row.acceptedAt ? naturalLimitOf(conn, row.caseNo) : null
  const period = row.acceptedAt ? casePeriodReader(conn)(row.caseNo, row.processType) : null
  const cap = natural === null && period?.handling ? cappedCount(conn, row, period, cal) : null
  if (!period?.handling || (natural === null && cap === null)) {
    const moved = workingDaysAfter(conn, row.deadline, workingDaysPaused)
    // never before the first working day the clock runs again, as naturalDeadline has it: a pause
    // begun on the deadline day (in time) and ended on a day off paused no working day, and would
    // leave the case overdue the moment it started again, its last day still ahead of anyone
    const restart = addWorkingDays(addDays(pause.to, -1), 1, cal)
    return moved > restart ? moved : restart
  }
  const paused = { ...period, pauses: [...period.pauses, pause] }
  return natural !== null ? naturalDeadline(paused, natural, cal) : cappedDeadline(paused, cap!, cal)
}

/**
 * The case's promise and the legal limit in natural days that caps it (legalCapOf), when its
 * deadline in force is that capped count over `period`; else null, and the deadline moves by
 * working days as any other. A case accepted before the cap was counted holds its promise's date
 * alone: counted again capped at its next pause or extension, it would move earlier (overdue the
 * moment it resumed), as the calendar's recount leaves it (deadline-periods.ts, recountHandlingDeadline).
 */
function cappedCount(conn: Connection, row: CaseDbRow, period: Period, cal: ReturnType<typeof loadCalendar>): { promised: number, legal: number } | null {
  const cap = legalCapOf(conn, row.caseNo)
  return cap && cappedDeadline(period, cap, cal) === row.deadline ? cap : null
}
