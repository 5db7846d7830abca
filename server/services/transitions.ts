/**
 * Moving a case along the workflow (shared/utils/workflow.ts) in one write transaction: the
 * status and version checks, the new status, the event, the audit row, the applicant's notice,
 * the time limits in working days, the daily counts and the electronic result. Either all of it
 * happens or nothing does. `now` lets the demo history be generated for past dates.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { commentProblem } from '../../shared/utils/case-comment'
import { allowedActions, commentRequired, DEFAULT_CORRECTION_DAYS, isAction, MAX_CORRECTION_DAYS, MAX_EXTENSION_DAYS, MAX_SUSPENSION_DAYS, nextStatus, SUSPENSION_KINDS } from '../../shared/utils/workflow'
import type { Action, Suspension } from '../../shared/utils/workflow'
import { instantCountStart, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import { loadCalendar, workingDaysAfter } from './calendar'
import { ACCEPTANCE_LIMIT_DAYS } from './case-intake'
import { caseChanged, caseInvalid, caseNotFound, CaseError, ownCaseRecusal } from './case-errors'
import { handlingDeadline } from './case-guide'
import { correctedAnswers } from './case-resubmission'
import { caseDetail, findVisibleCase, flagOf, workflowState, workflowUser } from './case-views'
import type { CaseDbRow, CaseDetail, CaseViewer, SupplementNotice } from './case-views'
import { returnNotice, returnOpensStage } from './one-time-notice'
import { isOwnCase } from './recusal'
import { acceptanceDecision, deadlineAfterPause, extensionChanges, handlingAfterCorrection, receiptDay } from './transition-deadlines'
import { recordTransition } from './transition-record'
import type { Changes } from './transition-record'

export interface TransitionInput {
  caseNo: string
  action: Action
  comment?: string | null
  version: number
  user: CaseViewer
  /** return: what the one-time notice (一次性告知) lists, and the working days given to correct (补正期限, DEFAULT_CORRECTION_DAYS if absent) */
  supplement?: { fields: string[], materials: string[], days?: number }
  /** resubmit: corrected answers, for the fields the notice listed and those they bring up only (correctableFields) */
  answers?: Record<string, unknown>
  /** extend: by how many days (1 to MAX_EXTENSION_DAYS), in the unit of the case's limit */
  days?: number
  /** suspend: why, and the days it is expected to need, which the applicant is told (行政许可法 第四十五条) */
  suspension?: Suspension
  now?: Date
  ip?: string | null
}

/** Applies one workflow action and returns the case as the caller now sees it. */
export function applyTransition(conn: Connection, input: TransitionInput): CaseDetail {
  const now = input.now ?? new Date()
  if (!isAction(input.action)) throw caseInvalid({ action: 'validation.option' })
  return writeTransaction(conn, () => {
    const row = findVisibleCase(conn, input.caseNo, input.user)
    if (!row) throw caseNotFound()
    if (row.version !== input.version) throw caseChanged(row)
    const to = nextStatus(row.status, input.action, row.processType, row.acceptedAt)
    if (to && isOwnCase(conn, input.user, row.applicantIdNumber)) {
      throw ownCaseRecusal()
    }
    // the same state the case's page lists the actions from: 不予受理 only while the acceptance
    // period runs, an extension only within the time limit
    const state = workflowState(row, shanghaiDateOf(now))
    if (!to || !allowedActions(state, workflowUser(conn, input.user, row.departmentCode)).includes(input.action)) {
      throw new CaseError(409, `The action ${input.action} is not possible now`, { status: row.status })
    }
    // corrections travel with a resubmission only, the one-time notice with a return only, days with an extension only
    if (input.answers && input.action !== 'resubmit') throw caseInvalid({ answers: 'case.errors.notForAction' })
    if (input.supplement && input.action !== 'return') throw caseInvalid({ supplement: 'case.errors.notForAction' })
    if (input.days !== undefined && input.action !== 'extend') throw caseInvalid({ days: 'case.errors.notForAction' })
    if (input.suspension && input.action !== 'suspend') throw caseInvalid({ suspension: 'case.errors.notForAction' })
    if (input.suspension) checkSuspension(input.suspension)
    const correctionDays = input.supplement?.days
    if (correctionDays !== undefined && !(Number.isInteger(correctionDays) && correctionDays >= 1 && correctionDays <= MAX_CORRECTION_DAYS)) {
      throw caseInvalid({ 'supplement.days': 'case.errors.correctionDays' })
    }
    if (input.action === 'extend' && input.days === undefined) throw caseInvalid({ days: 'validation.required' })
    if (input.action === 'extend' && !(Number.isInteger(input.days) && input.days! >= 1 && input.days! <= MAX_EXTENSION_DAYS)) throw caseInvalid({ days: 'case.errors.extensionDays' })
    // a reason, and a clerk's record of the applicant's request to withdraw (commentRequired)
    const problem = commentProblem(input.comment, commentRequired(input.action, input.user.role))
    if (problem) throw caseInvalid({ comment: problem })
    const comment = input.comment?.trim() || null
    const changes = changesFor(conn, row, input, comment, now)
    recordTransition(conn, row, input, to, comment, changes, now)
    const after = findVisibleCase(conn, input.caseNo, input.user)!
    return caseDetail(conn, after, input.user, now)
  })
}

function changesFor(conn: Connection, row: CaseDbRow, input: TransitionInput, comment: string | null, now: Date): Changes {
  const cal = loadCalendar(conn)
  const today = shanghaiDateOf(now)
  switch (input.action) {
    case 'accept': {
      // accepted again after corrections: the handling deadline the resubmission moved stands
      if (row.acceptedAt) return {}
      // the limit the applicant was given when the case was received, not one published since,
      // counted from acceptance; from the receipt of the materials when acceptance came too late
      const from = today > row.deadline ? receiptDay(conn, row) : today
      return { ...acceptanceDecision(conn, row, today), acceptedAt: now.toISOString(), handlingFrom: from, deadline: handlingDeadline(conn, row.caseNo, from) }
    }
    case 'refuse':
      return acceptanceDecision(conn, row, today)
    case 'suspend':
      return { suspendedSince: today, ...(input.suspension && { suspension: input.suspension }) }
    case 'resume': {
      // working days in (suspended since, today]: the days the clock stood still
      const since = row.suspendedSince ?? today
      const spent = Math.max(0, workingDaysBetween(since, today, cal))
      return { suspendedSince: null, suspendedDays: row.suspendedDays + spent, deadline: deadlineAfterPause(conn, row, { from: since, to: today }, spent, cal) }
    }
    case 'return': {
      // the one-time notice of corrections is due within the acceptance limit too (行政许可法 第三十二条):
      // one given after it is the case's late acceptance decision, and the case counts as accepted
      // on the day its materials were received. Its handling period has run since then and stops
      // now, as for any case accepted and returned: the resubmission moves the deadline by the
      // pause instead of giving a fresh acceptance period, and it can no longer be refused acceptance
      const late = returnOpensStage(row, today)
      // and it is the first notice of the stage that acceptance opens, not held to those before it
      // with the last day to correct (补正期限), counted in working days from the day after the notice
      const supplementNotice = { ...returnNotice(conn, row, input.supplement, comment ?? '', late), due: workingDaysAfter(conn, today, input.supplement?.days ?? DEFAULT_CORRECTION_DAYS) }
      // the day the clock stopped, as a suspension keeps it: a case returned when already late
      // stays overdue on supervision while it waits (supervision.ts, SUSPENDED_OVERDUE)
      const stopped = { supplementNotice, suspendedSince: today }
      if (!late) return stopped
      const from = receiptDay(conn, row)
      return { ...stopped, ...acceptanceDecision(conn, row, today), acceptedAt: now.toISOString(), handlingFrom: from, deadline: handlingDeadline(conn, row.caseNo, from) }
    }
    case 'resubmit': {
      const answers = correctedAnswers(conn, row, input.answers, input.user, today)
      if (row.acceptedAt) return { supplementNotice: null, suspendedSince: null, answers, ...handlingAfterCorrection(conn, row, today, cal) }
      return {
        supplementNotice: null,
        suspendedSince: null,
        answers,
        // a fresh period for deciding on acceptance; an instant item is still decided the same
        // working day (the next, when it comes back after the offices close)
        deadline: row.processType === 'instant' ? workingDaysAfter(conn, instantCountStart(now), 1) : workingDaysAfter(conn, today, ACCEPTANCE_LIMIT_DAYS),
      }
    }
    case 'extend':
      // only the head of the department extends (the transition table): the approval is theirs, by name
      return { ...extensionChanges(conn, row, input.days!, cal), approvedBy: conn.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck().get(input.user.id) as string }
    case 'withdraw':
    case 'lapse': {
      // the case ends: no clock stands still any more ("clock stopped since" would stay on its page).
      // One already overdue leaves supervision's overdue list with it and is never completed: the
      // audit row says it was late (auditDetail), beside the applicant's request in the comment,
      // or, when the corrections never came (逾期未补正, 视为撤回), the day they were due by
      const { overdue } = flagOf(row.status, row.deadline, today, cal, row.suspendedSince)
      const due = input.action === 'lapse' ? (JSON.parse(row.supplementNotice!) as SupplementNotice).due : undefined
      return { suspendedSince: null, ...(overdue ? { withdrawnOverdue: row.deadline } : {}), ...(due ? { correctionDue: due } : {}) }
    }
    case 'approve':
    case 'reject': {
      const completion = { completedAt: now.toISOString(), completedDate: today, handlingDays: workingDaysBetween(row.receivedDate, today, cal) }
      // an instant item approved straight from submitted: its acceptance and its decision are one act
      return row.status === 'submitted' ? { ...acceptanceDecision(conn, row, today), ...completion } : completion
    }
    default:
      return {}
  }
}

/** The kind and days of a suspension, as the API route checks them, for callers that bypass it. */
function checkSuspension(s: Suspension): void {
  if (!(SUSPENSION_KINDS as readonly string[]).includes(s.kind)) throw caseInvalid({ 'suspension.kind': 'validation.option' })
  if (!Number.isInteger(s.expectedDays) || s.expectedDays < 1 || s.expectedDays > MAX_SUSPENSION_DAYS) throw caseInvalid({ 'suspension.expectedDays': 'case.errors.suspensionDays' })
}
