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
  const mobile = n.mobile && caseSmsMobile(conn, n.caseNo)
  if (mobile) queueSms(conn, `case:${n.caseNo}:event:${n.eventId}:sms`, mobile, `case.${n.kind}`, JSON.stringify(params), n.at)
}

/**
 * The mobile a case's SMS may go to: the one given at the counter, where the person stood with
 * their ID card, or an online applicant's once they proved it theirs with a code
 * (mobile-verification.ts), else null. Registration takes any well-formed number: a typo, or a
 * number someone else holds, would otherwise have had every step of the case, a clerk's reasons
 * among them, sent to a stranger. The in-app message still tells the applicant.
 */
export function caseSmsMobile(conn: Connection, caseNo: string): string | null {
  const row = conn.sqlite.prepare(`SELECT c.applicant_mobile AS mobile, c.channel = 'counter'
      OR coalesce((SELECT u.mobile_verified_at IS NOT NULL AND u.mobile = c.applicant_mobile FROM users u WHERE u.id = c.applicant_id), 0) AS proven
    FROM cases c WHERE c.case_no = ?`).get(caseNo) as { mobile: string | null, proven: number } | undefined
  return row?.proven ? row.mobile : null
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
