/**
 * Full-text search over the catalogue. FTS5's trigram tokenizer finds any substring of three or
 * more characters through its index; one- and two-character queries (社保, 护照, 落户) scan the
 * same compact table with LIKE, which stays fast at the catalogue's size (tens of thousands).
 *
 * The index holds its text folded to NFKC, and every query is folded the same way
 * (searchText): Chinese input methods in full-width mode type ＳＺ, １２３４５ and （ where items
 * say SZ, 12345 and (, and the seed's own names are full of full-width brackets and commas. A
 * query in traditional characters is searched in simplified ones.
 */
import type Database from 'better-sqlite3'
import { Converter } from 'opencc-js/t2cn'
import type { Connection } from './client'
import { writeTransaction } from './client'

/** Full-width and compatibility forms to their plain ones (ＳＺ → SZ, １ → 1, U+3000 → space, ㎡ → m2). */
export function foldForSearch(s: string): string {
  return s.normalize('NFKC')
}

// traditional characters as Hong Kong and Taiwan write them, to the simplified ones the catalogue
// is written in (OpenCC's dictionaries): 通行證 finds 通行证
const fromHongKong = Converter({ from: 'hk', to: 'cn' })
const fromTaiwan = Converter({ from: 'tw', to: 'cn' })

/** A query as the index is searched with: folded, then trimmed (a full-width space folds to a space). */
export function searchText(q: string | undefined): string {
  return q === undefined ? '' : foldForSearch(q).trim()
}

/**
 * The query in simplified characters, as the catalogue is written (a resident of Hong Kong types
 * 往來港澳通行證), folded and trimmed. Not the first try: a few characters are simplified Chinese
 * too and convert to others (著 to 着, 乾 to 干), so the search tries the query as typed first and
 * this only when that finds nothing (catalogue.ts).
 */
export function simplifiedSearchText(q: string | undefined): string {
  return searchText(q === undefined ? undefined : fromTaiwan(fromHongKong(q)))
}

interface IndexedService { code: string, name: string, nameEn: string, deptName: string, details: string }

function bodyOf(s: IndexedService): string {
  const details = JSON.parse(s.details) as { keywords?: string[], materials?: { name: string }[] }
  return [s.nameEn, s.deptName, ...(details.keywords ?? []), ...(details.materials ?? []).map(m => m.name)].join(' ')
}

const selectIndexed = `SELECT s.code, s.name, s.name_en AS nameEn, d.name AS deptName, s.details
  FROM services s JOIN departments d ON d.code = s.department_code`

const insertRow = 'INSERT INTO services_fts (code, name, body) VALUES (?, ?, ?)'

/** Rebuilds the whole index (seed, import). Call inside the caller's transaction. */
export function rebuildSearchIndex(conn: Connection): void {
  const { sqlite } = conn
  sqlite.prepare('DELETE FROM services_fts').run()
  const insert = sqlite.prepare(insertRow)
  for (const s of sqlite.prepare(selectIndexed).all() as IndexedService[]) insert.run(s.code, foldForSearch(s.name), foldForSearch(bodyOf(s)))
}

/** Re-indexes one item after it was created or edited. */
export function indexService(conn: Connection, code: string): void {
  const { sqlite } = conn
  sqlite.prepare('DELETE FROM services_fts WHERE code = ?').run(code)
  const s = sqlite.prepare(`${selectIndexed} WHERE s.code = ?`).get(code) as IndexedService | undefined
  if (s) sqlite.prepare(insertRow).run(s.code, foldForSearch(s.name), foldForSearch(bodyOf(s)))
}

const foldChecked = new WeakSet<Database.Database>()

/**
 * An index written before the text was folded (any database older than the folding) is rebuilt,
 * once per connection: NFKC cannot be written in a SQL migration, so the check reads the rows.
 * The searches call it before their first query: about 25 ms for 10,000 items when all is folded.
 */
export function ensureFoldedSearchIndex(conn: Connection): void {
  if (foldChecked.has(conn.sqlite)) return
  let stale = false
  for (const r of conn.sqlite.prepare('SELECT name, body FROM services_fts').iterate() as IterableIterator<{ name: string, body: string }>) {
    if (foldForSearch(r.name) !== r.name || foldForSearch(r.body) !== r.body) { stale = true; break }
  }
  if (stale) writeTransaction(conn, () => rebuildSearchIndex(conn))
  foldChecked.add(conn.sqlite)
}

const foldFunctions = new WeakSet<Database.Database>()

/**
 * search_fold(text) in this connection's SQL, for searches over the items' own columns (the
 * managers' list covers drafts, which are not in the full-text table).
 */
export function registerSearchFold(conn: Connection): void {
  if (foldFunctions.has(conn.sqlite)) return
  conn.sqlite.function('search_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? foldForSearch(s) : s))
  foldFunctions.add(conn.sqlite)
}
