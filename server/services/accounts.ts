/**
 * Signing in. Five wrong passwords in a row lock the account for 15 minutes, and while it is
 * locked even the right password is refused, so guessing cannot continue in the background.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { writeAudit } from './audit'
import { DUMMY_HASH, verifyPassword } from './passwords'
import { createSession } from './sessions'

export const MAX_FAILED_LOGINS = 5
export const LOCK_MS = 15 * 60 * 1000

export type LoginResult
  = | { ok: true, token: string, userId: number }
    | { ok: false, reason: 'wrong' }
    | { ok: false, reason: 'locked', retryAt: string }

interface LoginRow { id: number, role: string, passwordHash: string, failedLogins: number, lockedUntil: string | null }

export async function login(conn: Connection, username: string, password: string, meta: { ip: string, userAgent?: string }, now = new Date()): Promise<LoginResult> {
  const user = conn.sqlite.prepare(`SELECT id, role, password_hash AS passwordHash, failed_logins AS failedLogins, locked_until AS lockedUntil
    FROM users WHERE lower(username) = lower(?)`).get(username) as LoginRow | undefined
  if (user?.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login.locked', ip: meta.ip })
    return { ok: false, reason: 'locked', retryAt: user.lockedUntil }
  }
  const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
  return writeTransaction(conn, (): LoginResult => {
    if (!user) {
      writeAudit(conn, { action: 'auth.login.failed', detail: { reason: 'unknown user' }, ip: meta.ip })
      return { ok: false, reason: 'wrong' }
    }
    if (!matches) {
      // Re-read inside the write lock: concurrent wrong guesses must all count.
      const { failedLogins } = conn.sqlite.prepare('SELECT failed_logins AS failedLogins FROM users WHERE id = ?').get(user.id) as { failedLogins: number }
      const failed = failedLogins + 1
      const lockedUntil = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MS).toISOString() : null
      conn.sqlite.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?').run(lockedUntil ? 0 : failed, lockedUntil, user.id)
      writeAudit(conn, { actorId: user.id, actorRole: user.role, action: lockedUntil ? 'auth.locked' : 'auth.login.failed', ip: meta.ip })
      return lockedUntil ? { ok: false, reason: 'locked', retryAt: lockedUntil } : { ok: false, reason: 'wrong' }
    }
    conn.sqlite.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(user.id)
    const token = createSession(conn, user.id, meta, now)
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.login', ip: meta.ip })
    return { ok: true, token, userId: user.id }
  })
}
