/**
 * Forgot password (忘记密码 → 短信验证码): a citizen proves who they are with the ID number and
 * mobile on record and a 6-digit code sent by SMS to that mobile, then sets a new password.
 *
 * Whoever asks learns nothing about who is registered: the handler answers every request alike,
 * and a wrong, expired, used or unknown code are one answer. Only an HMAC of a code is stored (a
 * database copy or backup shows no live code); the code itself goes only into the SMS's outbox row.
 * Six digits are few enough to try offline against a stolen hash and salt, so what protects a code
 * is its life: 10 minutes, 5 wrong tries, and at most 3 codes an hour per account. Staff accounts
 * never get one: their passwords are reset on the console (`npm run user:password`).
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { PasswordResetConfirmInput } from '../../shared/utils/validators'
import { writeAudit } from './audit'
import { hashPassword } from './passwords'
import { endOtherSessions } from './sessions'

export const RESET_CODE_MINUTES = 10
export const MAX_CODES_PER_HOUR = 3
export const MAX_WRONG_CODES = 5
/** Rows (used or not) are kept this long, for the hourly cap and for support questions, then deleted. */
export const RESET_ROW_HOURS = 24

/** What became of a request; the handler answers the same whatever it is. */
export type ResetRequestOutcome = 'sent' | 'noMatch' | 'ambiguous' | 'staff' | 'hourlyLimit'
export type ResetConfirmResult = { ok: true, endedSessions: number } | { ok: false, reason: 'invalid' }

interface Person { idNumber: string, mobile: string }
interface Account { id: number, role: string }
interface ResetRow { id: number, userId: number, codeHash: string, salt: string, expiresAt: string, attempts: number }

const hashCode = (code: string, salt: string) => createHmac('sha256', Buffer.from(salt, 'base64url')).update(code).digest('hex')

function codeMatches(code: string, row: ResetRow): boolean {
  const given = Buffer.from(hashCode(code, row.salt), 'hex')
  const stored = Buffer.from(row.codeHash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}

/** The open (not closed, not disabled) accounts with this ID number and mobile; by users_id_number_idx. */
function accountsOf(conn: Connection, p: Person): Account[] {
  return conn.sqlite.prepare(`SELECT id, role FROM users
    WHERE id_number = ? AND mobile = ? AND closed_at IS NULL AND disabled_at IS NULL`).all(p.idNumber, p.mobile) as Account[]
}

/** The one citizen account a reset may be for, or why there is none. */
function resettable(accounts: Account[]): Account | Exclude<ResetRequestOutcome, 'sent' | 'hourlyLimit'> {
  if (accounts.some(a => a.role !== 'citizen')) return 'staff'
  if (accounts.length === 0) return 'noMatch'
  // two open accounts of one person (registered before registration refused that): counter
  // linking cannot tell them apart either, so neither gets a code; the person asks at a counter
  return accounts.length === 1 ? accounts[0]! : 'ambiguous'
}

function smsToAccount(conn: Connection, userId: number, key: string, template: string, params: Record<string, string | number>, at: string): void {
  const { mobile } = conn.sqlite.prepare('SELECT mobile FROM users WHERE id = ?').get(userId) as { mobile: string }
  conn.sqlite.prepare(`INSERT INTO outbox (dedupe_key, channel, recipient, template, params, created_at, next_attempt_at)
    VALUES (?, 'sms', ?, ?, ?, ?, ?)`).run(key, mobile, template, JSON.stringify(params), at, at)
}

/**
 * Asks for a code, in one write transaction: when exactly one open citizen account has this ID
 * number and mobile and it had fewer than 3 codes in the last hour, its earlier live codes are
 * voided, a new one is stored (its HMAC only) and an SMS with it is queued to the mobile on record.
 * Every request is audited, without the code, the ID number or the mobile.
 */
export function requestPasswordReset(conn: Connection, person: Person, ip: string | null, now = new Date()): ResetRequestOutcome {
  return writeTransaction(conn, (): ResetRequestOutcome => {
    const account = resettable(accountsOf(conn, person))
    if (typeof account === 'string') {
      writeAudit(conn, { action: 'account.passwordReset.refused', detail: { reason: account }, ip })
      return account
    }
    const at = now.toISOString()
    const hourAgo = new Date(now.getTime() - 3_600_000).toISOString()
    const { n } = conn.sqlite.prepare('SELECT count(*) AS n FROM password_resets WHERE user_id = ? AND created_at > ?').get(account.id, hourAgo) as { n: number }
    if (n >= MAX_CODES_PER_HOUR) {
      writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.refused', subject: `user:${account.id}`, detail: { reason: 'hourlyLimit' }, ip })
      return 'hourlyLimit'
    }
    conn.sqlite.prepare('UPDATE password_resets SET voided_at = ? WHERE user_id = ? AND used_at IS NULL AND voided_at IS NULL').run(at, account.id)
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const salt = randomBytes(16).toString('base64url')
    const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO password_resets (user_id, code_hash, salt, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
      .run(account.id, hashCode(code, salt), salt, at, new Date(now.getTime() + RESET_CODE_MINUTES * 60_000).toISOString())
    smsToAccount(conn, account.id, `account:${account.id}:reset:${lastInsertRowid}:sms`, 'account.passwordReset', { code, minutes: RESET_CODE_MINUTES }, at)
    writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.request', subject: `user:${account.id}`, ip })
    return 'sent'
  })
}

/** The newest code of the account not used or voided (it may have expired), or none. */
function liveCode(conn: Connection, userId: number): ResetRow | undefined {
  return conn.sqlite.prepare(`SELECT id, user_id AS userId, code_hash AS codeHash, salt, expires_at AS expiresAt, attempts FROM password_resets
    WHERE user_id = ? AND used_at IS NULL AND voided_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`).get(userId) as ResetRow | undefined
}

/** Counts a wrong code against the row, voiding it at the fifth; inside a write transaction. */
function countWrongCode(conn: Connection, account: Account, rowId: number, ip: string | null, at: string): void {
  conn.sqlite.prepare(`UPDATE password_resets SET attempts = attempts + 1, voided_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE voided_at END
    WHERE id = ? AND used_at IS NULL AND voided_at IS NULL`).run(MAX_WRONG_CODES, at, rowId)
  writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.failed', subject: `user:${account.id}`, detail: { reason: 'wrongCode' }, ip })
}

/**
 * Sets a new password with a code: the newest live code of the one open citizen account with this
 * ID number and mobile must match. A wrong code counts a try (the fifth voids the code); anything
 * else wrong (no such account, no code, expired, used, voided) is the same refusal. On success the
 * password changes as a password change does, the code is used, every session of the account ends,
 * a sign-in lock is lifted, and an SMS tells the mobile that the password was changed.
 */
export async function confirmPasswordReset(conn: Connection, input: PasswordResetConfirmInput, ip: string | null, now = new Date()): Promise<ResetConfirmResult> {
  const account = resettable(accountsOf(conn, input))
  const row = typeof account === 'string' ? undefined : liveCode(conn, account.id)
  if (typeof account === 'string' || !row || Date.parse(row.expiresAt) <= now.getTime()) {
    writeAudit(conn, typeof account === 'string'
      ? { action: 'account.passwordReset.failed', detail: { reason: account }, ip }
      : { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.failed', subject: `user:${account.id}`, detail: { reason: row ? 'expired' : 'noCode' }, ip })
    return { ok: false, reason: 'invalid' }
  }
  const at = now.toISOString()
  if (!codeMatches(input.code, row)) {
    writeTransaction(conn, () => countWrongCode(conn, account, row.id, ip, at))
    return { ok: false, reason: 'invalid' }
  }
  // hashed before the write lock (scrypt takes half a second): nothing else waits for it
  const hash = await hashPassword(input.newPassword)
  return writeTransaction(conn, (): ResetConfirmResult => {
    // used, voided (a newer code, five wrong tries) or deleted (the account closed) while hashing
    const still = liveCode(conn, account.id)
    if (still?.id !== row.id || still.attempts >= MAX_WRONG_CODES) {
      writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.failed', subject: `user:${account.id}`, detail: { reason: 'superseded' }, ip })
      return { ok: false, reason: 'invalid' }
    }
    conn.sqlite.prepare('UPDATE password_resets SET used_at = ? WHERE id = ?').run(at, row.id)
    conn.sqlite.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(hash, at, account.id)
    const endedSessions = endOtherSessions(conn, account.id, null, now)
    smsToAccount(conn, account.id, `account:${account.id}:reset:${row.id}:changed`, 'account.passwordChanged', {}, at)
    writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset', subject: `user:${account.id}`, detail: { endedSessions }, ip })
    return { ok: true, endedSessions }
  })
}

/** Deletes an account's reset rows; inside the write transaction that closes it. */
export function forgetPasswordResets(conn: Connection, userId: number): number {
  return conn.sqlite.prepare('DELETE FROM password_resets WHERE user_id = ?').run(userId).changes
}

/** Deletes reset rows made more than RESET_ROW_HOURS ago, by password_resets_created_idx; returns how many went. */
export function forgetOldPasswordResets(conn: Connection, now = new Date()): number {
  const cutoff = new Date(now.getTime() - RESET_ROW_HOURS * 3_600_000).toISOString()
  return writeTransaction(conn, () => conn.sqlite.prepare('DELETE FROM password_resets WHERE created_at < ?').run(cutoff).changes)
}
