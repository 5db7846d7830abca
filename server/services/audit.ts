/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and chained, each row's HMAC
 * covering the previous row's HMAC, so removing or editing a row breaks every later link.
 * Write audit rows inside the transaction of the change they record. Reading the log: audit-log.ts.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'

export interface AuditEntry {
  actorId?: number | null
  actorRole?: string | null
  action: string
  subject?: string | null
  detail?: Record<string, unknown> | null
  ip?: string | null
}

interface AuditRow { id: number, at: string, actorId: number | null, actorRole: string | null, action: string, subject: string | null, detail: string | null, ip: string | null, hmac: string }

let cachedKey: Buffer | undefined

const keyFile = (dbPath: string) => resolve(dbPath === ':memory:' ? '.data' : dirname(dbPath), 'audit.key')

/**
 * The key the portal would use for the database at `dbPath`: AUDIT_HMAC_KEY, else the audit.key
 * beside it; null when there is neither. Never creates one: for verifiers and restores, where a
 * fresh key would only make an intact chain look broken.
 */
export function readAuditKey(dbPath: string): Buffer | null {
  if (process.env.AUDIT_HMAC_KEY) return Buffer.from(process.env.AUDIT_HMAC_KEY)
  const file = keyFile(dbPath)
  return existsSync(file) ? Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') : null
}

/**
 * AUDIT_HMAC_KEY, or a random key kept beside the database (created once, by the server only, never
 * logged). Not for a database whose audit log already has rows (`sqlite` given): they were signed
 * with a key that is missing here (a backup copied without its audit.key, AUDIT_HMAC_KEY dropped
 * at a redeploy), and a new one would break the chain for good. That is refused, saying what to
 * put back; the server checks it at start (server/plugins/database.ts).
 */
export function auditKey(dbPath: string, sqlite?: Pick<Connection['sqlite'], 'prepare'>): Buffer {
  if (cachedKey) return cachedKey
  const existing = readAuditKey(dbPath)
  if (existing) return (cachedKey = existing)
  const file = keyFile(dbPath)
  if (sqlite?.prepare('SELECT 1 FROM audit_log LIMIT 1').get()) {
    throw new Error(`the audit log of ${dbPath} is signed, but its key is missing: set AUDIT_HMAC_KEY as the portal had it, or put back the audit.key that was beside the database (${file}); a new key would break the chain`)
  }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  return (cachedKey = readAuditKey(dbPath)!)
}

function linkOf(key: Buffer, prev: string, r: Omit<AuditRow, 'id' | 'hmac'>): string {
  const canonical = JSON.stringify([prev, r.at, r.actorId, r.actorRole, r.action, r.subject, r.detail, r.ip])
  return createHmac('sha256', key).update(canonical).digest('hex')
}

export function writeAudit(conn: Connection, e: AuditEntry): void {
  // reading the last link and appending the next must be one write transaction: between the two,
  // another process (npm run user:create on the live database) could append too and fork the
  // chain. Callers write inside the transaction of their change; a lone row gets its own.
  if (!conn.sqlite.inTransaction) return writeTransaction(conn, () => writeAudit(conn, e))
  const prev = conn.sqlite.prepare('SELECT hmac, at FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hmac: string, at: string } | undefined
  const now = new Date().toISOString()
  const row = {
    // never before the previous row: the auditor's date filter turns days into id ranges (listAudit),
    // which holds only while `at` grows with the id, a clock set back included
    at: prev && prev.at > now ? prev.at : now, actorId: e.actorId ?? null, actorRole: e.actorRole ?? null, action: e.action,
    subject: e.subject ?? null, detail: e.detail ? JSON.stringify(e.detail) : null, ip: e.ip ?? null,
  }
  const hmac = linkOf(auditKey(conn.path, conn.sqlite), prev?.hmac ?? '', row)
  conn.sqlite.prepare(`INSERT INTO audit_log (at, actor_id, actor_role, action, subject, detail, ip, hmac)
    VALUES (@at, @actorId, @actorRole, @action, @subject, @detail, @ip, @hmac)`).run({ ...row, hmac })
}

export interface AuditChainResult {
  /** rows whose link holds, from the oldest */
  checked: number
  /** the first row whose link does not hold; null when every row checked holds */
  firstBadId: number | null
}

/** A walk of the chain under way: the rows after `afterId`, up to `lastId`, are still to check. */
interface ChainWalk extends AuditChainResult { key: Buffer, prev: string, afterId: number, lastId: number }

/**
 * The chain as it stands when the walk starts: rows appended while it runs are left to the next
 * walk (the log is append-only, so the rows up to `lastId` cannot change meanwhile). null: empty.
 */
function startWalk(conn: Pick<Connection, 'sqlite'>, key: Buffer): ChainWalk | null {
  const bound = (sql: string) => conn.sqlite.prepare(sql).pluck().get() as number | null
  const firstId = bound('SELECT min(id) FROM audit_log')
  const lastId = bound('SELECT max(id) FROM audit_log')
  return firstId === null || lastId === null ? null : { key, prev: '', afterId: firstId - 1, lastId, checked: 0, firstBadId: null }
}

/** Checks up to `rows` more rows of `walk`; true when the walk is over (a bad link, or no rows left). */
function stepWalk(conn: Pick<Connection, 'sqlite'>, walk: ChainWalk, rows: number): boolean {
  // all(), not iterate(): between two steps of verifyAuditChainInSteps other requests prepare and
  // run statements on this connection, and none may be left half-read
  const batch = conn.sqlite.prepare(`SELECT id, at, actor_id AS actorId, actor_role AS actorRole, action, subject, detail, ip, hmac
    FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`).all(walk.afterId, walk.lastId, rows) as AuditRow[]
  for (const r of batch) {
    if (linkOf(walk.key, walk.prev, r) !== r.hmac) {
      walk.firstBadId = r.id
      return true
    }
    walk.prev = r.hmac
    walk.afterId = r.id
    walk.checked++
  }
  return batch.length < rows
}

/**
 * Walks the chain; returns the id of the first row whose link does not hold, or null. `key`:
 * the key to check with (readAuditKey's, for a database the server does not own).
 * The chain shows edits, insertions and removals before its newest row; removing the newest rows
 * leaves a shorter chain that still holds, which only a record kept elsewhere can show.
 * In one go: for the scripts. The server walks with verifyAuditChainInSteps.
 */
export function verifyAuditChain(conn: Pick<Connection, 'sqlite' | 'path'>, key = auditKey(conn.path)): AuditChainResult {
  const walk = startWalk(conn, key)
  while (walk && !stepWalk(conn, walk, 10_000)) { /* the next 10,000 rows */ }
  return { checked: walk?.checked ?? 0, firstBadId: walk?.firstBadId ?? null }
}

/**
 * A row of the chain and its link, as recorded outside the database (a backup's manifest, the
 * last line of `npm run audit:verify` kept in a ticket). The chain alone cannot show that its
 * newest rows were removed; a record of a row it once held can.
 */
export interface AuditAnchor { id: number, link: string }

/** The newest row and its link; null for an empty log. */
export function chainHead(conn: Pick<Connection, 'sqlite'>): AuditAnchor | null {
  const row = conn.sqlite.prepare('SELECT id, hmac AS link FROM audit_log ORDER BY id DESC LIMIT 1').get() as AuditAnchor | undefined
  return row ?? null
}

/**
 * What became of a row recorded elsewhere: null while the log still holds it with the same link;
 * 'gone' when it no longer holds that row (the log was cut back, or the database restored from a
 * backup older than the record); 'differs' when the row is there with another link (the log was
 * rewritten from that row on, by someone holding the key).
 */
export function anchorProblem(conn: Pick<Connection, 'sqlite'>, anchor: AuditAnchor): 'gone' | 'differs' | null {
  const link = conn.sqlite.prepare('SELECT hmac FROM audit_log WHERE id = ?').pluck().get(anchor.id) as string | undefined
  if (link === undefined) return 'gone'
  return link === anchor.link ? null : 'differs'
}

/**
 * Rows per step of verifyAuditChainInSteps: reading a row and computing its link takes 5–12 µs
 * (2M rows, two shared cores), so a step holds the event loop for about 10 ms.
 */
const VERIFY_STEP_ROWS = 1000

/**
 * verifyAuditChain for the server, with the same answer: better-sqlite3 is synchronous, and one
 * walk of tens of millions of rows took the server away from everyone for minutes. It checks
 * `rowsPerStep` rows at a time and lets the event loop serve other requests between steps.
 */
export async function verifyAuditChainInSteps(conn: Pick<Connection, 'sqlite' | 'path'>, key = auditKey(conn.path), rowsPerStep = VERIFY_STEP_ROWS): Promise<AuditChainResult> {
  const walk = startWalk(conn, key)
  while (walk && !stepWalk(conn, walk, rowsPerStep)) await new Promise(resolve => setImmediate(resolve))
  return { checked: walk?.checked ?? 0, firstBadId: walk?.firstBadId ?? null }
}
