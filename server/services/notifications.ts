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
  if (n.mobile) queueSms(conn, `case:${n.caseNo}:event:${n.eventId}:sms`, n.mobile, `case.${n.kind}`, JSON.stringify(params), n.at)
}

/**
 * Writes an SMS to the outbox, due at once, in the caller's transaction. `key` makes it unique
 * (a second write with the same key is dropped): what it is about, e.g. `case:<caseNo>:event:<id>:sms`;
 * the copy of one's data tells a person's notices by it (personal-data.ts). `params` is JSON text.
 * `provenNumber`: a code's SMS for an owner who proved the number theirs (sms-codes.ts).
 */
export function queueSms(conn: Connection, key: string, mobile: string, template: string, params: string, at: string, provenNumber = false): void {
  conn.sqlite.prepare(`INSERT INTO outbox (dedupe_key, channel, recipient, template, params, created_at, next_attempt_at, proven_number)
    VALUES (?, 'sms', ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`).run(key, mobile, template, params, at, at, provenNumber ? 1 : 0)
}
