/**
 * Lists of cases: a citizen's own (newest first), a clerk's department queue (soonest deadline
 * first, the open cases whose clock is stopped after those whose clock runs, with counts per
 * status for the filter tabs), every case for a manager.
 */
import type { Connection } from '../../db/client'
import type { CaseList, CaseListItem } from '../../shared/types/case-list'
import { isCaseNoPrefix } from '../../shared/utils/case-number'
import { maskName } from '../../shared/utils/mask'
import type { Status } from '../../shared/utils/workflow'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { loadCalendar } from './calendar'
import { listFlagOf, PAUSED_STATUSES, visibilityCondition } from './case-views'
import type { CaseViewer } from './case-views'
import { AWAITING_DECISION } from './department-heads'

export type { CaseList, CaseListItem }

/** `open`: every case still in progress (not decided, refused or withdrawn). */
export const OPEN_STATUSES: readonly Status[] = ['submitted', 'supplement', 'accepted', 'suspended']

export interface CaseListFilter { status?: Status | 'open', q?: string, page: number, pageSize: number }

interface ListRow { caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, status: Status, channel: 'online' | 'counter', submittedAt: string, deadline: string, applicantName: string, suspendedSince: string | null, correctionDue: string | null }

/**
 * One page of the cases a viewer may see, and how many there are. Each list reads only what its
 * page needs (plans at 1,000,000 cases, npm run bench's data): a manager's newest cases walk the
 * primary key backwards and stop after the page (was: the whole table sorted, 0.7–3 s); a
 * case-number search reads the prefix's range of the primary key (was: every case number, or a
 * department's whole history, 0.25 s); a clerk's open queue reads the department's open cases
 * and sorts them (was: its whole history by deadline, 0.15 s). Totals come from
 * case_status_counts but for a search (tests/unit/case-queries.test.ts checks the plans).
 */
export function listCases(conn: Connection, viewer: CaseViewer, f: CaseListFilter, now = new Date()): CaseList {
  const v = visibilityCondition(viewer)
  const range = f.q ? caseNoRange(f.q) : null
  const params: Record<string, string | number> = { ...v.params, ...range }
  if (f.status && f.status !== 'open') params.status = f.status
  const counts = scopeCounts(conn, viewer)
  const plan = planFor(conn, viewer, f, range, counts)
  const where = (by: Driver) => conditions(viewer, v.sql, f.status, !!range, by).join(' AND ')
  const counted = () => (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases c WHERE ${where(plan.count)}`).get(params) as { n: number }).n
  const total = counts && !range ? countOf(counts, f.status) : counted()
  const rows = conn.sqlite.prepare(`SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      c.status, c.channel, c.submitted_at AS submittedAt, c.deadline, c.applicant_name AS applicantName, c.suspended_since AS suspendedSince,
      CASE WHEN c.status = 'supplement' THEN json_extract(c.supplement_notice, '$.due') END AS correctionDue
    FROM cases c JOIN services s ON s.code = c.service_code WHERE ${where(plan.list)} ORDER BY ${orderOf(viewer, f.status, plan.list)} LIMIT :limit OFFSET :offset`)
    .all({ ...params, limit: f.pageSize, offset: (f.page - 1) * f.pageSize }) as ListRow[]
  const today = shanghaiDateOf(now)
  const awaiting = viewer.role === 'clerk' ? awaitingExtension(conn, rows.map(r => r.caseNo), today) : new Set<string>()
  const cal = loadCalendar(conn)
  const staff = viewer.role !== 'citizen'
  const items = rows.map(({ applicantName, suspendedSince, correctionDue, ...r }): CaseListItem => ({
    ...r, ...listFlagOf(r.status, r.deadline, today, cal, suspendedSince), ...(correctionDue ? { correctionDue } : {}),
    ...(staff ? { applicantMasked: maskName(applicantName) } : {}), ...(awaiting.has(r.caseNo) ? { extensionAwaiting: true } : {}),
  }))
  const list: CaseList = { items, total, page: f.page, pageSize: f.pageSize }
  if (viewer.role === 'clerk') list.counts = statusCounts(conn, viewer)
  return list
}

/**
 * Of the cases listed, those whose clerk's request to extend waits for the head, marked in a
 * clerk's queue. Asked for the page's cases only, after the page is chosen: as a column of the
 * list it would be read for every open case of the department the queue sorts.
 */
function awaitingExtension(conn: Connection, caseNos: string[], today: string): Set<string> {
  if (!caseNos.length) return new Set()
  // in this order (CROSS JOIN): the planner would otherwise read every accepted case not yet due
  const rows = conn.sqlite.prepare(`SELECT r.case_no FROM json_each(:caseNos) j CROSS JOIN extension_requests r ON r.case_no = j.value
    CROSS JOIN cases c ON c.case_no = r.case_no WHERE ${AWAITING_DECISION}`).pluck().all({ caseNos: JSON.stringify(caseNos), today }) as string[]
  return new Set(rows)
}

/**
 * The case numbers that begin with `q` as a range of the primary key, `lo <= case_no < hi`, `hi`
 * being the prefix with its last character raised by one ('9' → ':', 'Z' → '['): exactly the
 * strings that begin with `lo`. `LIKE 'q%'` matched the same (case numbers are upper-case, and `q`
 * is upper-cased) but, case-insensitive, could not use the primary key's BINARY order: it read
 * every case number (a manager), or the department's whole history (a clerk).
 */
export function caseNoRange(q: string): { lo: string, hi: string } {
  if (!isCaseNoPrefix(q)) throw new RangeError(`not the beginning of a case number: ${q}`)
  const lo = q.toUpperCase()
  return { lo, hi: lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1) }
}

/**
 * Which condition SQLite may read cases by; the others are written `+(…)`, which no index serves,
 * so they only filter the rows it reads: `caseNo` walks the primary key (in order, or a prefix's
 * range), `status` the status index, `viewer` the viewer's own index (a department's, a citizen's).
 * Chosen here from the counts rather than left to the planner: without sqlite_stat1 it guesses,
 * and with it knows the average status, not how many cases this status or this prefix holds.
 */
type Driver = 'caseNo' | 'status' | 'viewer'

/**
 * A case read in case-number order costs a fraction of one reached through another index: cases
 * are inserted in case-number order, so the primary key's walk reads neighbouring pages, while
 * another index jumps about the table and all it finds is joined and sorted. At 1,000,000 cases
 * (npm run bench's data): 0.45–0.55 µs a case walking, 1.3–3.8 µs through a department or a
 * status; 2 is the cautious end of that.
 */
const WALK_ADVANTAGE = 2

function planFor(conn: Connection, viewer: CaseViewer, f: CaseListFilter, range: { lo: string, hi: string } | null, counts: Map<Status, number> | null): { list: Driver, count: Driver } {
  if (!counts) return { list: 'viewer', count: 'viewer' } // a citizen's few cases, by cases_applicant_idx
  const inRange = range ? casesInRange(conn, range) : Infinity
  const selected = countOf(counts, f.status)
  if (viewer.role === 'clerk') {
    // a prefix's range city-wide, or the department's cases of the filter (open: cases_dept_queue_idx)
    const by = inRange <= WALK_ADVANTAGE * selected ? 'caseNo' : 'viewer'
    return { list: by, count: by }
  }
  if (!f.status) return { list: 'caseNo', count: 'caseNo' }
  // A manager's status filter. Walking the primary key backwards and skipping other statuses reads
  // about (page × pageSize) × all / selected cases before its page is full (fewer for the open
  // statuses, which are mostly recent), and stops there; the status index reads all `selected`
  // cases and sorts them. The walk wins for common statuses and early pages; a rare status (a few
  // suspended cases), or a page past the last of a status, would walk the whole table for it.
  const walked = Math.min(inRange, f.page * f.pageSize * countOf(counts, undefined) / Math.max(selected, 1))
  return {
    list: walked <= WALK_ADVANTAGE * selected ? 'caseNo' : 'status',
    count: inRange <= WALK_ADVANTAGE * selected ? 'caseNo' : 'status',
  }
}

/** The WHERE terms, the driver's readable by an index and the others only filtering (`+(…)`). */
function conditions(viewer: CaseViewer, visibility: string, status: CaseListFilter['status'], ranged: boolean, by: Driver): string[] {
  const filterOnly = (sql: string, readBy: boolean) => (readBy ? sql : `+(${sql})`)
  const terms = [filterOnly(visibility, by === 'viewer' || viewer.role === 'manager')]
  // by the viewer's index, the status narrows it too (cases_dept_queue_idx: department, status, deadline)
  if (status === 'open') terms.push(filterOnly(`c.status IN (${OPEN_STATUSES.map(s => `'${s}'`).join(', ')})`, by !== 'caseNo'))
  else if (status) terms.push(filterOnly('c.status = :status', by !== 'caseNo'))
  if (ranged) terms.push(filterOnly('c.case_no >= :lo AND c.case_no < :hi', by === 'caseNo'))
  return terms
}

/**
 * The order the contract promises: a clerk's queue soonest deadline first, a citizen's newest
 * first, a manager's too, by case number (`SZ` + the day + the day's sequence, issued at
 * submission: the order of submission), which the primary key holds. A clerk's open queue puts
 * the cases whose clock is stopped (PAUSED_STATUSES) after all whose clock runs: by their stored
 * deadline, a case returned a month ago for corrections headed the queue above cases due this week.
 */
function orderOf(viewer: CaseViewer, status: CaseListFilter['status'], by: Driver): string {
  if (viewer.role === 'clerk') {
    // Through cases_dept_deadline_idx or cases_dept_queue_idx (one status) the rows come in deadline
    // order and SQLite stops after the page. Not so for the four open statuses: left to order by
    // deadline, SQLite walked the department's whole history by deadline, skipping all that is
    // closed; `+` makes it read the open cases by cases_dept_queue_idx and sort only them, and so
    // the stopped clocks' rank costs nothing more than a column of that sort (a few thousand open
    // cases a department at 1,000,000 cases: 2 ms a first page, under 15 ms the last).
    if (status === 'open') return `c.status IN (${PAUSED_STATUSES.map(s => `'${s}'`).join(', ')}) ASC, +c.deadline ASC, c.submitted_at ASC`
    return by === 'viewer' ? 'c.deadline ASC, c.submitted_at ASC' : '+c.deadline ASC, c.submitted_at ASC'
  }
  if (viewer.role === 'manager') return by === 'caseNo' ? 'c.case_no DESC' : '+c.case_no DESC'
  return 'c.submitted_at DESC, c.case_no DESC'
}

/**
 * At most how many cases have a number in the range: a day's numbers run from 1 to its last
 * sequence (case_sequences, one row a day), so this sums the days the range touches.
 */
function casesInRange(conn: Connection, range: { lo: string, hi: string }): number {
  return (conn.sqlite.prepare(`SELECT coalesce(sum(last), 0) AS n FROM case_sequences
    WHERE 'SZ' || replace(day, '-', '') || '999999' >= :lo AND 'SZ' || replace(day, '-', '') || '000001' < :hi`).get(range) as { n: number }).n
}

/**
 * The department's (a clerk) or the city's (a manager) cases per status, from case_status_counts
 * (kept by triggers): counting a department's or the city's whole history on every page grew with
 * the data (npm run bench). Null for citizens.
 */
function scopeCounts(conn: Connection, viewer: CaseViewer): Map<Status, number> | null {
  const scope = viewer.role === 'clerk' && viewer.departmentCode ? viewer.departmentCode : viewer.role === 'manager' ? null : undefined
  if (scope === undefined) return null
  const rows = conn.sqlite.prepare(`SELECT status, sum(n) AS n FROM case_status_counts WHERE (? IS NULL OR department_code = ?) GROUP BY status`).all(scope, scope) as { status: Status, n: number }[]
  return new Map(rows.map(r => [r.status, r.n]))
}

/** How many of the counted cases the status filter selects (all of them without one). */
function countOf(counts: Map<Status, number>, status: CaseListFilter['status']): number {
  const statuses = status === 'open' ? OPEN_STATUSES : status ? [status] : [...counts.keys()]
  return statuses.reduce((sum, s) => sum + (counts.get(s) ?? 0), 0)
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
