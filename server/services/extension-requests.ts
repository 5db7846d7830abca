/**
 * 延期申请: a clerk asks the head of the department to extend a case's time limit (行政许可法 第四十二条:
 * 经本行政机关负责人批准，可以延长十日), with the days and the reason the applicant will read; the head
 * approves it (the case's `extend`, done by the head: transition-record.ts closes the request) or declines
 * it with a reason for the clerk. A request goes nowhere once the case can no longer be extended (it
 * was decided or suspended, or its deadline passed): an extension is decided within the time limit.
 * Each step is one write transaction with its audit row; the case itself changes only when extended.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { PendingExtension } from '../../shared/types/case'
import { commentProblem } from '../../shared/utils/case-comment'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { MAX_EXTENSION_DAYS } from '../../shared/utils/workflow'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { redactForLog } from '../utils/log-redaction'
import { writeAudit } from './audit'
import { caseChanged, caseInvalid, caseNotFound, CaseError, ownCaseRecusal } from './case-errors'
import { caseDetail, extensionPossible, findVisibleCase } from './case-views'
import type { CaseDbRow, CaseDetail } from './case-views'
import { activeHeadsOf, AWAITING_DECISION, isDepartmentHead, openExtensionRequest } from './department-heads'
import { tellHeadsOfRequest, tellRequesterOfDecision } from './extension-notices'
import { isOwnCase } from './recusal'
import { applyTransition } from './transitions'

interface Staff { id: number, role: string, departmentCode: string | null }

interface RequestInput { caseNo: string, days: number, comment: string, version: number, user: Staff, now?: Date, ip?: string | null }

/** The case this clerk may act on at `version`, or the error that says why not. */
function caseToActOn(conn: Connection, caseNo: string, version: number, user: Staff): CaseDbRow {
  const row = findVisibleCase(conn, caseNo, user)
  if (!row || user.role !== 'clerk') throw caseNotFound()
  if (row.version !== version) throw caseChanged(row)
  if (row.applicantId === user.id || isOwnCase(conn, user, row.applicantIdNumber)) throw ownCaseRecusal()
  return row
}

/** The reason as the applicant will read it, or the field error. */
function reasonOf(comment: string | null | undefined, field = 'comment'): string {
  const problem = commentProblem(comment, true)
  if (problem) throw caseInvalid({ [field]: problem })
  return comment!.trim()
}

/**
 * A clerk of the department asks its head to extend an accepted case's time limit by `days`
 * (1 to MAX_EXTENSION_DAYS) for the reason `comment`. Refused (409) when the case cannot be extended
 * now, when a request is already open, to a head, who extends it directly, and when the department
 * has no active head: nobody would see the request, and it would lapse with the deadline.
 */
export function requestExtension(conn: Connection, input: RequestInput): CaseDetail {
  const now = input.now ?? new Date()
  return writeTransaction(conn, () => {
    const row = caseToActOn(conn, input.caseNo, input.version, input.user)
    if (isDepartmentHead(conn, input.user.id, row.departmentCode)) {
      throw new CaseError(409, 'You head the department: extend the time limit yourself (action extend)', { reason: 'head' })
    }
    if (!extensionPossible(row, shanghaiDateOf(now))) {
      throw new CaseError(409, 'The time limit of this case cannot be extended now', { status: row.status })
    }
    if (openExtensionRequest(conn, row.caseNo)) throw new CaseError(409, 'A request to extend this case is already waiting for the head of the department', { reason: 'open' })
    if (activeHeadsOf(conn, row.departmentCode).length === 0) throw new CaseError(409, 'The department has no head to approve an extension: have the system administrator set one', { reason: 'noHead' })
    if (!(Number.isInteger(input.days) && input.days >= 1 && input.days <= MAX_EXTENSION_DAYS)) throw caseInvalid({ days: 'case.errors.extensionDays' })
    const reason = reasonOf(input.comment)
    const id = Number(conn.sqlite.prepare(`INSERT INTO extension_requests (case_no, days, reason, requested_by, requested_at) VALUES (?, ?, ?, ?, ?)`)
      .run(row.caseNo, input.days, reason, input.user.id, now.toISOString()).lastInsertRowid)
    writeAudit(conn, { actorId: input.user.id, actorRole: 'clerk', action: 'case.extension.request', subject: row.caseNo, detail: { request: id, days: input.days, reason: redactForLog(reason, Infinity) }, ip: input.ip })
    tellHeadsOfRequest(conn, { caseNo: row.caseNo, departmentCode: row.departmentCode, requestedBy: input.user.id, days: input.days, deadline: row.deadline, at: now.toISOString() })
    return caseDetail(conn, row, input.user, now)
  })
}

interface DecisionInput { caseNo: string, request: number, approve: boolean, comment?: string | null, version: number, user: Staff, now?: Date, ip?: string | null }

/**
 * The head of the department decides the open request `request`: approved, the case is extended by
 * the days asked, with the clerk's reason for the applicant, as the head's own act (transitions.ts,
 * which also closes the request); declined, with the reason `comment` for the clerk, and the clerk
 * may ask again. 403 to anyone but the head; 409 once the request is no longer open.
 */
export function decideExtension(conn: Connection, input: DecisionInput): CaseDetail {
  const now = input.now ?? new Date()
  return writeTransaction(conn, () => {
    const row = caseToActOn(conn, input.caseNo, input.version, input.user)
    if (!isDepartmentHead(conn, input.user.id, row.departmentCode)) {
      throw new CaseError(403, 'Only the head of the department decides a request to extend a time limit', { reason: 'notHead' })
    }
    const open = openExtensionRequest(conn, row.caseNo)
    if (!open || open.id !== input.request) throw new CaseError(409, 'This request is no longer waiting for a decision: reload the case', { reason: 'decided' })
    if (input.approve) {
      if (input.comment?.trim()) throw caseInvalid({ comment: 'case.errors.notForAction' })
      return applyTransition(conn, { caseNo: row.caseNo, action: 'extend', days: open.days, comment: open.reason, version: input.version, user: input.user, now, ip: input.ip })
    }
    const reason = reasonOf(input.comment)
    conn.sqlite.prepare(`UPDATE extension_requests SET outcome = 'declined', decided_by = ?, decided_at = ?, decline_reason = ? WHERE id = ?`)
      .run(input.user.id, now.toISOString(), reason, open.id)
    writeAudit(conn, { actorId: input.user.id, actorRole: 'clerk', action: 'case.extension.decline', subject: row.caseNo, detail: { request: open.id, reason: redactForLog(reason, Infinity) }, ip: input.ip })
    tellRequesterOfDecision(conn, { caseNo: row.caseNo, requestedBy: open.requestedById, decidedBy: input.user.id, approved: false, deadline: row.deadline, at: now.toISOString() })
    return caseDetail(conn, row, input.user, now)
  })
}

export type { PendingExtension }

/**
 * The requests waiting for this head's decision: those of their department's cases that may still
 * be extended, the soonest deadline first (a request not decided by then goes nowhere). Null for a
 * clerk who is not a head. The reason is masked as on the case's page for anyone but its author.
 */
export function pendingExtensions(conn: Connection, user: Staff, now = new Date()): PendingExtension[] | null {
  if (user.role !== 'clerk' || !isDepartmentHead(conn, user.id, user.departmentCode)) return null
  const rows = conn.sqlite.prepare(`SELECT r.id, r.case_no AS caseNo, s.name AS serviceName, s.name_en AS serviceNameEn, c.deadline, r.days, r.reason,
      q.name AS requestedBy, r.requested_by AS requestedById, r.requested_at AS requestedAt
    FROM extension_requests r CROSS JOIN cases c ON c.case_no = r.case_no JOIN services s ON s.code = c.service_code JOIN users q ON q.id = r.requested_by
    WHERE c.department_code = :department AND ${AWAITING_DECISION}
    ORDER BY c.deadline, r.id`).all({ department: user.departmentCode, today: shanghaiDateOf(now) }) as (PendingExtension & { requestedById: number })[]
  return rows.map(({ requestedById, ...r }) => (requestedById === user.id ? r : { ...r, reason: maskPersonalNumbers(r.reason) }))
}
