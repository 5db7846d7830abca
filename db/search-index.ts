/**
 * Full-text search over the catalogue. FTS5's trigram tokenizer finds any substring of three or
 * more characters through its index; one- and two-character queries (社保, 护照, 落户) scan the
 * same compact table with LIKE, which stays fast at the catalogue's size (tens of thousands).
 */
import type { Connection } from './client'

interface IndexedService { code: string, name: string, nameEn: string, deptName: string, details: string }

function bodyOf(s: IndexedService): string {
  const details = JSON.parse(s.details) as { keywords?: string[], materials?: { name: string }[] }
  return [s.nameEn, s.deptName, ...(details.keywords ?? []), ...(details.materials ?? []).map(m => m.name)].join(' ')
}

const selectIndexed = `SELECT s.code, s.name, s.name_en AS nameEn, d.name AS deptName, s.details
  FROM services s JOIN departments d ON d.code = s.department_code`

/** Rebuilds the whole index (seed, import). Call inside the caller's transaction. */
export function rebuildSearchIndex(conn: Connection): void {
  const { sqlite } = conn
  sqlite.prepare('DELETE FROM services_fts').run()
  const insert = sqlite.prepare('INSERT INTO services_fts (code, name, body) VALUES (?, ?, ?)')
  for (const s of sqlite.prepare(selectIndexed).all() as IndexedService[]) insert.run(s.code, s.name, bodyOf(s))
}

/** Re-indexes one item after it was created or edited. */
export function indexService(conn: Connection, code: string): void {
  const { sqlite } = conn
  sqlite.prepare('DELETE FROM services_fts WHERE code = ?').run(code)
  const s = sqlite.prepare(`${selectIndexed} WHERE s.code = ?`).get(code) as IndexedService | undefined
  if (s) sqlite.prepare('INSERT INTO services_fts (code, name, body) VALUES (?, ?, ?)').run(s.code, s.name, bodyOf(s))
}
