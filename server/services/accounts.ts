/**
 * Signing in. Five wrong passwords in a row lock the account for 15 minutes, and while it is
 * locked even the right password is refused, so guessing cannot continue in the background. A
 * wrong current password when changing it (or re-entering it to download one's data or close the
 * account) counts the same: a stolen session must not become a way to guess the password without limit.
 * A wrong sign-in says how many more the name may take before the lock, so that a person who has
 * forgotten the password can stop and reset it in time; a name no usable account has is counted
 * and answered the same way (unknown_name_logins), or the count would tell which names exist.
 * One's own password checked again or changed: own-password.ts.
 */
import { createHmac } from 'node:crypto'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { auditKey, writeAudit } from './audit'
import { DUMMY_HASH, verifyPassword } from './passwords'
import { createSession } from './sessions'

export const MAX_FAILED_LOGINS = 5
export const LOCK_MS = 15 * 60 * 1000

export type LoginResult
  = | { ok: true, token: string, userId: number }
    /**
     * `attemptsLeft`: wrong passwords the name may still take before the lock (1–4), counted alike
     * for an account and for a name no usable account has (unknown_name_logins), so that it tells
     * nothing about whether the name is an account's
     */
    | { ok: false, reason: 'wrong', attemptsLeft: number }
    /** `justLocked`: this attempt's wrong password was the fifth, and set the lock */
    | { ok: false, reason: 'locked', retryAt: string, justLocked?: true }

/** A wrong password counted: the lock it met or set, else how many more the name may take before it. */
interface WrongCount { lock: { until: string, setNow: boolean } | null, attemptsLeft: number }

interface LoginRow { id: number, role: string, passwordHash: string, failedLogins: number, lockedUntil: string | null, disabledAt: string | null }

/** The lock's end when the account is locked at `now`, read inside the write lock; else null. */
export function activeLock(conn: Connection, userId: number, now: Date): string | null {
  const { lockedUntil } = conn.sqlite.prepare('SELECT locked_until AS lockedUntil FROM users WHERE id = ?').get(userId) as { lockedUntil: string | null }
  return lockedUntil && Date.parse(lockedUntil) > now.getTime() ? lockedUntil : null
}

/**
 * Counts one wrong password; call inside a write transaction. The count and the lock are read
 * again under the write lock, because the password hash is checked outside it and several wrong
 * guesses can be in flight at once: each counts, and none of them may lift a lock another set.
 * Returns the lock's end once the account is locked, and whether this wrong password set it.
 */
function countWrongPassword(conn: Connection, user: { id: number, role: string }, ip: string | null | undefined, now: Date, action: string): WrongCount {
  const locked = activeLock(conn, user.id, now)
  if (locked) {
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login.locked', ip })
    return { lock: { until: locked, setNow: false }, attemptsLeft: 0 }
  }
  const { failedLogins, failedLoginAt } = conn.sqlite.prepare('SELECT failed_logins AS failedLogins, failed_login_at AS failedLoginAt FROM users WHERE id = ?')
    .get(user.id) as { failedLogins: number, failedLoginAt: string | null }
  // a count left alone for a day lapses, as a name no account has loses its (countUnknownNameFailure):
  // kept for good, the attempts left after a wrong password a day apart told which names are
  // accounts' (one counted before the time was recorded keeps counting)
  const lapsed = failedLoginAt !== null && Date.parse(failedLoginAt) < now.getTime() - UNKNOWN_NAME_KEPT_MS
  const failed = (lapsed ? 0 : failedLogins) + 1
  const lockedUntil = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MS).toISOString() : null
  conn.sqlite.prepare('UPDATE users SET failed_logins = ?, failed_login_at = ?, locked_until = ? WHERE id = ?').run(lockedUntil ? 0 : failed, now.toISOString(), lockedUntil, user.id)
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: lockedUntil ? 'auth.locked' : action, ip })
  return { lock: lockedUntil ? { until: lockedUntil, setNow: true } : null, attemptsLeft: lockedUntil ? 0 : MAX_FAILED_LOGINS - failed }
}

/** A lock met or set by a wrong password, as the answer to give. */
function lockRefusal(lock: { until: string, setNow: boolean }): PasswordRefusal & { reason: 'locked' } {
  return lock.setNow ? { ok: false, reason: 'locked', retryAt: lock.until, justLocked: true } : { ok: false, reason: 'locked', retryAt: lock.until }
}

/** A wrong password at sign-in, as the answer to give: the lock, or how many more the name may take. */
function signInRefusal({ lock, attemptsLeft }: WrongCount): LoginResult {
  return lock ? lockRefusal(lock) : { ok: false, reason: 'wrong', attemptsLeft }
}

/**
 * Whether the password hash is no longer `checked`, the one a password was just verified against
 * outside the write lock; read inside the write transaction that depends on it. A password that
 * matched the hash a change has since replaced is the old one: as wrong as any other (and the
 * change has ended the sessions it knew of, so a session made now would outlive it).
 */
export function passwordChangedSince(conn: Connection, userId: number, checked: string): boolean {
  const row = conn.sqlite.prepare('SELECT password_hash AS passwordHash FROM users WHERE id = ?').get(userId) as { passwordHash: string } | undefined
  return row?.passwordHash !== checked
}

/** A wrong password (see countWrongPassword), as the answer to give; call inside a write transaction. */
export function refuseWrongPassword(conn: Connection, user: { id: number, role: string }, ip: string | null | undefined, now: Date, action: string): PasswordRefusal {
  const { lock } = countWrongPassword(conn, user, ip, now, action)
  return lock ? lockRefusal(lock) : { ok: false, reason: 'wrong' }
}

/** A password refused because the account is locked, audited as a locked sign-in is. */
export function refuseLocked(conn: Connection, user: { id: number, role: string }, ip: string | null | undefined, retryAt: string): PasswordRefusal & { reason: 'locked' } {
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login.locked', ip })
  return { ok: false, reason: 'locked', retryAt }
}

/** Whether the account has been closed (注销); read inside the write transaction that depends on it. */
export function isClosed(conn: Connection, userId: number): boolean {
  const row = conn.sqlite.prepare('SELECT closed_at AS closedAt FROM users WHERE id = ?').get(userId) as { closedAt: string | null } | undefined
  return !row || row.closedAt !== null
}

/** Whether a staff account has been disabled (停用); read inside the write transaction that depends on it. */
function isDisabled(conn: Connection, userId: number): boolean {
  const row = conn.sqlite.prepare('SELECT disabled_at AS disabledAt FROM users WHERE id = ?').get(userId) as { disabledAt: string | null } | undefined
  return !row || row.disabledAt !== null
}

/** A day: how long a name no account has keeps its count of wrong sign-ins once left alone. */
const UNKNOWN_NAME_KEPT_MS = 24 * 60 * 60 * 1000

/** The name's key in unknown_name_logins: an HMAC, never the name (it may be a password typed in the wrong field). */
function unknownNameKey(conn: Connection, username: string): string {
  return createHmac('sha256', auditKey(conn.path, conn.sqlite)).update(`login.name:${username.toLowerCase()}`).digest('hex').slice(0, 32)
}

/** The lock's end when a name no account has is locked at `now`; else null. */
function unknownNameLock(conn: Connection, key: string, now: Date): string | null {
  const row = conn.sqlite.prepare('SELECT locked_until AS lockedUntil FROM unknown_name_logins WHERE name_key = ?').get(key) as { lockedUntil: string | null } | undefined
  return row?.lockedUntil && Date.parse(row.lockedUntil) > now.getTime() ? row.lockedUntil : null
}

/**
 * countWrongPassword for a name no usable account has; call inside a write transaction. The same
 * five in a row and the same 15 minutes, so that "locked" says nothing about whether the name is
 * an account's. Rows left alone for a day go here, so guessing random names cannot grow the table
 * without end (a day's worth at the sign-in's per-address limit at most).
 */
function countUnknownNameFailure(conn: Connection, key: string, now: Date): WrongCount {
  const locked = unknownNameLock(conn, key, now)
  if (locked) return { lock: { until: locked, setNow: false }, attemptsLeft: 0 }
  conn.sqlite.prepare('DELETE FROM unknown_name_logins WHERE updated_at < ?').run(new Date(now.getTime() - UNKNOWN_NAME_KEPT_MS).toISOString())
  const row = conn.sqlite.prepare('SELECT failed FROM unknown_name_logins WHERE name_key = ?').get(key) as { failed: number } | undefined
  const failed = (row?.failed ?? 0) + 1
  const lockedUntil = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MS).toISOString() : null
  conn.sqlite.prepare(`INSERT INTO unknown_name_logins (name_key, failed, locked_until, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (name_key) DO UPDATE SET failed = excluded.failed, locked_until = excluded.locked_until, updated_at = excluded.updated_at`)
    .run(key, lockedUntil ? 0 : failed, lockedUntil, now.toISOString())
  return { lock: lockedUntil ? { until: lockedUntil, setNow: true } : null, attemptsLeft: lockedUntil ? 0 : MAX_FAILED_LOGINS - failed }
}

/**
 * Records a sign-in refused as if the name were unknown. A disabled account is named in the
 * audit log (who keeps trying the account of someone who left is worth knowing); the answer
 * to the client is the same 'wrong' either way.
 */
function auditUnknownSignIn(conn: Connection, disabled: { id: number, role: string } | undefined, ip: string, action = 'auth.login.failed'): void {
  writeAudit(conn, disabled
    ? { actorId: disabled.id, actorRole: disabled.role, action, detail: { reason: 'disabled' }, ip }
    : { action, detail: { reason: 'unknown user' }, ip })
}

/** A wrong sign-in under a name no usable account has, counted toward its lock as a real account's would be. */
function refuseUnknownName(conn: Connection, key: string, disabled: { id: number, role: string } | undefined, ip: string, now: Date): LoginResult {
  const count = countUnknownNameFailure(conn, key, now)
  auditUnknownSignIn(conn, disabled, ip, count.lock && !count.lock.setNow ? 'auth.login.locked' : 'auth.login.failed')
  return signInRefusal(count)
}

export async function login(conn: Connection, username: string, password: string, meta: { ip: string, userAgent?: string }, now = new Date()): Promise<LoginResult> {
  // a closed or disabled account answers as an unknown one: the same hash check, the same 'wrong',
  // and the same lock after five, counted under the name (unknown_name_logins), so that neither
  // the answer nor the lock tells whether the name is an account's
  const found = conn.sqlite.prepare(`SELECT id, role, password_hash AS passwordHash, failed_logins AS failedLogins, locked_until AS lockedUntil,
      disabled_at AS disabledAt
    FROM users WHERE lower(username) = lower(?) AND closed_at IS NULL`).get(username) as LoginRow | undefined
  const user = found?.disabledAt ? undefined : found
  const nameKey = unknownNameKey(conn, username)
  const accountLock = user?.lockedUntil && Date.parse(user.lockedUntil) > now.getTime() ? user.lockedUntil : null
  const lockedUntil = user ? accountLock : unknownNameLock(conn, nameKey, now)
  if (lockedUntil) {
    if (user) writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login.locked', ip: meta.ip })
    else auditUnknownSignIn(conn, found, meta.ip, 'auth.login.locked')
    return { ok: false, reason: 'locked', retryAt: lockedUntil }
  }
  const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
  return writeTransaction(conn, (): LoginResult => {
    // disabled while this sign-in was hashing: it answers as an unknown name, whatever the password
    if (!user || isDisabled(conn, user.id)) return refuseUnknownName(conn, nameKey, found, meta.ip, now)
    if (!matches) return signInRefusal(countWrongPassword(conn, user, meta.ip, now, 'auth.login.failed'))
    // the account was closed while this sign-in was hashing: it answers as an unknown one
    if (isClosed(conn, user.id)) return refuseUnknownName(conn, nameKey, undefined, meta.ip, now)
    // the password was changed while this sign-in was hashing: it matched the old one
    if (passwordChangedSince(conn, user.id, user.passwordHash)) return signInRefusal(countWrongPassword(conn, user, meta.ip, now, 'auth.login.failed'))
    // a lock set by a wrong guess that finished while this one was hashing holds for the right password too
    const locked = activeLock(conn, user.id, now)
    if (locked) return refuseLocked(conn, user, meta.ip, locked)
    conn.sqlite.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(user.id)
    const token = createSession(conn, user.id, meta, now)
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login', ip: meta.ip })
    return { ok: true, token, userId: user.id }
  })
}

/** `justLocked`: this wrong password was the fifth in a row, and set the lock (sign-in answers it 401, saying so) */
export type PasswordRefusal = { ok: false, reason: 'wrong' } | { ok: false, reason: 'locked', retryAt: string, justLocked?: true }
