/**
 * One-time codes sent by SMS, shared by the password reset (password_resets), the mobile
 * verification (mobile_codes), both owned by an account, and the unlock of public tracking
 * (track_codes), owned by a case. Each table keeps its own codes: a code asked for one purpose must
 * never serve another, nor use up another's hourly cap.
 *
 * Only an HMAC of a code under its row's random salt is stored (a database copy or backup shows no
 * live code); the code itself goes only into the SMS's outbox row. Six digits are few enough to try
 * offline against a stolen hash and salt, so what protects a code is its life: 10 minutes, 5 wrong
 * tries, and at most 3 codes an hour per owner. Every function here runs inside the caller's
 * write transaction, except forgetOldCodes, which is its own.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { queueSms } from './notifications'

export const CODE_MINUTES = 10
export const MAX_CODES_PER_HOUR = 3
export const MAX_WRONG_CODES = 5
/** Rows (used or not) are kept this long, for the hourly cap and for support questions, then deleted. */
export const CODE_ROW_HOURS = 24

/**
 * The tables of codes and the column naming each row's owner: a closed map, since both names are
 * put into the SQL.
 */
const OWNER_COLUMN = {
  password_resets: 'user_id',
  mobile_codes: 'user_id',
  track_codes: 'case_no',
} as const

export type CodeTable = keyof typeof OWNER_COLUMN
/** Who a table's codes belong to: an account's id, or a case number. */
export type CodeOwner<T extends CodeTable> = typeof OWNER_COLUMN[T] extends 'case_no' ? string : number

export interface CodeRow { id: number, owner: number | string, codeHash: string, salt: string, createdAt: string, expiresAt: string, attempts: number }

const hashCode = (code: string, salt: string) => createHmac('sha256', Buffer.from(salt, 'base64url')).update(code).digest('hex')

/** Whether `code` is the row's, compared in constant time. */
export function codeMatches(code: string, row: CodeRow): boolean {
  const given = Buffer.from(hashCode(code, row.salt), 'hex')
  const stored = Buffer.from(row.codeHash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}

export const isExpired = (row: CodeRow, now: Date) => Date.parse(row.expiresAt) <= now.getTime()

/**
 * When the owner may have another code, if it has had MAX_CODES_PER_HOUR in the last hour (the
 * oldest of them leaving the hour); null when it may have one now.
 */
export function hourlyCapUntil<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): string | null {
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString()
  const recent = conn.sqlite.prepare(`SELECT created_at AS createdAt FROM ${table} WHERE ${OWNER_COLUMN[table]} = ? AND created_at > ? ORDER BY created_at`)
    .all(owner, hourAgo) as { createdAt: string }[]
  if (recent.length < MAX_CODES_PER_HOUR) return null
  return new Date(Date.parse(recent[recent.length - MAX_CODES_PER_HOUR]!.createdAt) + 3_600_000).toISOString()
}

/**
 * Voids the owner's earlier live codes and stores a new one (its HMAC only), valid CODE_MINUTES;
 * returns the code, for the SMS, and its row's id (for the SMS's dedupe key).
 */
export function issueCode<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): { code: string, rowId: number } {
  const at = now.toISOString()
  const column = OWNER_COLUMN[table]
  conn.sqlite.prepare(`UPDATE ${table} SET voided_at = ? WHERE ${column} = ? AND used_at IS NULL AND voided_at IS NULL`).run(at, owner)
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const salt = randomBytes(16).toString('base64url')
  const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO ${table} (${column}, code_hash, salt, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
    .run(owner, hashCode(code, salt), salt, at, new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString())
  return { code, rowId: Number(lastInsertRowid) }
}

/** The newest code of the owner not used or voided (it may have expired), or none. */
export function liveCode<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>): CodeRow | undefined {
  const column = OWNER_COLUMN[table]
  return conn.sqlite.prepare(`SELECT id, ${column} AS owner, code_hash AS codeHash, salt, created_at AS createdAt, expires_at AS expiresAt, attempts FROM ${table}
    WHERE ${column} = ? AND used_at IS NULL AND voided_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`).get(owner) as CodeRow | undefined
}

/** Counts a wrong code against the row, voiding it at the MAX_WRONG_CODES-th. */
export function countWrongCode(conn: Connection, table: CodeTable, rowId: number, at: string): void {
  conn.sqlite.prepare(`UPDATE ${table} SET attempts = attempts + 1, voided_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE voided_at END
    WHERE id = ? AND used_at IS NULL AND voided_at IS NULL`).run(MAX_WRONG_CODES, at, rowId)
}

/** Marks the row used: a code works once. */
export function useCode(conn: Connection, table: CodeTable, rowId: number, at: string): void {
  conn.sqlite.prepare(`UPDATE ${table} SET used_at = ? WHERE id = ?`).run(at, rowId)
}

/** Queues an SMS to the account's mobile on record (the code goes in `params`, and nowhere else). */
export function smsToAccount(conn: Connection, userId: number, key: string, template: string, params: Record<string, string | number>, at: string): void {
  const { mobile } = conn.sqlite.prepare('SELECT mobile FROM users WHERE id = ?').get(userId) as { mobile: string }
  queueSms(conn, key, mobile, template, JSON.stringify(params), at)
}

/** Deletes an owner's codes of the table; inside the write transaction that closes the account. */
export function forgetCodes<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>): number {
  return conn.sqlite.prepare(`DELETE FROM ${table} WHERE ${OWNER_COLUMN[table]} = ?`).run(owner).changes
}

/** Deletes codes made more than CODE_ROW_HOURS ago (by the table's created_at index); returns how many went. */
export function forgetOldCodes(conn: Connection, table: CodeTable, now = new Date()): number {
  const cutoff = new Date(now.getTime() - CODE_ROW_HOURS * 3_600_000).toISOString()
  return writeTransaction(conn, () => conn.sqlite.prepare(`DELETE FROM ${table} WHERE created_at < ?`).run(cutoff).changes)
}
