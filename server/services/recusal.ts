/**
 * 回避 (recusal): a civil servant does not handle a matter of their own. A staff account may hold
 * its holder's own ID number (users.staff_id_number, set from the console: staff-accounts.ts); a
 * clerk whose number is the applicant's takes in, decides and revokes nothing of that case, which
 * another clerk of the department handles. Their staff account is never the case's applicant
 * account (staff do not apply), so the number is the only way to know. Relatives and other
 * conflicts of interest are declared, not computed: beyond what the portal can see.
 */
import type { Connection } from '../../db/client'
import { normalizeIdNumber } from '../../shared/utils/id-number'

/** The staff member's own ID number on record (null for citizens and for staff with none). */
export function staffIdNumber(conn: Connection, staff: { id: number, role: string }): string | null {
  if (staff.role === 'citizen') return null
  return (conn.sqlite.prepare('SELECT staff_id_number FROM users WHERE id = ?').pluck().get(staff.id) as string | null | undefined) ?? null
}

/** Whether `applicantIdNumber` is `own`, a number staffIdNumber read (for a list: one read for all its rows). */
export function isOwnNumber(own: string | null, applicantIdNumber: string | null): boolean {
  return !!own && !!applicantIdNumber && own === normalizeIdNumber(applicantIdNumber)
}

/** Whether `applicantIdNumber` is the staff member's own (false for citizens and for staff with no number on record). */
export function isOwnCase(conn: Connection, staff: { id: number, role: string }, applicantIdNumber: string | null): boolean {
  if (!applicantIdNumber) return false
  return isOwnNumber(staffIdNumber(conn, staff), applicantIdNumber)
}
