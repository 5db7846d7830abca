/**
 * Open data for the city's open-data platform: the published catalogue and monthly aggregate
 * rates per department. Nothing personal ever leaves here: the rates come from the daily counts
 * only, and counts small enough to point at a person (1 to 4) are withheld.
 */
import type { Connection } from '../../db/client'
import type { LimitUnit } from '../../shared/types/catalogue'
import { isAvailableOnline } from './catalogue'
import { rate } from '../../shared/utils/rates'
import type { CsvCell } from '../../shared/utils/csv'
import { toCsv } from '../../shared/utils/csv'
import { addDays, shanghaiDateOf } from '../../shared/utils/working-days'

/**
 * A published rate: the quotient cut (never rounded up) to six decimals, as the dataset's
 * description promises its consumers (docs/open-data.md), where the portal's own report gives the
 * quotient itself. Null when nothing was counted.
 */
function publishedRate(numerator: number, denominator: number): number | null {
  // rate() checks the counts and says when there is nothing to divide by; the cut is taken from
  // the counts themselves (numerator × 10⁶ is an exact integer, so the floor is exact)
  if (rate(numerator, denominator) === null) return null
  return Math.floor((numerator * 1_000_000) / denominator) / 1_000_000
}

export interface OpenCatalogueItem {
  code: string
  name: string
  nameEn: string
  department: string
  departmentName: string
  type: string
  audience: string
  onlineDepth: number
  onlineAvailable: boolean
  suitableOnline: boolean
  visits: number
  legalLimitDays: number
  legalLimitUnit: LimitUnit
  promisedLimitDays: number
}

export const CATALOGUE_COLUMNS = ['code', 'name', 'nameEn', 'department', 'departmentName', 'type', 'audience', 'onlineDepth',
  'onlineAvailable', 'suitableOnline', 'visits', 'legalLimitDays', 'legalLimitUnit', 'promisedLimitDays'] as const

/** Every published item with the fields that describe how it can be handled. */
export function openCatalogue(conn: Connection): OpenCatalogueItem[] {
  const rows = conn.sqlite.prepare(`SELECT s.code, s.name, s.name_en AS nameEn, s.department_code AS department, d.name AS departmentName,
      s.type, s.audience, s.online_depth AS onlineDepth, (s.form_version_id IS NOT NULL) AS hasForm, s.suitable_online AS suitableOnline,
      s.visits, s.legal_limit_days AS legalLimitDays, coalesce(s.details ->> '$.legalLimitUnit', 'working') AS legalLimitUnit,
      s.promised_limit_days AS promisedLimitDays
    FROM services s JOIN departments d ON d.code = s.department_code
    WHERE s.status = 'published' ORDER BY s.department_code, s.code`).all() as (Omit<OpenCatalogueItem, 'onlineAvailable' | 'suitableOnline'> & { hasForm: number, suitableOnline: number })[]
  return rows.map(({ hasForm, ...r }) => ({ ...r, onlineAvailable: isAvailableOnline(r.onlineDepth, !!hasForm), suitableOnline: !!r.suitableOnline }))
}

export function catalogueCsv(items: OpenCatalogueItem[]): string {
  return toCsv([[...CATALOGUE_COLUMNS], ...items.map(i => CATALOGUE_COLUMNS.map(c => typeof i[c] === 'boolean' ? (i[c] ? 'true' : 'false') : i[c] as CsvCell))])
}

/** Counts from 1 to this minus one are withheld: 5 is the usual small-cell threshold of statistics offices. */
export const SUPPRESS_BELOW = 5

export interface OpenRateRow {
  month: string
  department: string
  departmentName: string
  received: number | null
  receivedOnline: number | null
  receivedCounter: number | null
  onlineRate: number | null
  completed: number | null
  completedOnTime: number | null
  completedLate: number | null
  onTimeRate: number | null
  /** some counts of the row are withheld (null) because they are 1 to 4 */
  suppressed: boolean
}

const small = (n: number) => n > 0 && n < SUPPRESS_BELOW

/**
 * A group of counts that add up (received = online + counter): if any one is small, all are
 * withheld, otherwise the small one could be recovered by subtraction.
 */
function guard(counts: number[]): { values: (number | null)[], suppressed: boolean } {
  const suppressed = counts.some(small)
  return { values: suppressed ? counts.map(() => null) : counts, suppressed }
}

/**
 * The last day open data covers: the day before the first of this month (Asia/Shanghai). The
 * current month's counts grow case by case, so two downloads minutes apart would differ by the
 * one or two cases in between, a small count recovered by subtraction; a completed month no
 * longer changes.
 */
export function lastPublishedDay(now = new Date()): string {
  return addDays(`${shanghaiDateOf(now).slice(0, 7)}-01`, -1)
}

/** Monthly aggregates per department for the completed months of a calendar year; months without any case are left out. */
export function openRates(conn: Connection, year: number, now = new Date()): OpenRateRow[] {
  const last = lastPublishedDay(now)
  const to = `${year}-12-31` < last ? `${year}-12-31` : last
  const rows = conn.sqlite.prepare(`SELECT substr(c.day, 1, 7) AS month, c.department_code AS department, d.name AS departmentName,
      sum(c.received) AS received, sum(c.received_online) AS online, sum(c.completed) AS completed, sum(c.completed_on_time) AS onTime
    FROM case_daily c JOIN departments d ON d.code = c.department_code
    WHERE c.day BETWEEN ? AND ? GROUP BY month, c.department_code
    HAVING sum(c.received) > 0 OR sum(c.completed) > 0
    ORDER BY month, c.department_code`).all(`${year}-01-01`, to) as { month: string, department: string, departmentName: string, received: number, online: number, completed: number, onTime: number }[]
  return rows.map((r) => {
    const rec = guard([r.received, r.online, r.received - r.online])
    const done = guard([r.completed, r.onTime, r.completed - r.onTime])
    const [received, receivedOnline, receivedCounter] = rec.values as [number | null, number | null, number | null]
    const [completed, completedOnTime, completedLate] = done.values as [number | null, number | null, number | null]
    return {
      month: r.month, department: r.department, departmentName: r.departmentName,
      received, receivedOnline, receivedCounter,
      onlineRate: received === null || receivedOnline === null ? null : publishedRate(receivedOnline, received),
      completed, completedOnTime, completedLate,
      onTimeRate: completed === null || completedOnTime === null ? null : publishedRate(completedOnTime, completed),
      suppressed: rec.suppressed || done.suppressed,
    }
  })
}

export const RATES_COLUMNS = ['month', 'department', 'departmentName', 'received', 'receivedOnline', 'receivedCounter', 'onlineRate',
  'completed', 'completedOnTime', 'completedLate', 'onTimeRate', 'suppressed'] as const

export function ratesCsv(rows: OpenRateRow[]): string {
  return toCsv([[...RATES_COLUMNS], ...rows.map(r => RATES_COLUMNS.map(c => c === 'suppressed' ? String(r.suppressed) : r[c]))])
}
