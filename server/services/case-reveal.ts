/**
 * Showing a case's full ID number to the clerk of its department, for checking the person at the
 * counter or against another register. Every reveal leaves an audit row (`pii.reveal`).
 */
import type { Connection } from '../../db/client'
import { writeAudit } from './audit'

export function revealCaseIdNumber(conn: Connection, caseNo: string, clerk: { id: number, role: string, departmentCode: string | null }, ip?: string | null): { caseNo: string, idNumber: string } | null {
  if (clerk.role !== 'clerk' || !clerk.departmentCode) return null
  const row = conn.sqlite.prepare('SELECT applicant_id_number AS idNumber FROM cases WHERE case_no = ? AND department_code = ?')
    .get(caseNo, clerk.departmentCode) as { idNumber: string } | undefined
  if (!row) return null
  writeAudit(conn, { actorId: clerk.id, actorRole: clerk.role, action: 'pii.reveal', subject: caseNo, detail: { field: 'applicantIdNumber' }, ip })
  return { caseNo, idNumber: row.idNumber }
}
