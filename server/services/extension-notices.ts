/**
 * Telling staff about requests to extend a time limit, as in-app messages (站内消息, the same
 * messages applicants get): a request reaches the heads of the department, a decision the clerk
 * who asked. A request is worth something only before the deadline, and neither side would
 * otherwise learn of it without opening the right page in time. Written in the transaction of the
 * request or decision, so a message never tells of something that did not happen.
 */
import type { Connection } from '../../db/client'
import { activeHeadsOf } from './department-heads'

export type ExtensionNoticeKind = 'extensionRequested' | 'extensionApproved' | 'extensionDeclined'

function tell(conn: Connection, userIds: readonly number[], caseNo: string, kind: ExtensionNoticeKind, params: Record<string, string | number>, at: string): void {
  const insert = conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)')
  const text = JSON.stringify({ caseNo, ...params })
  for (const id of userIds) insert.run(id, caseNo, at, kind, text)
}

const nameOf = (conn: Connection, userId: number) => conn.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck().get(userId) as string

/** A clerk asked: the heads read who asked, for how many days and by when the case is due now. */
export function tellHeadsOfRequest(conn: Connection, r: { caseNo: string, departmentCode: string, requestedBy: number, days: number, deadline: string, at: string }): void {
  tell(conn, activeHeadsOf(conn, r.departmentCode), r.caseNo, 'extensionRequested', { requestedBy: nameOf(conn, r.requestedBy), extensionDays: r.days, deadline: r.deadline }, r.at)
}

/**
 * The head decided: the clerk who asked reads who decided and the case's deadline, the new one or
 * the one that stays. A declined request's reason is on the case's page, not in the message.
 */
export function tellRequesterOfDecision(conn: Connection, d: { caseNo: string, requestedBy: number, decidedBy: number, approved: boolean, deadline: string, at: string }): void {
  tell(conn, [d.requestedBy], d.caseNo, d.approved ? 'extensionApproved' : 'extensionDeclined', { decidedBy: nameOf(conn, d.decidedBy), deadline: d.deadline }, d.at)
}
