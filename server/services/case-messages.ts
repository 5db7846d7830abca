/** In-app messages (站内消息) about a person's cases, written by notifications.ts. */
import type { Connection } from '../../db/client'
import type { Page } from '../../shared/utils/query'

export interface MessageView { id: number, caseNo: string | null, at: string, kind: string, params: Record<string, string | number>, readAt: string | null }

export function listMessages(conn: Connection, userId: number, page: number, pageSize: number): Page<MessageView> & { unread: number } {
  const counts = conn.sqlite.prepare('SELECT count(*) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread FROM messages WHERE user_id = ?')
    .get(userId) as { total: number, unread: number }
  const rows = conn.sqlite.prepare(`SELECT id, case_no AS caseNo, at, kind, params, read_at AS readAt FROM messages
    WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`).all(userId, pageSize, (page - 1) * pageSize) as (Omit<MessageView, 'params'> & { params: string })[]
  return { items: rows.map(r => ({ ...r, params: JSON.parse(r.params) as MessageView['params'] })), total: counts.total, unread: counts.unread, page, pageSize }
}

/** How many of the person's messages are unread: the count beside 我的消息 in the navigation. */
export function unreadMessageCount(conn: Connection, userId: number): number {
  return (conn.sqlite.prepare('SELECT count(*) AS n FROM messages WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n
}

/** Marks one of the person's own messages read; false when it is not theirs (or does not exist). */
export function markMessageRead(conn: Connection, userId: number, id: number, now = new Date()): { id: number, readAt: string } | null {
  const row = conn.sqlite.prepare('SELECT read_at AS readAt FROM messages WHERE id = ? AND user_id = ?').get(id, userId) as { readAt: string | null } | undefined
  if (!row) return null
  if (row.readAt) return { id, readAt: row.readAt }
  const readAt = now.toISOString()
  conn.sqlite.prepare('UPDATE messages SET read_at = ? WHERE id = ? AND user_id = ?').run(readAt, id, userId)
  return { id, readAt }
}

/** Marks every unread message of the person read at once (call inside a write transaction): how many were. */
export function markAllMessagesRead(conn: Connection, userId: number, now = new Date()): { marked: number } {
  const { changes } = conn.sqlite.prepare('UPDATE messages SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now.toISOString(), userId)
  return { marked: changes }
}
