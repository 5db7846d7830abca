/**
 * The catalogue's use cases: departments, search and the full guide. Raw SQL where FTS5 is
 * involved (drizzle cannot express MATCH), drizzle elsewhere.
 */
import { LRUCache } from 'lru-cache'
import type { Connection } from '../../db/client'
import { ensureFoldedSearchIndex, searchText, simplifiedSearchText } from '../../db/search-index'
import type { GuideDetails } from '../../db/schema'
import type { Audience, Department, GuideOptionalElements, OnlineDepth, ServiceGuide, ServiceSummary } from '../../shared/types/catalogue'
import { optionalElements } from '../../shared/utils/guide-optional'
import type { Page } from '../../shared/utils/query'
import { storedForm } from './stored-forms'

export interface ServiceFilters {
  q?: string
  dept?: string
  audience?: Audience
  theme?: string
  depth?: OnlineDepth
  page: number
  pageSize: number
}

export interface SummaryRow {
  code: string, name: string, nameEn: string, deptCode: string, deptName: string, deptNameEn: string, audience: Audience
  onlineDepth: number, processType: 'instant' | 'promised', hasForm: number
}

export const summaryColumns = `s.code, s.name, s.name_en AS nameEn, s.department_code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn,
  s.audience, s.online_depth AS onlineDepth, s.process_type AS processType,
  (s.form_version_id IS NOT NULL) AS hasForm`

/** Available online: depth Ⅲ or Ⅳ with a published form (contract). */
export function isAvailableOnline(onlineDepth: number, hasForm: boolean): boolean {
  return onlineDepth >= 3 && hasForm
}

export function toSummary(r: SummaryRow): ServiceSummary {
  return {
    code: r.code, name: r.name, nameEn: r.nameEn,
    department: { code: r.deptCode, name: r.deptName, nameEn: r.deptNameEn },
    audience: r.audience, onlineDepth: r.onlineDepth as OnlineDepth,
    onlineAvailable: isAvailableOnline(r.onlineDepth, !!r.hasForm), processType: r.processType,
  }
}

export function listDepartments(conn: Connection): (Department & { serviceCount: number })[] {
  return conn.sqlite.prepare(`SELECT d.code, d.name, d.name_en AS nameEn,
      (SELECT count(*) FROM services s WHERE s.department_code = d.code AND s.status = 'published') AS serviceCount
    FROM departments d ORDER BY d.code`).all() as (Department & { serviceCount: number })[]
}

/** One department's names, or null for an unknown code. */
export function findDepartment(conn: Connection, code: string): Department | null {
  return (conn.sqlite.prepare('SELECT code, name, name_en AS nameEn FROM departments WHERE code = ?').get(code) as Department | undefined) ?? null
}

export function listThemes(conn: Connection) {
  return conn.sqlite.prepare(`SELECT t.code, t.audience, t.name_zh AS nameZh, t.name_en AS nameEn,
      (SELECT count(*) FROM service_themes st JOIN services s ON s.code = st.service_code
        WHERE st.theme_code = t.code AND s.status = 'published') AS serviceCount
    FROM themes t ORDER BY t.audience DESC, t.sort`).all() as { code: string, audience: 'person' | 'organization', nameZh: string, nameEn: string, serviceCount: number }[]
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, c => `\\${c}`)}%`
/** Words of a query searched for, each on its own; more are ignored. */
const MAX_TERMS = 8
/** An item's code (SZRS-0004) or national basic code (000111004000), as a query may give one: upper-cased. */
const CODE = /^(?:[A-Z]{2,10}-\d{1,6}|\d{9,20})$/
const codeIn = (q: string) => (CODE.test(q.toUpperCase()) ? q.toUpperCase() : null)

/** How long a search result may show popularity (use_count) that has moved on since. */
const SEARCH_CACHE_MS = 60_000
const SEARCH_CACHE_SIZE = 1000
/** Raised by triggers on every change to an item but its use count (migrations 0005–0006): what caches of the catalogue key on. */
export function catalogueVersion(conn: Connection): number {
  return (conn.sqlite.prepare('SELECT v FROM catalogue_version WHERE id = 1').get() as { v: number }).v
}

const searchCaches = new WeakMap<Connection, LRUCache<string, { at: number, version: number, page: Page<ServiceSummary> }>>()

/**
 * Search and browse, cached per filter set: a search costs in proportion to its matches (a
 * one-character query matches most of a 10,000-item catalogue; npm run bench), and people search
 * for the same few words. catalogue_version, raised by triggers on every change to an item but its
 * use count (migration 0005), invalidates the cache; popularity order may lag a minute.
 */
export function searchServices(conn: Connection, f: ServiceFilters, now = Date.now()): Page<ServiceSummary> {
  const version = catalogueVersion(conn)
  let cache = searchCaches.get(conn)
  if (!cache) searchCaches.set(conn, cache = new LRUCache({ max: SEARCH_CACHE_SIZE }))
  // folded, so ＳＺ and SZ share an entry
  const key = JSON.stringify([searchText(f.q), f.dept, f.audience, f.theme, f.depth, f.page, f.pageSize])
  const hit = cache.get(key)
  if (hit && hit.version === version && now - hit.at < SEARCH_CACHE_MS) return structuredClone(hit.page)
  const page = searchServicesUncached(conn, f)
  cache.set(key, { at: now, version, page: structuredClone(page) })
  return page
}

/**
 * The search itself: the query as typed first; when that finds nothing and the query reads
 * differently in simplified characters (護照, 通行證: traditional, as Hong Kong and Taiwan write
 * them), the search in those.
 */
export function searchServicesUncached(conn: Connection, f: ServiceFilters): Page<ServiceSummary> {
  const asTyped = searchOnce(conn, f, searchText(f.q))
  if (asTyped.total > 0) return asTyped
  const simplified = simplifiedSearchText(f.q)
  return simplified === searchText(f.q) ? asTyped : searchOnce(conn, f, simplified)
}

/**
 * One search for the folded query `q` (searchText) with the filters of `f`. A query of three
 * characters or more goes through the trigram index; shorter ones scan the index table's text with
 * LIKE. Items whose name contains the query come first.
 */
function searchOnce(conn: Connection, f: ServiceFilters, q: string): Page<ServiceSummary> {
  const where: string[] = [`s.status = 'published'`]
  const params: Record<string, string | number> = {}
  let from = 'services s JOIN departments d ON d.code = s.department_code'
  let rank = 'NULL'
  const code = codeIn(q)
  if (code) {
    // the item's code or its national basic code, as its guide shows them: that item
    where.push('(s.code = :code OR s.basic_code = :code)')
    params.code = code
  }
  else if (q) {
    ensureFoldedSearchIndex(conn)
    // The full-text table drives the join (CROSS JOIN fixes the order in SQLite): with services
    // outside, as an index on status tempts the planner to do, FTS is scanned once per item.
    from = 'services_fts f CROSS JOIN services s ON s.code = f.code JOIN departments d ON d.code = s.department_code'
    // words apart (社保 转移) must each be found, anywhere in the item, not as one phrase
    const terms = q.split(/\s+/).filter(Boolean).slice(0, MAX_TERMS)
    const long = terms.filter(t => [...t].length >= 3)
    if (long.length) {
      where.push('services_fts MATCH :match')
      params.match = long.map(t => `"${t.replace(/"/g, '""')}"`).join(' AND ')
    }
    terms.forEach((t, i) => {
      params[`like${i}`] = likePattern(t)
      if ([...t].length < 3) where.push(`(f.name LIKE :like${i} ESCAPE '\\' OR f.body LIKE :like${i} ESCAPE '\\')`)
    })
    // the index's own name holding every word: folded like the query, where s.name may hold （ or Ｂ
    rank = `(${terms.map((_, i) => `f.name LIKE :like${i} ESCAPE '\\'`).join(' AND ')})`
  }
  if (f.dept) { where.push('s.department_code = :dept'); params.dept = f.dept }
  if (f.audience) { where.push(`s.audience IN (:audience, 'both')`); params.audience = f.audience }
  if (f.depth) { where.push('s.online_depth = :depth'); params.depth = f.depth }
  if (f.theme) {
    where.push('EXISTS (SELECT 1 FROM service_themes st WHERE st.service_code = s.code AND st.theme_code = :theme)')
    params.theme = f.theme
  }
  const whereSql = where.join(' AND ')
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(params) as { n: number }).n
  const rows = conn.sqlite.prepare(`SELECT ${summaryColumns} FROM ${from} WHERE ${whereSql}
    ORDER BY ${rank} DESC, s.use_count DESC, s.code LIMIT :limit OFFSET :offset`)
    .all({ ...params, limit: f.pageSize, offset: (f.page - 1) * f.pageSize }) as SummaryRow[]
  return { items: rows.map(toSummary), total, page: f.page, pageSize: f.pageSize }
}

/** The most used services for the home page. */
export function popularServices(conn: Connection, limit = 8): ServiceSummary[] {
  const rows = conn.sqlite.prepare(`SELECT ${summaryColumns} FROM services s JOIN departments d ON d.code = s.department_code
    WHERE s.status = 'published' ORDER BY (s.form_version_id IS NOT NULL) DESC, s.use_count DESC, s.code LIMIT ?`).all(limit) as SummaryRow[]
  return rows.map(toSummary)
}

interface GuideRow extends SummaryRow {
  basicCode: string, type: ServiceGuide['type'], legalLimitDays: number, promisedLimitDays: number
  suitableOnline: number, unsuitableReason: string | null, visits: number, visitsReason: string | null
  details: string, location: string, hours: string, consultPhone: string, complaintPhone: string
  resultName: string | null, resultNameEn: string | null, definition: string | null, themes: string | null, status: string
}

/** The whole guide of a published item, or null. `includeWithdrawn` serves open cases of withdrawn items. */
export function getGuide(conn: Connection, code: string, includeWithdrawn = false): ServiceGuide | null {
  const row = conn.sqlite.prepare(`SELECT ${summaryColumns}, s.basic_code AS basicCode, s.type,
      s.legal_limit_days AS legalLimitDays, s.promised_limit_days AS promisedLimitDays,
      s.suitable_online AS suitableOnline, s.unsuitable_reason AS unsuitableReason, s.visits, s.visits_reason AS visitsReason,
      s.details, s.location, s.hours, s.consult_phone AS consultPhone, s.complaint_phone AS complaintPhone,
      s.result_name AS resultName, s.result_name_en AS resultNameEn, s.status, fv.definition,
      (SELECT group_concat(theme_code) FROM service_themes st WHERE st.service_code = s.code) AS themes
    FROM services s JOIN departments d ON d.code = s.department_code
    LEFT JOIN form_versions fv ON fv.id = s.form_version_id
    WHERE s.code = ?`).get(code) as GuideRow | undefined
  if (!row || (row.status !== 'published' && !includeWithdrawn)) return null
  // the optional elements live in the same JSON (guideDetails); items stored before them have none
  const details = JSON.parse(row.details) as GuideDetails & GuideOptionalElements
  return {
    ...toSummary(row),
    basicCode: row.basicCode, type: row.type,
    legalLimitDays: row.legalLimitDays, promisedLimitDays: row.promisedLimitDays,
    suitableOnline: !!row.suitableOnline, unsuitableReason: row.unsuitableReason,
    visits: row.visits, visitsReason: row.visitsReason,
    themes: row.themes ? row.themes.split(',') : [],
    keywords: details.keywords, conditions: details.conditions, materials: details.materials,
    fees: details.fees, steps: details.steps, legalBasis: details.legalBasis,
    location: row.location, hours: row.hours, consultPhone: row.consultPhone, complaintPhone: row.complaintPhone,
    resultName: row.resultName,
    // only where one is given: a guide published before English titles existed reads as it did
    // then, and the check of published versions (published-versions-check.ts) finds it unchanged
    ...(row.resultNameEn ? { resultNameEn: row.resultNameEn } : {}),
    form: row.definition ? storedForm(row.definition) : null,
    ...optionalElements(details),
  }
}

/** Headline for the home page: share of suitable items available online. */
export function catalogueHeadline(conn: Connection) {
  return conn.sqlite.prepare(`SELECT count(*) AS total,
      coalesce(sum(suitable_online), 0) AS suitable,
      coalesce(sum(suitable_online AND online_depth >= 3 AND form_version_id IS NOT NULL), 0) AS suitableAvailable,
      coalesce(sum(online_depth = 4), 0) AS fullyOnline,
      coalesce(sum(visits <= 1), 0) AS atMostOneVisit
    FROM services WHERE status = 'published'`).get() as { total: number, suitable: number, suitableAvailable: number, fullyOnline: number, atMostOneVisit: number }
}
