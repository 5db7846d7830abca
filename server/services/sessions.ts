/**
 * Sessions kept on the server. The cookie holds a random token; only its SHA-256 is stored, so a
 * copy of the database does not let anyone sign in. A session ends for real on logout, password
 * change, 30 minutes idle or 12 hours in all.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import { SESSION_IDLE_MS, SESSION_TOUCH_EVERY_MS } from '../../shared/utils/session'

export const IDLE_MS = SESSION_IDLE_MS
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000
// Writing last_seen_at on every request would turn every read into a write.
const TOUCH_EVERY_MS = SESSION_TOUCH_EVERY_MS

export interface SessionUser {
  id: number
  sessionId: number
  username: string
  role: Role
  departmentCode: string | null
  name: string
  idNumber: string | null
  mobile: string | null
  email: string | null
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function createSession(conn: Connection, userId: number, meta: { userAgent?: string, ip?: string }, now = new Date()): string {
  const token = randomBytes(32).toString('base64url')
  conn.sqlite.prepare(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(hashToken(token), userId, now.toISOString(), now.toISOString(),
    new Date(now.getTime() + ABSOLUTE_MS).toISOString(), meta.userAgent?.slice(0, 200) ?? null, meta.ip ?? null)
  return token
}

interface SessionRow { sessionId: number, lastSeenAt: string, expiresAt: string, endedAt: string | null, id: number, username: string, role: Role, departmentCode: string | null, name: string, idNumber: string | null, mobile: string | null, email: string | null }

/** The user behind a token, or null when the session is unknown, ended, idle too long or too old. */
export function findSessionUser(conn: Connection, token: string, now = new Date()): SessionUser | null {
  if (!/^[\w-]{20,100}$/.test(token)) return null
  // closed_at: a sign-in still hashing while the account was closed may have written a session after it;
  // disabled_at: disabling ends the sessions too, and this keeps any other way to a session shut
  const row = conn.sqlite.prepare(`SELECT s.id AS sessionId, s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt, s.ended_at AS endedAt,
      u.id, u.username, u.role, u.department_code AS departmentCode, u.name, u.id_number AS idNumber, u.mobile, u.email
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.closed_at IS NULL AND u.disabled_at IS NULL WHERE s.token_hash = ?`).get(hashToken(token)) as SessionRow | undefined
  if (!row || row.endedAt) return null
  const t = now.getTime()
  const lastSeen = Date.parse(row.lastSeenAt)
  if (t >= Date.parse(row.expiresAt) || t - lastSeen >= IDLE_MS) {
    conn.sqlite.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(now.toISOString(), row.sessionId)
    return null
  }
  if (t - lastSeen >= TOUCH_EVERY_MS) conn.sqlite.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(now.toISOString(), row.sessionId)
  const { lastSeenAt: _l, expiresAt: _e, endedAt: _n, ...user } = row
  return user
}

/**
 * "Stay signed in" (the pages' warning before the idle end): the session's last request is now,
 * whatever the once-a-minute rule wrote. When it ends next if nothing else happens: 30 idle
 * minutes from now, or its 12 hours, whichever comes first.
 */
export function keepSessionAlive(conn: Connection, sessionId: number, now = new Date()): { endsAt: string } {
  conn.sqlite.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL').run(now.toISOString(), sessionId)
  const { expiresAt } = conn.sqlite.prepare('SELECT expires_at AS expiresAt FROM sessions WHERE id = ?').get(sessionId) as { expiresAt: string }
  const idleEnd = new Date(now.getTime() + IDLE_MS).toISOString()
  return { endsAt: idleEnd < expiresAt ? idleEnd : expiresAt }
}

export function endSession(conn: Connection, sessionId: number, now = new Date()): void {
  conn.sqlite.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(now.toISOString(), sessionId)
}

/** Ends every session of a user but `keepSessionId` (password change, "sign out elsewhere"). */
export function endOtherSessions(conn: Connection, userId: number, keepSessionId: number | null, now = new Date()): number {
  return conn.sqlite.prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL AND id IS NOT ?')
    .run(now.toISOString(), userId, keepSessionId).changes
}

export function listActiveSessions(conn: Connection, userId: number, now = new Date()) {
  const idleSince = new Date(now.getTime() - IDLE_MS).toISOString()
  return conn.sqlite.prepare(`SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt, user_agent AS userAgent
    FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC`)
    .all(userId, now.toISOString(), idleSince) as { id: number, createdAt: string, lastSeenAt: string, userAgent: string | null }[]
}

/**
 * Ends one of the person's own active sessions ("sign out that device"). False when the id is
 * not an active session of theirs, so someone else's session id answers as if it did not exist.
 */
export function endOwnSession(conn: Connection, userId: number, sessionId: number, now = new Date()): boolean {
  return conn.sqlite.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND user_id = ? AND ended_at IS NULL AND expires_at > ?')
    .run(now.toISOString(), sessionId, userId, now.toISOString()).changes === 1
}
