/**
 * A signed-in person's own password: checked again before a sensitive step (downloading one's
 * data, closing the account) and changed. A wrong one counts towards the sign-in lock as at
 * sign-in (accounts.ts), so a stolen session is no way to guess the password without limit.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { activeLock, isClosed, passwordChangedSince, refuseLocked, refuseWrongPassword } from './accounts'
import type { PasswordRefusal } from './accounts'
import { writeAudit } from './audit'
import { HashingBusy, hashPassword, verifyPassword } from './passwords'
import { createSession, endOtherSessions, endSession } from './sessions'

/** `endedSessions`: the other devices signed out; `token`: the new session of the device that made the change. */
export type ChangePasswordResult = { ok: true, endedSessions: number, token: string } | PasswordRefusal

/**
 * Checks a signed-in person's own password before a sensitive step. A wrong one counts towards
 * the sign-in lock (audited as `failedAction`), and a locked account is refused outright (audited
 * as a locked sign-in). On success, the hash the password matched: the caller's write transaction
 * must find it unchanged (passwordChangedSince), since the check ran outside the write lock.
 */
async function checkOwnPassword(conn: Connection, actor: { id: number, role: string }, password: string, ip: string | null | undefined, now: Date, failedAction: string): Promise<{ ok: true, checkedHash: string } | PasswordRefusal> {
  const row = conn.sqlite.prepare('SELECT password_hash AS passwordHash FROM users WHERE id = ?').get(actor.id) as { passwordHash: string } | undefined
  const locked = row ? activeLock(conn, actor.id, now) : null
  if (locked) return refuseLocked(conn, actor, ip, locked)
  if (!row) return { ok: false, reason: 'wrong' }
  if (!(await verifyPassword(password, row.passwordHash))) return writeTransaction(conn, () => refuseWrongPassword(conn, actor, ip, now, failedAction))
  return { ok: true, checkedHash: row.passwordHash }
}

/** How many checks of its password each account has under way (this process). */
const checkingAccounts = new Map<number, number>()
/** Checks of one account's password at once: a change while the copy of one's data is checked, say. */
export const CHECKS_PER_ACCOUNT = 2

/**
 * At most CHECKS_PER_ACCOUNT password checks (or changes) of an account at a time; one more is
 * refused as busy (HashingBusy, 503 with Retry-After). Right passwords count towards no lock, and
 * one account keeping ten checks in flight filled the server's hashing gate (2 running, 8
 * waiting), so that everyone else's sign-in was refused; now it holds two places at most.
 */
async function withinAccountChecks<T>(accountId: number, run: () => Promise<T>): Promise<T> {
  const under = checkingAccounts.get(accountId) ?? 0
  if (under >= CHECKS_PER_ACCOUNT) throw new HashingBusy()
  checkingAccounts.set(accountId, under + 1)
  try {
    return await run()
  }
  finally {
    const left = (checkingAccounts.get(accountId) ?? 1) - 1
    if (left > 0) checkingAccounts.set(accountId, left)
    else checkingAccounts.delete(accountId)
  }
}

/**
 * Asks for the person's password again, then runs `write` in one write transaction; the same
 * check and lock as a password change. `write` runs only if neither a lock was set nor the
 * password changed while it was being checked (the old password then counts as a wrong one), and
 * the count of wrong passwords starts again, as after a sign-in.
 */
export async function withReauthentication<T>(conn: Connection, actor: { id: number, role: string }, password: string, ip: string | null | undefined, failedAction: string, write: () => T, now = new Date()): Promise<{ ok: true, value: T } | PasswordRefusal> {
  const checked = await withinAccountChecks(actor.id, () => checkOwnPassword(conn, actor, password, ip, now, failedAction))
  if (!checked.ok) return checked
  return writeTransaction(conn, (): { ok: true, value: T } | PasswordRefusal => {
    // closed by another request while this one checked the password: nothing left to export or close
    if (isClosed(conn, actor.id)) return { ok: false, reason: 'wrong' }
    // changed by another request while this one checked it: the password given is the old one
    if (passwordChangedSince(conn, actor.id, checked.checkedHash)) return refuseWrongPassword(conn, actor, ip, now, failedAction)
    const locked = activeLock(conn, actor.id, now)
    if (locked) return refuseLocked(conn, actor, ip, locked)
    conn.sqlite.prepare('UPDATE users SET failed_logins = 0 WHERE id = ?').run(actor.id)
    return { ok: true, value: write() }
  })
}

/**
 * Changes a person's password after checking the current one, and ends every session of theirs,
 * the one making the change included, which goes on under a new token (`token`, for its cookie):
 * a thief holding an old cookie is out, a copy of this browser's cookie too. Two changes checked
 * against the same current password: the one that commits second finds the password changed and
 * is refused as a wrong one, so it cannot undo the first and end its sessions.
 */
export async function changePassword(conn: Connection, actor: { id: number, role: string, sessionId: number }, current: string, next: string, meta: { ip?: string | null, userAgent?: string } = {}, now = new Date()): Promise<ChangePasswordResult> {
  const ip = meta.ip
  const checked = await withinAccountChecks(actor.id, async () => {
    const own = await checkOwnPassword(conn, actor, current, ip, now, 'account.password.failed')
    return own.ok ? { ...own, hash: await hashPassword(next) } : own
  })
  if (!checked.ok) return checked
  const hash = checked.hash
  return writeTransaction(conn, (): ChangePasswordResult => {
    if (passwordChangedSince(conn, actor.id, checked.checkedHash)) return refuseWrongPassword(conn, actor, ip, now, 'account.password.failed')
    const lockedMeanwhile = activeLock(conn, actor.id, now)
    if (lockedMeanwhile) return refuseLocked(conn, actor, ip, lockedMeanwhile)
    conn.sqlite.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?')
      .run(hash, now.toISOString(), actor.id)
    const endedSessions = endOtherSessions(conn, actor.id, actor.sessionId, now)
    endSession(conn, actor.sessionId, now)
    const token = createSession(conn, actor.id, { ip: ip ?? undefined, userAgent: meta.userAgent }, now)
    writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.password.change', detail: { endedSessions }, ip })
    return { ok: true as const, endedSessions, token }
  })
}
