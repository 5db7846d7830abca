/**
 * The online-rate report (contract: The online-rate report). Item figures come from the published
 * catalogue as it is today, whatever the period (it keeps no history); case figures from the daily
 * counts (case_daily), which case intake and the workflow keep in the same transaction as every
 * case change, so a year over a million cases reads a few thousand rows. daily-counts.ts checks
 * those counts against the cases themselves.
 */
import type { Connection } from '../../db/client'
import type { CaseFigures, DepartmentFigures, NotYetOnline, OnlineRateReport, ReportPeriod, Satisfaction, ServiceFigures, TrendPoint } from '../../shared/types/report'
import { acceptanceRates, average, caseRates, rate, scoreAverage, serviceRates, TARGETS } from '../../shared/utils/rates'
import { toCsv } from '../../shared/utils/csv'
import type { CsvCell } from '../../shared/utils/csv'
import { addDays, todayInShanghai } from '../../shared/utils/working-days'
import { catalogueVersion } from './catalogue'
import { openOverdueByDepartment } from './supervision'

export type { CaseFigures, DepartmentFigures, NotYetOnline, OnlineRateReport, ReportPeriod, Satisfaction, ServiceFigures, TrendPoint }

/** How many items not yet online the report lists: a to-do list, not the catalogue (npm run bench has 3,677). */
export const NOT_YET_ONLINE_SHOWN = 100

interface ServiceRow { code: string, total: number, suitable: number, available: number, fully: number, fullyNoForm: number, oneVisit: number }
interface CaseRow { code: string, received: number, online: number, completed: number, onTime: number, handling: number, decided: number, late: number }
interface OverdueRow { code: string, n: number }
interface RatingRow { code: string, n: number, scoreSum: number, good: number }

const emptyServices: ServiceRow = { code: '', total: 0, suitable: 0, available: 0, fully: 0, fullyNoForm: 0, oneVisit: 0 }
const emptyCases: CaseRow = { code: '', received: 0, online: 0, completed: 0, onTime: 0, handling: 0, decided: 0, late: 0 }
const emptyRatings: RatingRow = { code: '', n: 0, scoreSum: 0, good: 0 }
const emptyOverdue: OverdueRow = { code: '', n: 0 }

function serviceFigures(r: ServiceRow): ServiceFigures {
  return {
    ...serviceRates({ total: r.total, suitableOnline: r.suitable, availableOnline: r.available, fullyOnline: r.fully }),
    fullyOnlineWithoutForm: r.fullyNoForm,
    atMostOneVisit: r.oneVisit,
    atMostOneVisitRate: rate(r.oneVisit, r.total),
  }
}

function caseFigures(r: CaseRow, overdue: OverdueRow): CaseFigures {
  return {
    ...caseRates({ total: r.received, online: r.online, counter: r.received - r.online, completed: r.completed, completedOnTime: r.onTime }),
    ...acceptanceRates({ decided: r.decided, late: r.late }),
    averageHandlingDays: average(r.handling, r.completed, 1),
    openOverdue: overdue.n,
  }
}

function satisfaction(r: RatingRow): Satisfaction {
  return { count: r.n, averageScore: scoreAverage(r.scoreSum, r.n), goodRate: rate(r.good, r.n) }
}

/** The two rates against their targets; null for an unknown rate. */
function gaps(s: ServiceFigures, c: CaseFigures): (number | null)[] {
  const gap = (target: number, value: number | null) => (value === null ? null : Math.max(0, target - value))
  return [gap(TARGETS.onlineAvailabilityRate, s.onlineAvailabilityRate), gap(TARGETS.onlineRate, c.onlineRate)]
}

/**
 * How far a department is below the two targets: what is known of it. With one rate unknown, the
 * other's gap is a lower bound (shortfallAtLeastOf): a department with 10 suitable items, none
 * online and no case in the period is at least 100% short, not "no data" sorted after one at 99%.
 * Null only when both rates are unknown; never 0 ("both met") for lack of data.
 */
export function shortfallOf(s: ServiceFigures, c: CaseFigures): number | null {
  const known = gaps(s, c).filter((g): g is number => g !== null)
  return known.length ? known.reduce((a, b) => a + b, 0) : null
}

/** Whether shortfallOf left out an unknown rate, so the distance is at least what it says. */
export function shortfallAtLeastOf(s: ServiceFigures, c: CaseFigures): boolean {
  return gaps(s, c).filter(g => g === null).length === 1
}

interface Ranked { code: string, shortfall: number | null, shortfallAtLeast?: boolean }

/**
 * Largest shortfall first; at the same figure a lower bound before an exact one (it may be worse,
 * and an unknown must not be rewarded); nothing known last; then by code.
 */
export function byShortfall(a: Ranked, b: Ranked): number {
  if (a.shortfall === null || b.shortfall === null) {
    if (a.shortfall !== b.shortfall) return a.shortfall === null ? 1 : -1
  }
  else if (a.shortfall !== b.shortfall) return b.shortfall - a.shortfall
  else if (!!a.shortfallAtLeast !== !!b.shortfallAtLeast) return a.shortfallAtLeast ? -1 : 1
  return a.code.localeCompare(b.code)
}

function sum<T extends object>(rows: T[], empty: T): T {
  const out = { ...empty } as Record<string, unknown>
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) if (typeof v === 'number') out[k] = (out[k] as number) + v
  }
  return out as T
}

/** The instants bounding Asia/Shanghai days `from` … `to`: ratings store UTC instants. */
function instantBounds(p: ReportPeriod): [string, string] {
  return [`${addDays(p.from, -1)}T16:00:00.000Z`, `${p.to}T16:00:00.000Z`]
}

interface CatalogueFigures { version: number, services: ServiceRow[], notYetOnline: NotYetOnline[] }
const catalogueCache = new WeakMap<Connection, CatalogueFigures>()

/**
 * What the report needs of the catalogue: counts per department and the items not yet online.
 * Both read every published item, so the report's cost followed the catalogue's size (×3.0 for
 * 10× the data in npm run bench). They change only with the catalogue: kept until
 * catalogue_version (raised by triggers on every change to an item but its use count) moves.
 */
function catalogueFigures(conn: Connection): CatalogueFigures {
  const version = catalogueVersion(conn)
  const hit = catalogueCache.get(conn)
  if (hit?.version === version) return hit
  const services = conn.sqlite.prepare(`SELECT department_code AS code, count(*) AS total,
      coalesce(sum(suitable_online), 0) AS suitable,
      coalesce(sum(suitable_online AND online_depth >= 3 AND form_version_id IS NOT NULL), 0) AS available,
      coalesce(sum(online_depth = 4), 0) AS fully, coalesce(sum(online_depth = 4 AND form_version_id IS NULL), 0) AS fullyNoForm,
      coalesce(sum(visits <= 1), 0) AS oneVisit
    FROM services WHERE status = 'published' GROUP BY department_code`).all() as ServiceRow[]
  const notYetOnline = conn.sqlite.prepare(`SELECT code, name, name_en AS nameEn, department_code AS department, online_depth AS onlineDepth
    FROM services WHERE status = 'published' AND suitable_online = 1 AND NOT (online_depth >= 3 AND form_version_id IS NOT NULL)
    ORDER BY online_depth, department_code, code`).all() as NotYetOnline[]
  const figures = { version, services, notYetOnline }
  catalogueCache.set(conn, figures)
  return figures
}

function loadRows(conn: Connection, p: ReportPeriod, services: ServiceRow[], today: string) {
  const cases = conn.sqlite.prepare(`SELECT department_code AS code, sum(received) AS received, sum(received_online) AS online,
      sum(completed) AS completed, sum(completed_on_time) AS onTime, sum(handling_days) AS handling,
      sum(acceptance_decided) AS decided, sum(acceptance_late) AS late
    FROM case_daily WHERE day BETWEEN ? AND ? GROUP BY department_code`).all(p.from, p.to) as CaseRow[]
  const [start, end] = instantBounds(p)
  const ratings = conn.sqlite.prepare(`SELECT department_code AS code, count(*) AS n, sum(score) AS scoreSum, sum(score >= 4) AS good
    FROM ratings WHERE created_at >= ? AND created_at < ? GROUP BY department_code`).all(start, end) as RatingRow[]
  // now, not the period, as supervision counts it
  const overdue: OverdueRow[] = [...openOverdueByDepartment(conn, today)].map(([code, n]) => ({ code, n }))
  return { services, cases, ratings, overdue }
}

type Rows = ReturnType<typeof loadRows>

function departmentFigures(conn: Connection, { services, cases, ratings, overdue }: Rows, department: string | null): DepartmentFigures[] {
  const byCode = <T extends { code: string }>(rows: T[]) => new Map(rows.map(r => [r.code, r]))
  const [s, c, r, o] = [byCode(services), byCode(cases), byCode(ratings), byCode(overdue)]
  const departments = conn.sqlite.prepare('SELECT code, name, name_en AS nameEn FROM departments ORDER BY code').all() as { code: string, name: string, nameEn: string }[]
  return departments
    // with no filter, the departments that own an item, had a case or a rating in the period, or
    // have a case overdue now (a rating of a case completed before a merger counts in the city's
    // total, so its department is listed too: the city is the sum of its rows)
    .filter(d => department ? d.code === department : s.has(d.code) || c.has(d.code) || r.has(d.code) || o.has(d.code))
    .map((d) => {
      const sf = serviceFigures(s.get(d.code) ?? emptyServices)
      const cf = caseFigures(c.get(d.code) ?? emptyCases, o.get(d.code) ?? emptyOverdue)
      return {
        ...d, services: sf, cases: cf, satisfaction: satisfaction(r.get(d.code) ?? emptyRatings),
        shortfall: shortfallOf(sf, cf), shortfallAtLeast: shortfallAtLeastOf(sf, cf),
      }
    })
    .sort(byShortfall)
}

/** Months of the trend: the period's months, trimmed to those from the first day with any case. */
function trendMonths(conn: Connection, p: ReportPeriod): string[] {
  const first = (conn.sqlite.prepare('SELECT min(day) AS d FROM case_daily').get() as { d: string | null }).d
  const start = (first && first > p.from ? first : p.from).slice(0, 7)
  const end = p.to.slice(0, 7)
  const months: string[] = []
  let [y, m] = start.split('-').map(Number) as [number, number]
  // bounded: at most 20 years of points however long the period asked for
  while (months.length < 240) {
    const month = `${y}-${String(m).padStart(2, '0')}`
    if (month > end) break
    months.push(month)
    m += 1
    if (m > 12) { m = 1; y += 1 }
  }
  return months
}

function trend(conn: Connection, p: ReportPeriod, department: string | null): TrendPoint[] {
  const rows = conn.sqlite.prepare(`SELECT substr(day, 1, 7) AS month, sum(received) AS received, sum(received_online) AS online,
      sum(completed) AS completed, sum(completed_on_time) AS onTime
    FROM case_daily WHERE day BETWEEN ? AND ? AND (? IS NULL OR department_code = ?) GROUP BY month`)
    .all(p.from, p.to, department, department) as { month: string, received: number, online: number, completed: number, onTime: number }[]
  const byMonth = new Map(rows.map(r => [r.month, r]))
  return trendMonths(conn, p).map((month) => {
    const r = byMonth.get(month) ?? { received: 0, online: 0, completed: 0, onTime: 0 }
    return { month, received: r.received, online: r.online, onlineRate: rate(r.online, r.received), completed: r.completed, onTimeRate: rate(r.onTime, r.completed) }
  })
}

/**
 * The report for `from` … `to` (inclusive days) and, optionally, one department. The city
 * figures are the sum of the departments' counts, so the two always agree. `now` fixes "today"
 * for the figures counted now (asOf).
 */
export function onlineRateReport(conn: Connection, period: ReportPeriod, department: string | null = null, now = new Date()): OnlineRateReport {
  const asOf = todayInShanghai(now)
  const catalogue = catalogueFigures(conn)
  const rows = loadRows(conn, period, catalogue.services, asOf)
  const { services, cases, ratings, overdue } = rows
  const scope = <T extends { code: string }>(list: T[]) => department ? list.filter(r => r.code === department) : list
  const byDepartment = departmentFigures(conn, rows, department)
  // suitable items not available online: what to fix next, least advanced first
  const todo = department ? catalogue.notYetOnline.filter(i => i.department === department) : catalogue.notYetOnline
  return {
    from: period.from,
    to: period.to,
    department,
    asOf,
    services: serviceFigures(sum(scope(services), emptyServices)),
    cases: caseFigures(sum(scope(cases), emptyCases), sum(scope(overdue), emptyOverdue)),
    satisfaction: satisfaction(sum(scope(ratings), emptyRatings)),
    targets: { ...TARGETS },
    byDepartment,
    trend: trend(conn, period, department),
    notYetOnline: todo.slice(0, NOT_YET_ONLINE_SHOWN),
    notYetOnlineTotal: todo.length,
  }
}

/**
 * Columns of the CSV export: the JSON's own key paths, so a program can match them up. New ones go
 * at the end so existing readers keep their positions. `asOf` is the day services.* and
 * cases.openOverdue were counted (today's catalogue and open cases, not the period's); `nameEn`
 * the English name beside `name` (City for the city's total).
 */
export const CSV_COLUMNS = [
  'level', 'code', 'name', 'from', 'to',
  'services.total', 'services.suitableOnline', 'services.availableOnline', 'services.fullyOnline',
  'services.onlineAvailabilityRate', 'services.fullyOnlineRate', 'services.atMostOneVisit', 'services.atMostOneVisitRate',
  'cases.total', 'cases.online', 'cases.counter', 'cases.onlineRate', 'cases.completed', 'cases.completedOnTime', 'cases.onTimeRate',
  'cases.averageHandlingDays', 'satisfaction.count', 'satisfaction.averageScore', 'satisfaction.goodRate',
  'cases.openOverdue', 'asOf',
  'cases.acceptanceDecided', 'cases.acceptedLate', 'cases.acceptanceOnTimeRate', 'nameEn',
] as const

/** The English name of the city's total in the CSV (its Chinese name is the caller's: 全市). */
export const CITY_NAME_EN = 'City'

interface CsvSubject { level: string, code: string, name: string, nameEn: string, services: ServiceFigures, cases: CaseFigures, satisfaction: Satisfaction }

function csvRow(r: OnlineRateReport, { level, code, name, nameEn, services: s, cases: c, satisfaction: sat }: CsvSubject): CsvCell[] {
  return [level, code, name, r.from, r.to,
    s.total, s.suitableOnline, s.availableOnline, s.fullyOnline, s.onlineAvailabilityRate, s.fullyOnlineRate, s.atMostOneVisit, s.atMostOneVisitRate,
    c.total, c.online, c.counter, c.onlineRate, c.completed, c.completedOnTime, c.onTimeRate, c.averageHandlingDays,
    sat.count, sat.averageScore, sat.goodRate, c.openOverdue, r.asOf,
    c.acceptanceDecided, c.acceptedLate, c.acceptanceOnTimeRate, nameEn]
}

/**
 * The report as CSV: the total (city, or the department asked for) first, then each department.
 * `totalNameEn` defaults to the department's English name with dept=, else CITY_NAME_EN.
 */
export function reportCsv(r: OnlineRateReport, totalName: string, totalNameEn?: string): string {
  const rows: CsvCell[][] = [[...CSV_COLUMNS]]
  const nameEn = totalNameEn ?? (r.department ? r.byDepartment.find(d => d.code === r.department)?.nameEn ?? r.department : CITY_NAME_EN)
  rows.push(csvRow(r, { level: 'total', code: r.department ?? '', name: totalName, nameEn, services: r.services, cases: r.cases, satisfaction: r.satisfaction }))
  for (const d of r.byDepartment) rows.push(csvRow(r, { level: 'department', ...d }))
  return toCsv(rows)
}
