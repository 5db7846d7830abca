/**
 * Electronic results (电子证照). An approved case whose item names a result gets one at once:
 * a record with its holder, number, validity and a verification code that the QR code carries.
 */
import { randomBytes } from 'node:crypto'
import type { Connection } from '../../db/client'

/** How long a result stays valid when the item does not say otherwise. */
export const DEFAULT_VALIDITY_YEARS = 5

export interface ApprovedCase { caseNo: string, serviceCode: string, applicantId: number | null, applicantName: string, applicantIdNumber: string }

/** Unguessable, unambiguous (no 0/O, 1/I/L), readable aloud: 16 characters from 32. */
export function newVerificationCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
  return [...randomBytes(16)].map(b => alphabet[b % alphabet.length]).join('')
}

/** Call inside the approval's transaction; returns the verification code, or null when the item has no result. */
export function issueResultOnApproval(conn: Connection, c: ApprovedCase, now = new Date()): string | null {
  const service = conn.sqlite.prepare('SELECT result_name AS resultName FROM services WHERE code = ?').get(c.serviceCode) as { resultName: string | null } | undefined
  if (!service?.resultName) return null
  const code = newVerificationCode()
  const validUntil = new Date(now)
  validUntil.setUTCFullYear(validUntil.getUTCFullYear() + DEFAULT_VALIDITY_YEARS)
  conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_name, holder_id_number, number, issued_at, valid_until)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(code, c.caseNo, c.serviceCode, c.applicantId, c.applicantName, c.applicantIdNumber,
    `${c.serviceCode}-${c.caseNo.slice(2)}`, now.toISOString(), validUntil.toISOString().slice(0, 10))
  return code
}
