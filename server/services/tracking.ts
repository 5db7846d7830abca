/**
 * Public tracking (办件查询): a case number and the applicant's ID number together show the
 * progress of one case. Nothing personal is returned, and a wrong pair is simply not found, so
 * the endpoint tells a stranger nothing about whether a case number exists.
 */
import type { Connection } from '../../db/client'

export interface TrackedCase {
  caseNo: string
  serviceName: string
  serviceNameEn: string
  status: string
  deadline: string
  events: { at: string, action: string, to: string }[]
}

export function trackCase(conn: Connection, caseNo: string, idNumber: string): TrackedCase | null {
  // the check character X may be typed either way
  const row = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, s.name AS serviceName, s.name_en AS serviceNameEn, c.status, c.deadline
    FROM cases c JOIN services s ON s.code = c.service_code
    WHERE c.case_no = ? AND upper(c.applicant_id_number) = ?`).get(caseNo.toUpperCase(), idNumber.trim().toUpperCase()) as Omit<TrackedCase, 'events'> | undefined
  if (!row) return null
  const events = conn.sqlite.prepare('SELECT at, action, to_status AS "to" FROM case_events WHERE case_no = ? ORDER BY id').all(row.caseNo) as TrackedCase['events']
  return { ...row, events }
}
