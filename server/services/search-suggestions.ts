/**
 * What the catalogue offers when a search finds nothing: the items closest to the words typed, and
 * the most used ones. The search itself matches literally (a substring of an item's name, keywords
 * or materials: catalogue.ts), so 社保卡申领 finds nothing where the item is 社会保障卡申领 and its
 * keyword 社保卡, and a question typed as a sentence finds nothing at all. Chinese has no spaces to
 * split words by: the query is cut into overlapping pairs of characters, and an item whose name and
 * keywords hold enough of them is close. Kept apart from the search, whose literal answer the
 * contract describes, and asked for by the catalogue page only when the search came back empty.
 */
import { LRUCache } from 'lru-cache'
import type { Connection } from '../../db/client'
import { ensureFoldedSearchIndex, searchText, simplifiedSearchText } from '../../db/search-index'
import type { ServiceSummary } from '../../shared/types/catalogue'
import { catalogueVersion, popularServices, summaryColumns, toSummary } from './catalogue'
import type { SummaryRow } from './catalogue'

export interface SearchSuggestions { similar: ServiceSummary[], popular: ServiceSummary[] }

/** How many close items and popular ones are offered. */
const SIMILAR = 5
const POPULAR = 6
/** Pairs of characters looked for: a sentence longer than this is cut (the pairs of its start). */
const MAX_PAIRS = 12

/**
 * The distinct pairs of adjacent Chinese characters in `q` (社保卡申领 → 社保, 保卡, 卡申, 申领); a
 * run of other characters (Latin letters, digits, punctuation) breaks the pairs.
 */
export function characterPairs(q: string): string[] {
  const pairs = new Set<string>()
  for (const run of q.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run]
    for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i]! + chars[i + 1]!)
  }
  return [...pairs].slice(0, MAX_PAIRS)
}

/**
 * Enough of the query's pairs for an item to be close: two at least, and a quarter of them (a
 * sentence is mostly words no item holds: 我想办理…以后…).
 */
export const pairsNeeded = (pairs: number) => Math.max(2, Math.ceil(pairs / 4))

/**
 * The published items whose name and keywords hold the most of the query's pairs (at least
 * pairsNeeded of them), those whose name holds more first, then the most used.
 */
export function similarServices(conn: Connection, q: string): ServiceSummary[] {
  const simplified = simplifiedSearchText(q)
  const pairs = characterPairs(simplified || searchText(q))
  if (pairs.length < 2) return []
  ensureFoldedSearchIndex(conn)
  const inName = pairs.map((_, i) => `(instr(f.name, :p${i}) > 0)`).join(' + ')
  const inEither = pairs.map((_, i) => `(instr(f.name, :p${i}) > 0 OR instr(coalesce(s.details ->> '$.keywords', ''), :p${i}) > 0)`).join(' + ')
  const params = Object.fromEntries(pairs.map((p, i) => [`p${i}`, p]))
  const rows = conn.sqlite.prepare(`SELECT * FROM (SELECT ${summaryColumns}, ${inEither} AS matched, ${inName} AS named, s.use_count AS uses
      FROM services_fts f CROSS JOIN services s ON s.code = f.code JOIN departments d ON d.code = s.department_code
      WHERE s.status = 'published')
    WHERE matched >= :needed ORDER BY matched DESC, named DESC, uses DESC, code LIMIT :limit`)
    .all({ ...params, needed: pairsNeeded(pairs.length), limit: SIMILAR }) as SummaryRow[]
  return rows.map(toSummary)
}

const caches = new WeakMap<Connection, LRUCache<string, { version: number, at: number, value: SearchSuggestions }>>()
/** As the search's own cache (catalogue.ts): popularity may lag a minute, a change to the catalogue none. */
const CACHE_MS = 60_000

/** The suggestions for `q`, kept per query until the catalogue changes: each is a scan of the catalogue. */
export function searchSuggestions(conn: Connection, q: string, now = Date.now()): SearchSuggestions {
  const version = catalogueVersion(conn)
  let cache = caches.get(conn)
  if (!cache) caches.set(conn, cache = new LRUCache({ max: 500 }))
  const key = searchText(q)
  const hit = cache.get(key)
  if (hit && hit.version === version && now - hit.at < CACHE_MS) return structuredClone(hit.value)
  const value = { similar: similarServices(conn, q), popular: popularServices(conn, POPULAR) }
  cache.set(key, { version, at: now, value: structuredClone(value) })
  return value
}
