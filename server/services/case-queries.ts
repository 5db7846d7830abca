/**
 * Lists of cases: a citizen's own (newest first), a clerk's department queue (soonest deadline
 * first, with counts per status for the filter tabs), every case for a manager.
 */
import type { Connection } from '../../db/client'
import { maskName } from '../../shared/utils/mask'
import type { Page } from '../../shared/utils/query'
import type { Status } from '../../shared/utils/workflow'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import type { DeadlineStatus } from '../../shared/utils/working-days'
import { loadCalendar } from './calendar'
import { flagOf, visibilityCondition } from './case-views'
import type { CaseViewer } from './case-views'

/** `open`: every case still in progress (not decided, refused or withdrawn). */
export const OPEN_STATUSES: readonly Status[] = ['submitted', 'supplement', 'accepted', 'suspended']

export interface CaseListItem {
  caseNo: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  status: Status
  channel: 'online' | 'counter'
  submittedAt: string
  deadline: string
  overdue: boolean
  deadlineStatus: DeadlineStatus
  /** for staff only: who applied, masked (张**) */
  applicantMasked?: string
}

export interface CaseListFilter { status?: Status | 'open', q?: string, page: number, pageSize: number }

export type CaseList = Page<CaseListItem> & { counts?: Partial<Record<Status, number>> }

interface ListRow { caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, status: Status, channel: 'online' | 'counter', submittedAt: string, deadline: string, applicantName: string }

export function listCases(conn: Connection, viewer: CaseViewer, f: CaseListFilter, now = new Date()): CaseList {
  const v = visibilityCondition(viewer)
  const where = [v.sql]
  const params: Record<string, string | number> = { ...v.params }
  if (f.status === 'open') where.push(`c.status IN (${OPEN_STATUSES.map(s => `'${s}'`).join(', ')})`)
  else if (f.status) {
    where.push('c.status = :status')
    params.status = f.status
  }
  if (f.q) {
    where.push('c.case_no LIKE :prefix')
    params.prefix = `${f.q.toUpperCase()}%`
  }
  const order = viewer.role === 'clerk' ? 'c.deadline ASC, c.submitted_at ASC' : 'c.submitted_at DESC, c.case_no DESC'
  const whereSql = where.join(' AND ')
  const countAll = () => (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c WHERE ${whereSql}`).get(params) as { n: number }).n
  const total = (f.q ? null : countedTotal(conn, viewer, f.status)) ?? countAll()
  const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      c.status, c.channel, c.submitted_at AS submittedAt, c.deadline, c.applicant_name AS applicantName
    FROM cases c JOIN services s ON s.code = c.service_code WHERE ${whereSql} ORDER BY ${order} LIMIT :limit OFFSET :offset`)
    .all({ ...params, limit: f.pageSize, offset: (f.page - 1) * f.pageSize }) as ListRow[]
  const today = shanghaiDateOf(now)
  const cal = loadCalendar(conn)
  const staff = viewer.role !== 'citizen'
  const items = rows.map(({ applicantName, ...r }): CaseListItem => ({
    ...r, ...flagOf(r.status, r.deadline, today, cal), ...(staff ? { applicantMasked: maskName(applicantName) } : {}),
  }))
  const list: CaseList = { items, total, page: f.page, pageSize: f.pageSize }
  if (viewer.role === 'clerk') list.counts = statusCounts(conn, viewer)
  return list
}

/**
 * Staff totals from case_status_counts (kept by triggers): counting a department's or the city's
 * whole history on every page grew with the data (npm run bench). Null for citizens.
 */
function countedTotal(conn: Connection, viewer: CaseViewer, status: Status | 'open' | undefined): number | null {
  const scope = viewer.role === 'clerk' && viewer.departmentCode ? viewer.departmentCode : viewer.role === 'manager' ? null : undefined
  if (scope === undefined) return null
  const statuses = status === 'open' ? OPEN_STATUSES : status ? [status] : null
  const rows = conn.sqlite.prepare(`SELECT status, n FROM case_status_counts WHERE (? IS NULL OR department_code = ?)`).all(scope, scope) as { status: Status, n: number }[]
  return rows.filter(r => !statuses || statuses.includes(r.status)).reduce((sum, r) => sum + r.n, 0)
}

/** How many of the department's cases are in each status (the filter tabs). */
export function statusCounts(conn: Connection, viewer: CaseViewer): Partial<Record<Status, number>> {
  if (viewer.role === 'clerk' && viewer.departmentCode) {
    const counted = conn.sqlite.prepare('SELECT status, n FROM case_status_counts WHERE department_code = ? AND n > 0').all(viewer.departmentCode) as { status: Status, n: number }[]
    return Object.fromEntries(counted.map(r => [r.status, r.n]))
  }
  const v = visibilityCondition(viewer)
  const rows = conn.sqlite.prepare(`SELECT c.status, count(*) AS n FROM cases c WHERE ${v.sql} GROUP BY c.status`).all(v.params) as { status: Status, n: number }[]
  return Object.fromEntries(rows.map(r => [r.status, r.n]))
}
