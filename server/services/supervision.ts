/**
 * Electronic supervision (电子监察) for managers: the cases across departments that are overdue
 * or near their deadline, and per department how many cases were completed on time or late in a
 * period and how many open ones are overdue now.
 */
import type { Connection } from '../../db/client'
import { deadlineStatus, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import type { DeadlineStatus } from '../../shared/utils/working-days'
import { loadCalendar, workingDaysAfter } from './calendar'

export interface SupervisedCase {
  caseNo: string
  serviceCode: string
  serviceName: string
  /** added for English pages; the fields above are unchanged */
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  status: string
  deadline: string
  deadlineStatus: DeadlineStatus
  /** working days left (negative: days overdue) */
  workingDaysLeft: number
}

export interface DepartmentSupervision {
  code: string
  name: string
  nameEn: string
  completed: number
  completedOnTime: number
  completedLate: number
  openOverdue: number
  openNear: number
}

export interface Supervision { today: string, from: string, to: string, cases: SupervisedCase[], departments: DepartmentSupervision[] }

export const SUPERVISION_LIMIT = 500

interface Row { caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, deptCode: string, deptName: string, deptNameEn: string, status: string, deadline: string }

export function supervision(conn: Connection, period: { from?: string, to?: string } = {}, now = new Date()): Supervision {
  const cal = loadCalendar(conn)
  const today = shanghaiDateOf(now)
  const nearLimit = workingDaysAfter(conn, today, 2)
  const from = period.from ?? `${today.slice(0, 4)}-01-01`
  const to = period.to ?? today
  const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn, d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn, c.status, c.deadline
    FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
    WHERE c.status IN ('submitted', 'accepted') AND c.deadline <= ? ORDER BY c.deadline, c.case_no LIMIT ?`).all(nearLimit, SUPERVISION_LIMIT) as Row[]
  const cases = rows.map((r): SupervisedCase => ({
    caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn, department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
    status: r.status, deadline: r.deadline, deadlineStatus: deadlineStatus(r.deadline, today, cal), workingDaysLeft: workingDaysBetween(today, r.deadline, cal),
  }))
  const departments = conn.sqlite.prepare(`SELECT d.code, d.name, d.name_en AS nameEn,
      coalesce((SELECT sum(completed) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completed,
      coalesce((SELECT sum(completed_on_time) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completedOnTime,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND c.status IN ('submitted', 'accepted') AND c.deadline < :today) AS openOverdue,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND c.status IN ('submitted', 'accepted') AND c.deadline BETWEEN :today AND :near) AS openNear
    FROM departments d ORDER BY d.code`).all({ from, to, today, near: nearLimit }) as Omit<DepartmentSupervision, 'completedLate'>[]
  return {
    today, from, to, cases,
    departments: departments.map(d => ({ ...d, completedLate: d.completed - d.completedOnTime })),
  }
}
