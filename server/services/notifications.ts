/**
 * Telling applicants what happened to their case: an in-app message, and an SMS written to the
 * outbox in the same transaction as the change, so a crash never loses or duplicates one. The
 * sender (server/services/outbox-sender.ts) delivers the outbox later, retrying until it succeeds.
 */
import type { Connection } from '../../db/client'

export interface CaseNotice {
  caseNo: string
  applicantId: number | null
  mobile: string | null
  /** what happened, e.g. 'submitted', 'accepted', 'supplement', 'approved' */
  kind: string
  /** the event row this notice is about: makes the outbox entry unique */
  eventId: number
  params?: Record<string, string | number>
  at: string
}

export function notifyApplicant(conn: Connection, n: CaseNotice): void {
  const params = { caseNo: n.caseNo, ...n.params }
  if (n.applicantId) {
    conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)')
      .run(n.applicantId, n.caseNo, n.at, n.kind, JSON.stringify(params))
  }
  if (n.mobile) {
    conn.sqlite.prepare(`INSERT INTO outbox (dedupe_key, channel, recipient, template, params, created_at, next_attempt_at)
      VALUES (?, 'sms', ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`)
      .run(`case:${n.caseNo}:event:${n.eventId}:sms`, n.mobile, `case.${n.kind}`, JSON.stringify(params), n.at, n.at)
  }
}
