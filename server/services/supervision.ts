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

/** One list of flagged cases, paged like every other list, with the total so a cut list says so. */
export interface SupervisedPage { items: SupervisedCase[], total: number, page: number, pageSize: number }

export interface Supervision {
  today: string
  from: string
  to: string
  /** kept for existing clients: the first SUPERVISION_LIMIT flagged cases by deadline (overdue before near) */
  cases: SupervisedCase[]
  /** how many cases are flagged in all (overdue.total + near.total); more than cases.length when cut */
  casesTotal: number
  /** open cases past their deadline, oldest deadline first */
  overdue: SupervisedPage
  /** open cases due today or within the next 2 working days, each its own list: before, 500 overdue ones crowded them out */
  near: SupervisedPage
  departments: DepartmentSupervision[]
}

export const SUPERVISION_LIMIT = 500

export interface SupervisionOptions { from?: string, to?: string, overduePage?: number, nearPage?: number, pageSize?: number }

interface Row { caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, deptCode: string, deptName: string, deptNameEn: string, status: string, deadline: string }

/** The period of the on-time counts, defaults filled in: this year up to today (Asia/Shanghai). */
export function supervisionPeriod(period: { from?: string, to?: string }, now = new Date()): { from: string, to: string } {
  const today = shanghaiDateOf(now)
  return { from: period.from ?? `${today.slice(0, 4)}-01-01`, to: period.to ?? today }
}

// the same split as the departments' openOverdue / openNear below
const BANDS = {
  overdue: 'c.deadline < :today',
  near: 'c.deadline BETWEEN :today AND :near',
} as const
type Band = keyof typeof BANDS

/**
 * Open cases (submitted, accepted) past their deadline on `today`, per department that has any:
 * supervision's and the online-rate report's "overdue now". One count per department, so that
 * cases_dept_queue_idx (department, status, deadline) answers it without reading a case row.
 */
export function openOverdueByDepartment(conn: Connection, today: string): Map<string, number> {
  const rows = conn.sqlite.prepare(`SELECT d.code, (SELECT count(*) FROM cases c
      WHERE c.department_code = d.code AND c.status IN ('submitted', 'accepted') AND c.deadline < ?) AS n FROM departments d`)
    .all(today) as { code: string, n: number }[]
  return new Map(rows.filter(r => r.n > 0).map(r => [r.code, r.n]))
}

export function supervision(conn: Connection, options: SupervisionOptions = {}, now = new Date()): Supervision {
  const cal = loadCalendar(conn)
  const today = shanghaiDateOf(now)
  const bounds = { today, near: workingDaysAfter(conn, today, 2) }
  const { from, to } = supervisionPeriod(options, now)
  const pageSize = options.pageSize ?? 20

  const count = (band: Band) => (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c
    WHERE c.status IN ('submitted', 'accepted') AND ${BANDS[band]}`).get(bounds) as { n: number }).n
  const list = (band: Band, limit: number, offset: number): SupervisedCase[] => {
    if (limit <= 0) return []
    const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
        d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn, c.status, c.deadline
      FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
      WHERE c.status IN ('submitted', 'accepted') AND ${BANDS[band]} ORDER BY c.deadline, c.case_no LIMIT :limit OFFSET :offset`)
      .all({ ...bounds, limit, offset }) as Row[]
    return rows.map(r => ({
      caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn, department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
      status: r.status, deadline: r.deadline, deadlineStatus: deadlineStatus(r.deadline, today, cal), workingDaysLeft: workingDaysBetween(today, r.deadline, cal),
    }))
  }
  const paged = (band: Band, page = 1): SupervisedPage =>
    ({ items: list(band, pageSize, (page - 1) * pageSize), total: count(band), page, pageSize })

  const overdue = paged('overdue', options.overduePage)
  const near = paged('near', options.nearPage)
  // overdue deadlines all come before near ones, so this is the old single list, deadline order, cut at the limit
  const oldOverdue = list('overdue', SUPERVISION_LIMIT, 0)
  const cases = [...oldOverdue, ...list('near', SUPERVISION_LIMIT - oldOverdue.length, 0)]
  const departments = conn.sqlite.prepare(`SELECT d.code, d.name, d.name_en AS nameEn,
      coalesce((SELECT sum(completed) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completed,
      coalesce((SELECT sum(completed_on_time) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completedOnTime,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND c.status IN ('submitted', 'accepted') AND c.deadline BETWEEN :today AND :near) AS openNear
    FROM departments d ORDER BY d.code`).all({ from, to, ...bounds }) as Omit<DepartmentSupervision, 'completedLate' | 'openOverdue'>[]
  const openOverdue = openOverdueByDepartment(conn, today)
  return {
    today, from, to, cases, casesTotal: overdue.total + near.total, overdue, near,
    departments: departments.map(d => ({ ...d, completedLate: d.completed - d.completedOnTime, openOverdue: openOverdue.get(d.code) ?? 0 })),
  }
}
