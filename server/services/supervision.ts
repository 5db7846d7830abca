/**
 * Electronic supervision (电子监察) for managers: the cases across departments that are overdue
 * or near their deadline, and per department how many cases were completed on time or late in a
 * period, how many acceptance decisions were late, and how many open ones are overdue now; how
 * many were completed only after their time limit was extended, how many clerks' requests to
 * extend wait for the head's decision, and whether it has a head to decide them at all; and how
 * many follow-ups of bad ratings are unanswered and past their deadline.
 *
 * Overdue now: a case whose department's clock runs (submitted, accepted) past its deadline, and
 * a suspended case that was already past it when suspended. Suspension stops the clock by law, so
 * a case suspended in time is not overdue while suspended; but suspending a late case must not
 * take it off supervision until it is resumed.
 */
import type { Connection } from '../../db/client'
import type { DepartmentSupervision, SupervisedCase, SupervisedPage, Supervision } from '../../shared/types/supervision'
import type { OpenRectifications, SupervisionWithRectifications } from '../../shared/types/supervision-rectifications'
import { acceptanceRates } from '../../shared/utils/rates'
import { deadlineStatus, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import { loadCalendar, workingDaysAfter } from './calendar'
import { ACTIVE_HEAD, AWAITING_DECISION } from './department-heads'
import { reportPeriod } from './report-period'

export type { DepartmentSupervision, OpenRectifications, SupervisedCase, SupervisedPage, Supervision, SupervisionWithRectifications }

export const SUPERVISION_LIMIT = 500

export interface SupervisionOptions { from?: string, to?: string, overduePage?: number, nearPage?: number, pausedPage?: number, lapsedPage?: number, pageSize?: number }

interface Row { caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, deptCode: string, deptName: string, deptNameEn: string, status: string, deadline: string, suspendedSince: string | null }

/** A running case past its deadline (on table alias `c`, parameter :today). */
const RUNNING_OVERDUE = `c.status IN ('submitted', 'accepted') AND c.deadline < :today`
/**
 * A case whose clock was stopped (suspended, or returned to the applicant for corrections) when it
 * was already past its deadline (the deadline stays put while it waits): stopping a late case's
 * clock must not take it off supervision. suspended_since holds the day either began.
 */
const SUSPENDED_OVERDUE = `c.status IN ('suspended', 'supplement') AND c.deadline < :today AND c.suspended_since > c.deadline`

// the same split as the departments' openOverdue / openNear below; each band is one or more
// conditions counted apart, so that every count reads an index range (status, deadline)
const BANDS = {
  overdue: [RUNNING_OVERDUE, SUSPENDED_OVERDUE],
  near: [`c.status IN ('submitted', 'accepted') AND c.deadline BETWEEN :today AND :near`],
} as const
type Band = keyof typeof BANDS

/**
 * A case suspended in time (the others are overdue): its clock stands still on the department's
 * word (行政许可法 第四十五条, told to the applicant with the time it needs), so a suspension never
 * resumed would make a case late on no list. Listed the longest suspended first.
 */
const SUSPENDED_IN_TIME = `c.status = 'suspended' AND (c.suspended_since IS NULL OR c.suspended_since <= c.deadline)`

/**
 * Cases overdue on `today` (running past their deadline, or suspended when already past it), per
 * department that has any: supervision's and the online-rate report's "overdue now". Counted per
 * department, so that cases_dept_queue_idx (department, status, deadline) answers the running ones
 * without reading a case row; of the suspended ones only those past their deadline are read.
 */
export function openOverdueByDepartment(conn: Connection, today: string): Map<string, number> {
  const rows = conn.sqlite.prepare(`SELECT d.code,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND ${RUNNING_OVERDUE})
      + (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND ${SUSPENDED_OVERDUE}) AS n FROM departments d`)
    .all({ today }) as { code: string, n: number }[]
  return new Map(rows.filter(r => r.n > 0).map(r => [r.code, r.n]))
}

/** The page `page` of the cases suspended in time (SUSPENDED_IN_TIME), with how long each has been and was said to need. */
function pausedCases(conn: Connection, today: string, cal: ReturnType<typeof loadCalendar>, page: number, pageSize: number): SupervisedPage {
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c WHERE ${SUSPENDED_IN_TIME}`).get() as { n: number }).n
  const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn, c.status, c.deadline, c.suspended_since AS suspendedSince,
      (SELECT e.notice ->> '$.suspension.expectedDays' FROM case_events e WHERE e.case_no = c.case_no AND e.action = 'suspend' ORDER BY e.id DESC LIMIT 1) AS expectedDays
    FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
    WHERE ${SUSPENDED_IN_TIME} ORDER BY c.suspended_since, c.case_no LIMIT ? OFFSET ?`)
    .all(pageSize, (page - 1) * pageSize) as (Row & { expectedDays: number | null })[]
  const items = rows.map(r => ({
    caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn, department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
    status: r.status, deadline: r.deadline, deadlineStatus: deadlineStatus(r.deadline, today, cal),
    workingDaysLeft: workingDaysLeft(r.deadline, today, cal, r.suspendedSince), suspendedSince: r.suspendedSince,
    pausedDays: r.suspendedSince ? daysFrom(r.suspendedSince, today) : 0, expectedDays: r.expectedDays,
  }))
  return { items, total, page, pageSize }
}

/**
 * A case returned for corrections whose period to correct (补正期限, the notice's `due`) has run
 * out with nothing resubmitted: the department is to record it withdrawn (`lapse`, 视为撤回) or
 * take the late correction when it comes, and nothing does either by itself. Returned in time, such
 * a case is on no other list, its clock stopped for good; returned late, it is overdue as well. A
 * notice given before periods were has no `due`, and never lapses (shared/utils/workflow.ts).
 */
const CORRECTION_LAPSED = `c.status = 'supplement' AND c.supplement_notice ->> '$.due' < :today`

/** The page `page` of the cases whose period to correct has run out (CORRECTION_LAPSED), the longest lapsed first. */
function lapsedCorrections(conn: Connection, today: string, cal: ReturnType<typeof loadCalendar>, page: number, pageSize: number): SupervisedPage {
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c WHERE ${CORRECTION_LAPSED}`).get({ today }) as { n: number }).n
  const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn, c.status, c.deadline, c.suspended_since AS suspendedSince,
      c.supplement_notice ->> '$.due' AS correctionDue
    FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
    WHERE ${CORRECTION_LAPSED} ORDER BY correctionDue, c.case_no LIMIT :limit OFFSET :offset`)
    .all({ today, limit: pageSize, offset: (page - 1) * pageSize }) as (Row & { correctionDue: string })[]
  const items = rows.map((r) => {
    const overdue = r.suspendedSince !== null && r.suspendedSince > r.deadline
    return {
      caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn, department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
      status: r.status, deadline: r.deadline, deadlineStatus: overdue ? 'overdue' as const : 'paused' as const,
      workingDaysLeft: workingDaysLeft(r.deadline, today, cal, r.suspendedSince), suspendedSince: r.suspendedSince,
      correctionDue: r.correctionDue, workingDaysPastCorrectionDue: Math.max(1, workingDaysBetween(r.correctionDue, today, cal)),
    }
  })
  return { items, total, page, pageSize }
}

/** Natural days from `from` to `to` (ISO dates). */
const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)

/** Working days left, negative and at least 1 when overdue (never -0); a suspended case's count stops when it did. */
export function workingDaysLeft(deadline: string, today: string, cal: ReturnType<typeof loadCalendar>, suspendedSince: string | null = null): number {
  const until = suspendedSince ?? today
  if (until > deadline) return -Math.max(1, workingDaysBetween(deadline, until, cal))
  // due today or later: 0 or more, a positive 0 (workingDaysBetween counts up from 0)
  return workingDaysBetween(today, deadline, cal)
}

/**
 * Follow-ups of bad ratings not yet answered, city-wide, and those past their deadline on `today`
 * (the rectification list's `overdue`: unanswered and today after the deadline).
 */
export function openRectifications(conn: Connection, today: string): OpenRectifications {
  return conn.sqlite.prepare(`SELECT count(*) AS open, coalesce(sum(deadline < ?), 0) AS overdue FROM rectifications WHERE answer IS NULL`)
    .get(today) as OpenRectifications
}

export function supervision(conn: Connection, options: SupervisionOptions = {}, now = new Date()): SupervisionWithRectifications {
  const cal = loadCalendar(conn)
  const today = shanghaiDateOf(now)
  const bounds = { today, near: workingDaysAfter(conn, today, 2) }
  // the same default as the dashboard and the satisfaction page, so their figures agree
  const { from, to } = reportPeriod(options, now)
  const pageSize = options.pageSize ?? 20

  const count = (band: Band) => BANDS[band].reduce((n, where) =>
    n + (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c WHERE ${where}`).get(bounds) as { n: number }).n, 0)
  const list = (band: Band, limit: number, offset: number): SupervisedCase[] => {
    if (limit <= 0) return []
    const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
        d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn, c.status, c.deadline,
        CASE WHEN c.status IN ('suspended', 'supplement') THEN c.suspended_since END AS suspendedSince
      FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
      WHERE ${BANDS[band].map(w => `(${w})`).join(' OR ')} ORDER BY c.deadline, c.case_no LIMIT :limit OFFSET :offset`)
      .all({ ...bounds, limit, offset }) as Row[]
    return rows.map(r => ({
      caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn, department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
      status: r.status, deadline: r.deadline, deadlineStatus: deadlineStatus(r.deadline, today, cal),
      workingDaysLeft: workingDaysLeft(r.deadline, today, cal, r.suspendedSince), suspendedSince: r.suspendedSince,
    }))
  }
  const paged = (band: Band, page = 1): SupervisedPage =>
    ({ items: list(band, pageSize, (page - 1) * pageSize), total: count(band), page, pageSize })

  const overdue = paged('overdue', options.overduePage)
  const near = paged('near', options.nearPage)
  const paused = pausedCases(conn, today, cal, options.pausedPage ?? 1, pageSize)
  const correctionsLapsed = lapsedCorrections(conn, today, cal, options.lapsedPage ?? 1, pageSize)
  // overdue deadlines all come before near ones, so this is the old single list, deadline order, cut at the limit
  const oldOverdue = list('overdue', SUPERVISION_LIMIT, 0)
  const cases = [...oldOverdue, ...list('near', SUPERVISION_LIMIT - oldOverdue.length, 0)]
  const departments = conn.sqlite.prepare(`SELECT d.code, d.name, d.name_en AS nameEn,
      coalesce((SELECT sum(completed) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completed,
      coalesce((SELECT sum(completed_on_time) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completedOnTime,
      coalesce((SELECT sum(acceptance_decided) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS decided,
      coalesce((SELECT sum(acceptance_late) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS late,
      coalesce((SELECT sum(completed_extended) FROM case_daily k WHERE k.department_code = d.code AND k.day BETWEEN :from AND :to), 0) AS completedExtended,
      (SELECT count(*) FROM extension_requests r CROSS JOIN cases c ON c.case_no = r.case_no WHERE c.department_code = d.code AND ${AWAITING_DECISION}) AS extensionsAwaiting,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND c.status IN ('submitted', 'accepted') AND c.deadline BETWEEN :today AND :near) AS openNear,
      (SELECT count(*) FROM cases c WHERE c.department_code = d.code AND ${CORRECTION_LAPSED}) AS correctionsLapsed,
      EXISTS (SELECT 1 FROM users u WHERE u.department_code = d.code AND ${ACTIVE_HEAD}) AS hasHead
    FROM departments d ORDER BY d.code`).all({ from, to, ...bounds }) as (Pick<DepartmentSupervision, 'code' | 'name' | 'nameEn' | 'completed' | 'completedOnTime' | 'completedExtended' | 'openNear' | 'correctionsLapsed' | 'extensionsAwaiting'> & { decided: number, late: number, hasHead: 0 | 1 })[]
  const openOverdue = openOverdueByDepartment(conn, today)
  return {
    today, from, to, cases, casesTotal: overdue.total + near.total, overdue, near, paused, correctionsLapsed,
    rectifications: openRectifications(conn, today),
    departments: departments.map(({ decided, late, hasHead, ...d }) => ({
      ...d, hasHead: hasHead === 1, completedLate: d.completed - d.completedOnTime, openOverdue: openOverdue.get(d.code) ?? 0, ...acceptanceRates({ decided, late }),
    })),
  }
}
