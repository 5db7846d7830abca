/**
 * Forgot password (忘记密码 → 短信验证码): a citizen proves who they are with the ID number and
 * mobile on record and a 6-digit code sent by SMS to that mobile, then sets a new password.
 *
 * Whoever asks learns nothing about who is registered: the handler answers every request alike,
 * and a wrong, expired, used or unknown code are one answer. Only an HMAC of a code is stored (a
 * database copy or backup shows no live code); the code itself goes only into the SMS's outbox row.
 * Six digits are few enough to try offline against a stolen hash and salt, so what protects a code
 * is its life: 10 minutes, 5 wrong tries, and at most 3 codes an hour per account (sms-codes.ts,
 * shared with the mobile verification), and 5 an hour and 10 a day to one number, whatever for.
 * Staff accounts never get one: their passwords are reset on the console (`npm run user:password`).
 * A reset proves the mobile too: the code reached it.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { PasswordResetConfirmInput } from '../../shared/utils/validators'
import { writeAudit } from './audit'
import { markMobileVerified } from './mobile-verification'
import { hashPassword } from './passwords'
import { endOtherSessions } from './sessions'
import { CODE_MINUTES, CODE_ROW_HOURS, codeCap, codeMatches, countWrongCode as countWrong, forgetCodes, forgetOldCodes, isExpired, issueCode, liveCode, MAX_CODES_PER_HOUR, MAX_WRONG_CODES, queueCodeSms, smsToAccount, useCode } from './sms-codes'

export { MAX_CODES_PER_HOUR, MAX_WRONG_CODES }
export const RESET_CODE_MINUTES = CODE_MINUTES
/** Rows (used or not) are kept this long, for the hourly cap and for support questions, then deleted. */
export const RESET_ROW_HOURS = CODE_ROW_HOURS

/** What became of a request; the handler answers the same whatever it is. */
export type ResetRequestOutcome = 'sent' | 'noMatch' | 'ambiguous' | 'staff' | 'hourlyLimit' | 'numberLimit'
export type ResetConfirmResult = { ok: true, endedSessions: number } | { ok: false, reason: 'invalid' }

interface Person { idNumber: string, mobile: string }
interface Account { id: number, role: string, verified: 0 | 1 }

/** The open (not closed, not disabled) accounts with this ID number and mobile; by users_id_number_idx. */
function accountsOf(conn: Connection, p: Person): Account[] {
  return conn.sqlite.prepare(`SELECT id, role, mobile_verified_at IS NOT NULL AS verified FROM users
    WHERE id_number = ? AND mobile = ? AND closed_at IS NULL AND disabled_at IS NULL`).all(p.idNumber, p.mobile) as Account[]
}

/** The one citizen account a reset may be for, or why there is none. */
function resettable(accounts: Account[]): Account | Exclude<ResetRequestOutcome, 'sent' | 'hourlyLimit' | 'numberLimit'> {
  if (accounts.some(a => a.role !== 'citizen')) return 'staff'
  if (accounts.length === 0) return 'noMatch'
  if (accounts.length === 1) return accounts[0]!
  // two open accounts with this ID number and mobile: the one that proved the mobile is the
  // person's (only one can); with none verified, neither gets a code, and the person signs in to
  // the one they use and verifies it there
  const verified = accounts.filter(a => a.verified)
  return verified.length === 1 ? verified[0]! : 'ambiguous'
}

/**
 * Asks for a code, in one write transaction: when exactly one open citizen account has this ID
 * number and mobile, it had fewer than 3 codes in the last hour and its mobile fewer than 5 in the
 * last hour and 10 in the last day (codes of any purpose, counted among those of owners who proved
 * the number theirs when the account has verified it, else among everyone else's: sms-codes.ts),
 * its earlier live codes are voided, a new
 * one is stored (its HMAC only) and an SMS with it is queued to the mobile on record. Every request
 * is audited, without the code, the ID number or the mobile.
 */
export function requestPasswordReset(conn: Connection, person: Person, ip: string | null, now = new Date()): ResetRequestOutcome {
  return writeTransaction(conn, (): ResetRequestOutcome => {
    const account = resettable(accountsOf(conn, person))
    if (typeof account === 'string') {
      writeAudit(conn, { action: 'account.passwordReset.refused', detail: { reason: account }, ip })
      return account
    }
    const at = now.toISOString()
    const cap = codeCap(conn, 'password_resets', account.id, now)
    if (cap) {
      writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.refused', subject: `user:${account.id}`, detail: { reason: cap.reason }, ip })
      return cap.reason
    }
    const { code, rowId } = issueCode(conn, 'password_resets', account.id, now)
    queueCodeSms(conn, 'password_resets', account.id, `account:${account.id}:reset:${rowId}:sms`, 'account.passwordReset', { code, minutes: RESET_CODE_MINUTES }, at)
    writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.request', subject: `user:${account.id}`, ip })
    return 'sent'
  })
}

/** Counts a wrong code against the row (the fifth voids it), audited; inside a write transaction. */
function countWrongCode(conn: Connection, account: Account, rowId: number, ip: string | null, at: string): void {
  countWrong(conn, 'password_resets', rowId, at)
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
  const row = typeof account === 'string' ? undefined : liveCode(conn, 'password_resets', account.id)
  if (typeof account === 'string' || !row || isExpired(row, now)) {
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
    const still = liveCode(conn, 'password_resets', account.id)
    if (still?.id !== row.id || still.attempts >= MAX_WRONG_CODES) {
      writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset.failed', subject: `user:${account.id}`, detail: { reason: 'superseded' }, ip })
      return { ok: false, reason: 'invalid' }
    }
    useCode(conn, 'password_resets', row.id, at)
    conn.sqlite.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(hash, at, account.id)
    const endedSessions = endOtherSessions(conn, account.id, null, now)
    smsToAccount(conn, account.id, `account:${account.id}:reset:${row.id}:changed`, 'account.passwordChanged', {}, at)
    writeAudit(conn, { actorId: account.id, actorRole: account.role, action: 'account.passwordReset', subject: `user:${account.id}`, detail: { endedSessions }, ip })
    // the code reached the mobile on record, so the person holds it: as good as verifying it
    markMobileVerified(conn, account, 'passwordReset', ip, at)
    return { ok: true, endedSessions }
  })
}

/** Deletes an account's reset rows; inside the write transaction that closes it. */
export const forgetPasswordResets = (conn: Connection, userId: number): number => forgetCodes(conn, 'password_resets', userId)

/** Deletes reset rows made more than RESET_ROW_HOURS ago, by password_resets_created_idx; returns how many went. */
export const forgetOldPasswordResets = (conn: Connection, now = new Date()): number => forgetOldCodes(conn, 'password_resets', now)
