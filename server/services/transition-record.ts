/**
 * What a transition writes once it is decided: the case row (only at the version read), its
 * event with the written notice and deadline it states, the correction's record, the answer to an
 * open extension request, the audit row, the daily counts, the electronic result of an approval
 * and the applicant's notice. Called inside the transaction of applyTransition (transitions.ts).
 */
import type { Connection } from '../../db/client'
import type { Action, Status, Suspension, SuspensionKind } from '../../shared/utils/workflow'
import { redactForLog } from '../utils/log-redaction'
import { writeAudit } from './audit'
import { countCompleted } from './case-intake'
import { CaseError } from './case-errors'
import { recordCorrection } from './case-corrections'
import type { CaseDbRow, CaseViewer, SupplementNotice } from './case-views'
import { countAcceptanceDecided } from './daily-counts'
import { tellRequesterOfDecision } from './extension-notices'
import { notifyApplicant } from './notifications'
import { issueResultOnApproval } from './result-issue'

/** What changes besides status and version, worked out before anything is written. */
export interface Changes {
  deadline?: string
  acceptedAt?: string
  completedAt?: string
  completedDate?: string
  /** working days from receipt to completion, fixed with the calendar of the day of completion */
  handlingDays?: number
  /** the day acceptance was decided and whether after its deadline: recorded once, at the decision */
  acceptanceDate?: string
  acceptedLate?: boolean
  suspendedSince?: string | null
  suspendedDays?: number
  extendedDays?: number
  /** the day the handling period counts from (cases.handling_from) */
  handlingFrom?: string
  supplementNotice?: SupplementNotice | null
  answers?: Record<string, unknown>
  /** withdraw, lapse: the deadline the case was past when withdrawn, as supervision counted it overdue */
  withdrawnOverdue?: string
  /** lapse: the last day the notice gave to correct, which has passed */
  correctionDue?: string
  /** suspend: the written notice of why and for how long, kept on its event (case_events.notice) */
  suspension?: Suspension
  /** extend: the head of the department who extended it, by name, kept on its event (第四十二条) */
  approvedBy?: string
}

/** Who moves the case, and how. */
export interface TransitionMove { action: Action, user: CaseViewer, ip?: string | null }

/** The reasons of a suspension as the SMS, which is Chinese only, names them. */
const SUSPENSION_KIND_NAMES: Record<SuspensionKind, string> = {
  hearing: '听证', tender: '招标', auction: '拍卖', inspection: '检验', testing: '检测', quarantine: '检疫',
  appraisal: '鉴定', expertReview: '专家评审', otherAuthority: '等待其他机关的结论',
}

/** Writes the decided transition: see the file's head. */
export function recordTransition(conn: Connection, row: CaseDbRow, input: TransitionMove, to: Status, comment: string | null, c: Changes, now: Date): void {
  const at = now.toISOString()
  const updated = conn.sqlite.prepare(`UPDATE cases SET status = @to, version = version + 1,
      deadline = coalesce(@deadline, deadline), accepted_at = coalesce(@acceptedAt, accepted_at),
      completed_at = coalesce(@completedAt, completed_at), completed_date = coalesce(@completedDate, completed_date),
      handling_days = coalesce(@handlingDays, handling_days),
      acceptance_date = coalesce(@acceptanceDate, acceptance_date), accepted_late = coalesce(@acceptedLate, accepted_late),
      suspended_since = CASE WHEN @setSuspended THEN @suspendedSince ELSE suspended_since END,
      suspended_days = coalesce(@suspendedDays, suspended_days), extended_days = coalesce(@extendedDays, extended_days),
      handling_from = coalesce(@handlingFrom, handling_from),
      supplement_notice = CASE WHEN @setNotice THEN @notice ELSE supplement_notice END,
      answers = coalesce(@answers, answers)
    WHERE case_no = @caseNo AND version = @version`).run({
    to, caseNo: row.caseNo, version: row.version,
    deadline: c.deadline ?? null, acceptedAt: c.acceptedAt ?? null, completedAt: c.completedAt ?? null, completedDate: c.completedDate ?? null,
    handlingDays: c.handlingDays ?? null, acceptanceDate: c.acceptanceDate ?? null, acceptedLate: c.acceptedLate === undefined ? null : Number(c.acceptedLate),
    setSuspended: c.suspendedSince !== undefined ? 1 : 0, suspendedSince: c.suspendedSince ?? null, suspendedDays: c.suspendedDays ?? null, extendedDays: c.extendedDays ?? null, handlingFrom: c.handlingFrom ?? null,
    setNotice: c.supplementNotice !== undefined ? 1 : 0, notice: c.supplementNotice ? JSON.stringify(c.supplementNotice) : null,
    answers: c.answers ? JSON.stringify(c.answers) : null,
  })
  // the write lock is held, so this cannot happen; if it ever did, nothing is committed
  if (updated.changes !== 1) throw new CaseError(409, 'The case has changed since you loaded it: reload and try again')
  const notice = eventNotice(input.action, c)
  const event = conn.sqlite.prepare(`INSERT INTO case_events (case_no, at, action, from_status, to_status, actor_id, actor_role, comment, notice, deadline)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(row.caseNo, at, input.action, row.status, to, input.user.id, input.user.role, comment, notice, eventDeadline(input.action, row, c))
  // every resubmission, the applicant's online or one a clerk records at the counter, is a round
  // of corrections: what it replaced stays part of the case's record (case-corrections.ts)
  const replaced = input.action === 'resubmit' ? recordCorrection(conn, row, Number(event.lastInsertRowid), at, c.answers) : []
  // an extension answers the clerk's request for it, if one is open (extension-requests.ts)
  const request = input.action === 'extend'
    ? conn.sqlite.prepare(`UPDATE extension_requests SET outcome = 'approved', decided_by = ?, decided_at = ? WHERE case_no = ? AND outcome IS NULL
        RETURNING id, requested_by AS requestedBy`).get(input.user.id, at, row.caseNo) as { id: number, requestedBy: number } | undefined
    : undefined
  if (request) tellRequesterOfDecision(conn, { caseNo: row.caseNo, requestedBy: request.requestedBy, decidedBy: input.user.id, approved: true, deadline: c.deadline!, at })
  const detail = { ...auditDetail(row, to, comment, c, replaced), ...(request && { extensionRequest: request.id }) }
  writeAudit(conn, { actorId: input.user.id, actorRole: input.user.role, action: `case.${input.action}`, subject: row.caseNo, detail, ip: input.ip })
  const deadline = c.deadline ?? row.deadline
  let resultCode: string | null = null
  if (c.acceptanceDate) countAcceptanceDecided(conn, c.acceptanceDate, row.departmentCode, c.acceptedLate === true)
  if (to === 'approved' || to === 'rejected') {
    const day = c.completedDate!
    countCompleted(conn, day, row.departmentCode, { onTime: day <= row.deadline, handlingDays: c.handlingDays!, extended: row.extendedDays > 0 })
    if (to === 'approved') resultCode = issueResultOnApproval(conn, row, now, { id: input.user.id, role: input.user.role, ip: input.ip })
  }
  const params: Record<string, string | number> = { status: to, deadline }
  if (comment) params.comment = comment
  if (resultCode) params.resultCode = resultCode
  // a return says by when to correct; a lapse, by when it was to be
  const correctionDue = c.supplementNotice?.due ?? c.correctionDue
  if (correctionDue) params.correctionDue = correctionDue
  // a suspension with its reason and time is told with them: the SMS names the reason in Chinese
  if (c.suspension) Object.assign(params, { kind: c.suspension.kind, kindName: SUSPENSION_KIND_NAMES[c.suspension.kind], expectedDays: c.suspension.expectedDays })
  // as a return with its period to correct (returnBy: the words of a plain return stay for the
  // messages queued before periods were given, whose parameters have no day)
  const kind = c.suspension ? 'suspendFor' : c.supplementNotice?.due ? 'returnBy' : input.action
  notifyApplicant(conn, { caseNo: row.caseNo, applicantId: row.applicantId, mobile: row.applicantMobile, kind, eventId: Number(event.lastInsertRowid), params, at })
}

/**
 * What an event keeps beside its comment (case_events.notice): a return's items and the last day
 * to correct (its written notice states it), since the resubmission clears the case's notice and a
 * later return of the same stage may ask for nothing new (noticesOfStage); a suspension's reason
 * and time, as the applicant was told (第四十五条); who approved an extension (第四十二条).
 */
function eventNotice(action: Action, c: Changes): string | null {
  if (action === 'return' && c.supplementNotice) return JSON.stringify({ fields: c.supplementNotice.fields, materials: c.supplementNotice.materials, due: c.supplementNotice.due })
  if (c.suspension) return JSON.stringify({ suspension: c.suspension })
  if (c.approvedBy) return JSON.stringify({ extension: { approvedBy: c.approvedBy } })
  return null
}

/**
 * The deadline an event's written document states (case_events.deadline): the one it set, and an
 * acceptance's in any case, since its notice says by when the decision comes: accepting again after
 * corrections keeps the deadline the case has, and so does a late acceptance that sets none.
 */
function eventDeadline(action: Action, row: CaseDbRow, c: Changes): string | null {
  return c.deadline ?? (action === 'accept' ? row.deadline : null)
}

/**
 * What the tamper-evident audit log keeps of a decision: the move, and the reason, the one-time
 * notice and the materials a correction replaced where there are any, so that a reason edited later in case_events would not match it.
 */
function auditDetail(row: CaseDbRow, to: Status, comment: string | null, c: Changes, replaced: string[]): Record<string, unknown> {
  const detail: Record<string, unknown> = { from: row.status, to, version: row.version + 1 }
  // the reason as the applicant reads it stays in case_events; the audit log, kept for good and
  // read by auditors who see no ID numbers elsewhere, keeps it with ID and mobile numbers masked
  if (comment) detail.reason = redactForLog(comment, Infinity)
  if (c.supplementNotice) detail.notice = { fields: c.supplementNotice.fields, materials: c.supplementNotice.materials, due: c.supplementNotice.due }
  if (c.correctionDue) detail.correctionDue = c.correctionDue
  if (c.deadline) detail.deadline = c.deadline
  if (c.extendedDays) detail.extendedDays = c.extendedDays
  if (c.suspension) detail.suspension = c.suspension
  if (c.approvedBy) detail.approvedBy = redactForLog(c.approvedBy, Infinity)
  if (c.acceptedLate !== undefined) detail.acceptedLate = c.acceptedLate
  // a case withdrawn when overdue is in no figure afterwards (docs/cases.md): the log says it was late
  if (c.withdrawnOverdue) detail.overdue = { deadline: c.withdrawnOverdue }
  // the uploads a correction took off the case (ids, nothing personal): the chained log names them too
  if (replaced.length) detail.replacedMaterials = replaced
  return detail
}
