/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and chained, each row's HMAC
 * covering the previous row's HMAC, so removing or editing a row breaks every later link.
 * Write audit rows inside the transaction of the change they record.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Connection } from '../../db/client'

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

/** AUDIT_HMAC_KEY, or a random key kept beside the database (created once, never logged). */
export function auditKey(dbPath: string): Buffer {
  if (cachedKey) return cachedKey
  if (process.env.AUDIT_HMAC_KEY) return (cachedKey = Buffer.from(process.env.AUDIT_HMAC_KEY))
  const file = resolve(dbPath === ':memory:' ? '.data' : dirname(dbPath), 'audit.key')
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  }
  return (cachedKey = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
}

function linkOf(key: Buffer, prev: string, r: Omit<AuditRow, 'id' | 'hmac'>): string {
  const canonical = JSON.stringify([prev, r.at, r.actorId, r.actorRole, r.action, r.subject, r.detail, r.ip])
  return createHmac('sha256', key).update(canonical).digest('hex')
}

export function writeAudit(conn: Connection, e: AuditEntry): void {
  const prev = conn.sqlite.prepare('SELECT hmac FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hmac: string } | undefined
  const row = {
    at: new Date().toISOString(), actorId: e.actorId ?? null, actorRole: e.actorRole ?? null, action: e.action,
    subject: e.subject ?? null, detail: e.detail ? JSON.stringify(e.detail) : null, ip: e.ip ?? null,
  }
  const hmac = linkOf(auditKey(conn.path), prev?.hmac ?? '', row)
  conn.sqlite.prepare(`INSERT INTO audit_log (at, actor_id, actor_role, action, subject, detail, ip, hmac)
    VALUES (@at, @actorId, @actorRole, @action, @subject, @detail, @ip, @hmac)`).run({ ...row, hmac })
}

/** Walks the chain; returns the id of the first row whose link does not hold, or null. */
export function verifyAuditChain(conn: Connection): { checked: number, firstBadId: number | null } {
  const key = auditKey(conn.path)
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
