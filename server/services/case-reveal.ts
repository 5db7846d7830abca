/**
 * Showing a case's full ID number to the clerk of its department, for checking the person at the
 * counter or against another register. The audit row (`pii.reveal`) is written by reveal.ts
 * before the value is returned, so no reveal goes unrecorded.
 */
import type { Connection } from '../../db/client'
import { revealIdNumber } from './reveal'

export function revealCaseIdNumber(conn: Connection, caseNo: string, clerk: { id: number, role: string, departmentCode: string | null }, ip?: string | null): { caseNo: string, idNumber: string } | null {
  if (clerk.role !== 'clerk' || !clerk.departmentCode) return null
  const row = conn.sqlite.prepare('SELECT applicant_id_number AS idNumber FROM cases WHERE case_no = ? AND department_code = ?')
    .get(caseNo, clerk.departmentCode) as { idNumber: string } | undefined
  if (!row) return null
  const idNumber = revealIdNumber(conn, { actor: clerk, caseNo, subject: `case:${caseNo}:applicant`, value: row.idNumber, ip })
  return { caseNo, idNumber }
}
