/**
 * One-time codes sent by SMS, shared by the password reset (password_resets), the mobile
 * verification (mobile_codes), both owned by an account, and the unlock of public tracking
 * (track_codes), owned by a case. Each table keeps its own codes: a code asked for one purpose must
 * never serve another, nor use up another's hourly cap.
 *
 * The code tables keep only an HMAC of a code under its row's random salt; the code itself is
 * written once more, into the SMS's outbox row, which the sender must read to send it (and which
 * goes with the other notices, OUTBOX_RETENTION_DAYS after it was sent). A database copy or backup
 * thus holds the codes of its last ten minutes that still work, as it holds everything else the
 * portal keeps: backups are protected as the database is (docs/privacy.md). Six digits are few
 * enough to try offline against a stolen hash and salt, so what protects a code is its life: 10
 * minutes, 5 wrong tries, and at most 3 codes an hour per owner. Every function here runs inside the caller's
 * write transaction, except forgetOldCodes, which is its own.
 *
 * The owners' caps do not protect the phone: registration takes any mobile, so one address made
 * account after account with a stranger's number and had hundreds of codes an hour sent to it, at
 * the city's cost. A number is therefore also sent at most 5 codes an hour and 10 a day, whatever
 * they are for and whoever asked, counted in the outbox: its rows outlive a closed account (whose
 * codes go with it) and a case's. Twice over: codes asked for an owner who has proved the number
 * theirs (a verified account, a case whose applicant's account verified it) are counted apart
 * from everyone else's, so that strangers using up the number's day leave its holder their own.
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
 * Codes one mobile number may be sent in an hour and in a day, all purposes together, in each of
 * its two allowances: the codes of owners who proved the number theirs, and everyone else's.
 */
export const MAX_CODES_PER_NUMBER_HOUR = 5
export const MAX_CODES_PER_NUMBER_DAY = 10

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/**
 * The code SMSes among the outbox's notices, by template (track-unlock.ts's TRACK_CODE_TEMPLATE is
 * the third). The same list, in the same order, is the WHERE of outbox_code_recipient_idx: a
 * template added here must be added there too (a migration), or the count reads the whole outbox.
 */
const CODE_SMS = `template IN ('account.passwordReset', 'account.mobileVerify', 'case.trackCode')`

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
 * The mobile an owner's codes go to (the account's on record, or the one recorded on the case),
 * and whether the owner has proved it theirs: a verified account for a password reset; for a
 * tracking unlock, an applicant's account that verified the very mobile on the case. A mobile
 * verification's account has not, or it would not ask.
 */
const RECIPIENT_OF: Record<CodeTable, string> = {
  password_resets: 'SELECT mobile, mobile_verified_at IS NOT NULL AS proven FROM users WHERE id = ?',
  mobile_codes: 'SELECT mobile, 0 AS proven FROM users WHERE id = ?',
  track_codes: `SELECT c.applicant_mobile AS mobile, coalesce(u.mobile_verified_at IS NOT NULL AND u.mobile = c.applicant_mobile, 0) AS proven
    FROM cases c LEFT JOIN users u ON u.id = c.applicant_id WHERE c.case_no = ?`,
}

export interface CodeRecipient { mobile: string | null, proven: boolean }

/** Where the owner's codes go, and whether the owner has proved that number theirs. */
export function codeRecipient<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>): CodeRecipient {
  const row = conn.sqlite.prepare(RECIPIENT_OF[table]).get(owner) as { mobile: string | null, proven: number } | undefined
  return { mobile: row?.mobile ?? null, proven: row?.proven === 1 }
}

/** Which cap stops a code, and when the oldest code it counts leaves its window. */
export interface CodeCap { reason: 'hourlyLimit' | 'numberLimit', retryAt: string }

/**
 * When a window holding `max` or more of the ascending instants `within` frees a place: the
 * `max`-th newest leaving it; null while there is room.
 */
function fullUntil(within: string[], max: number, windowMs: number): string | null {
  if (within.length < max) return null
  return new Date(Date.parse(within[within.length - max]!) + windowMs).toISOString()
}

/** The later of two instants (ISO strings in UTC compare as text), either of them missing. */
const laterOf = (a: string | null, b: string | null): string | null => (a && b ? (a > b ? a : b) : a ?? b)

/** When the owner may have another code after MAX_CODES_PER_HOUR in the last hour; null when it may now. */
function ownerCapUntil<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): string | null {
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString()
  const recent = conn.sqlite.prepare(`SELECT created_at AS createdAt FROM ${table} WHERE ${OWNER_COLUMN[table]} = ? AND created_at > ? ORDER BY created_at`)
    .all(owner, hourAgo) as { createdAt: string }[]
  return fullUntil(recent.map(r => r.createdAt), MAX_CODES_PER_HOUR, HOUR_MS)
}

/**
 * When the number may be sent another code after MAX_CODES_PER_NUMBER_HOUR in the last hour or
 * MAX_CODES_PER_NUMBER_DAY in the last day (the later, when both are full); null when it may now.
 * Counts the codes of owners who proved the number theirs, or those of everyone else, as `proven`
 * says. Read by outbox_code_recipient_idx.
 */
export function numberCapUntil(conn: Connection, mobile: string, proven: boolean, now: Date): string | null {
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString()
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString()
  const lastDay = (conn.sqlite.prepare(`SELECT created_at AS createdAt FROM outbox WHERE recipient = ? AND created_at > ? AND ${CODE_SMS} AND proven_number = ? ORDER BY created_at`)
    .all(mobile, dayAgo, proven ? 1 : 0) as { createdAt: string }[]).map(r => r.createdAt)
  return laterOf(fullUntil(lastDay.filter(at => at > hourAgo), MAX_CODES_PER_NUMBER_HOUR, HOUR_MS), fullUntil(lastDay, MAX_CODES_PER_NUMBER_DAY, DAY_MS))
}

/**
 * Why no code may be sent for the owner now and until when, or null when one may: the owner's
 * hourly cap (hourlyLimit) or its mobile's (numberLimit), the one that lasts longer when both hold,
 * so that trying again at `retryAt` is not refused by the other.
 */
export function codeCap<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): CodeCap | null {
  const ownerUntil = ownerCapUntil(conn, table, owner, now)
  const { mobile, proven } = codeRecipient(conn, table, owner)
  const numberUntil = mobile ? numberCapUntil(conn, mobile, proven, now) : null
  if (numberUntil && (!ownerUntil || numberUntil > ownerUntil)) return { reason: 'numberLimit', retryAt: numberUntil }
  return ownerUntil ? { reason: 'hourlyLimit', retryAt: ownerUntil } : null
}

/**
 * codeCap's time alone, for a caller that needs only whether and until when (track-unlock.ts): the
 * owner's hourly cap and, despite the name, its mobile's hourly and daily ones.
 */
export function hourlyCapUntil<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): string | null {
  return codeCap(conn, table, owner, now)?.retryAt ?? null
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

/**
 * When the owner's newest code stops working, while it still works (not used, voided or expired),
 * else null: for a page to offer the entry box again after a reload, without asking for another
 * code (which would void this one and use up one of the hour's three). Never the code.
 */
export function liveCodeExpiry<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, now: Date): string | null {
  const row = liveCode(conn, table, owner)
  return row && !isExpired(row, now) ? row.expiresAt : null
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

/** Queues a notice to the account's mobile on record (not a code: codes go by queueCodeSms). */
export function smsToAccount(conn: Connection, userId: number, key: string, template: string, params: Record<string, string | number>, at: string): void {
  const { mobile } = conn.sqlite.prepare('SELECT mobile FROM users WHERE id = ?').get(userId) as { mobile: string }
  queueSms(conn, key, mobile, template, JSON.stringify(params), at)
}

/**
 * Queues the SMS with an owner's code to the owner's mobile (the code goes in `params`, and
 * nowhere else), counted where codeCap counts it: with the codes of owners who proved the number
 * theirs, or with everyone else's.
 */
export function queueCodeSms<T extends CodeTable>(conn: Connection, table: T, owner: CodeOwner<T>, key: string, template: string, params: Record<string, string | number>, at: string): void {
  const { mobile, proven } = codeRecipient(conn, table, owner)
  if (!mobile) throw new Error(`no mobile for the codes of ${table} ${owner}`)
  queueSms(conn, key, mobile, template, JSON.stringify(params), at, proven)
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
