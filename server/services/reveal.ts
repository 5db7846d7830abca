/**
 * Revealing a full ID number to staff whose work needs it. The value is returned only after the
 * audit row `pii.reveal` is written, so no reveal goes unrecorded; the row names who, what and
 * for which case, never the value itself. Call it inside the caller's write transaction.
 */
import type { Connection } from '../../db/client'
import { writeAudit } from './audit'

export interface RevealRequest {
  actor: { id: number, role: string }
  /** the case the reveal is for, when there is one */
  caseNo?: string | null
  /** whose number it is, e.g. `user:12` or `case:SZ2026…:applicant` */
  subject: string
  value: string
  ip?: string | null
}

/** Writes the `pii.reveal` audit row and returns the full value. */
export function revealIdNumber(conn: Connection, r: RevealRequest): string {
  writeAudit(conn, {
    actorId: r.actor.id,
    actorRole: r.actor.role,
    action: 'pii.reveal',
    subject: r.caseNo ?? r.subject,
    detail: { field: 'idNumber', subject: r.subject, ...(r.caseNo ? { caseNo: r.caseNo } : {}) },
    ip: r.ip ?? null,
  })
  return r.value
}
