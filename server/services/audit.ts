/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and chained, each row's HMAC
 * covering the previous row's HMAC, so removing or editing a row breaks every later link.
 * Write audit rows inside the transaction of the change they record.
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

/** AUDIT_HMAC_KEY, or a random key kept beside the database (created once, by the server only, never logged). */
export function auditKey(dbPath: string): Buffer {
  if (cachedKey) return cachedKey
  const existing = readAuditKey(dbPath)
  if (existing) return (cachedKey = existing)
  const file = keyFile(dbPath)
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
  const prev = conn.sqlite.prepare('SELECT hmac FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hmac: string } | undefined
  const row = {
    at: new Date().toISOString(), actorId: e.actorId ?? null, actorRole: e.actorRole ?? null, action: e.action,
    subject: e.subject ?? null, detail: e.detail ? JSON.stringify(e.detail) : null, ip: e.ip ?? null,
  }
  const hmac = linkOf(auditKey(conn.path), prev?.hmac ?? '', row)
  conn.sqlite.prepare(`INSERT INTO audit_log (at, actor_id, actor_role, action, subject, detail, ip, hmac)
    VALUES (@at, @actorId, @actorRole, @action, @subject, @detail, @ip, @hmac)`).run({ ...row, hmac })
}

/**
 * Walks the chain; returns the id of the first row whose link does not hold, or null. `key`:
 * the key to check with (readAuditKey's, for a database the server does not own).
 * The chain shows edits, insertions and removals before its newest row; removing the newest rows
 * leaves a shorter chain that still holds, which only a record kept elsewhere can show.
 */
export function verifyAuditChain(conn: Pick<Connection, 'sqlite' | 'path'>, key = auditKey(conn.path)): { checked: number, firstBadId: number | null } {
  let prev = ''
  let checked = 0
  for (const r of conn.sqlite.prepare(`SELECT id, at, actor_id AS actorId, actor_role AS actorRole, action, subject, detail, ip, hmac
      FROM audit_log ORDER BY id`).iterate() as IterableIterator<AuditRow>) {
    if (linkOf(key, prev, r) !== r.hmac) return { checked, firstBadId: r.id }
    prev = r.hmac
    checked++
  }
  return { checked, firstBadId: null }
}

export interface AuditFilter {
  /** an exact action (`auth.login`) or a family (`auth` matches `auth.login`, `auth.logout`, …) */
  action?: string
  /** the actor's username */
  actor?: string
  /** Asia/Shanghai calendar days, both included */
  from?: string
  to?: string
  page: number
  pageSize: number
}

export interface AuditListItem {
  id: number
  at: string
  actorUsername: string | null
  actorRole: string | null
  action: string
  subject: string | null
  detail: Record<string, unknown> | null
  ip: string | null
}

/** The first instant of an Asia/Shanghai calendar day (UTC+8, no daylight saving), as stored. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString()
const nextDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString()

/** The audit log for auditors, newest first, filtered; a page of rows and the total. */
export function listAudit(conn: Connection, f: AuditFilter): { items: AuditListItem[], total: number, page: number, pageSize: number } {
  const where: string[] = []
  const params: (string | number)[] = []
  if (f.action) {
    where.push('(a.action = ? OR substr(a.action, 1, ?) = ?)')
    params.push(f.action, f.action.length + 1, `${f.action}.`)
  }
  if (f.actor) {
    where.push('a.actor_id IN (SELECT id FROM users WHERE lower(username) = lower(?))')
    params.push(f.actor)
  }
  if (f.from) {
    where.push('a.at >= ?')
    params.push(dayStart(f.from))
  }
  if (f.to) {
    where.push('a.at < ?')
    params.push(nextDayStart(f.to))
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const { total } = conn.sqlite.prepare(`SELECT count(*) AS total FROM audit_log a ${clause}`).get(...params) as { total: number }
  const rows = conn.sqlite.prepare(`SELECT a.id, a.at, u.username AS actorUsername, a.actor_role AS actorRole, a.action, a.subject, a.detail, a.ip
    FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ${clause} ORDER BY a.id DESC LIMIT ? OFFSET ?`)
    .all(...params, f.pageSize, (f.page - 1) * f.pageSize) as (Omit<AuditListItem, 'detail'> & { detail: string | null })[]
  const items = rows.map(r => ({ ...r, detail: r.detail ? JSON.parse(r.detail) as Record<string, unknown> : null }))
  return { items, total, page: f.page, pageSize: f.pageSize }
}
