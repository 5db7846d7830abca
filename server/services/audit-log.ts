/**
 * Reading the audit log (the auditors' page, GET /api/audit): filtered by action or family, actor
 * and days, newest first, paged against the log as it stood when the reading began, with the ID
 * and mobile numbers in subjects and details masked.
 */
import type { Connection } from '../../db/client'
import type { AuditListItem } from '../../shared/types/audit'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import type { Page } from '../../shared/utils/query'

export interface AuditFilter {
  /** an exact action (`auth.login`) or a family (`auth` matches `auth.login`, `auth.logout`, …) */
  action?: string
  /** the actor's username */
  actor?: string
  /** Asia/Shanghai calendar days, both included */
  from?: string
  to?: string
  /** the log as it stood when this row was the newest: later pages of one reading list no newer rows */
  upTo?: number
  page: number
  pageSize: number
}

export type { AuditListItem }

/** The first instant of an Asia/Shanghai calendar day (UTC+8, no daylight saving), as stored. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString()
const nextDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString()

/** A family with more stored actions than this is matched by its name range instead (its rows then sorted per page). */
const MAX_MERGED_ACTIONS = 50

/**
 * The stored actions `action` names: itself and its family `action.*`, found in audit_action_idx
 * one seek each (from one name to the next, never reading their rows): the code writes a few dozen
 * names. `action.` ≤ name < `action/` ('/' is the character after '.') holds exactly the names
 * that begin with `action.`, so `case` finds `case.read` and never `cases`. null: too many.
 */
function storedActions(conn: Connection, action: string): string[] | null {
  const upper = `${action}/`
  const found = conn.sqlite.prepare('SELECT 1 FROM audit_log WHERE action = ? LIMIT 1').get(action) ? [action] : []
  const next = (sql: string, from: string) => conn.sqlite.prepare(sql).pluck().get(from, upper) as string | undefined
  for (let name = next('SELECT action FROM audit_log WHERE action >= ? AND action < ? ORDER BY action LIMIT 1', `${action}.`); name !== undefined;
    name = next('SELECT action FROM audit_log WHERE action > ? AND action < ? ORDER BY action LIMIT 1', name)) {
    if (found.push(name) > MAX_MERGED_ACTIONS) return null
  }
  return found
}

/**
 * The ids of the rows written on the days `from`–`to`; null when there are none. writeAudit stamps
 * `at` while holding the write lock and ids only grow, so `at` grows with the id and the rows of
 * some days are the ids between two seeks in audit_at_idx. As an id range the days combine with
 * the action's and the actor's indexes (`action = ? AND rowid BETWEEN …`) and keep newest-first
 * order without a sort, where `at >= ? AND at < ?` either sorted the days' rows or scanned the table.
 * Rows written while the server's clock stood behind an earlier row's `at` (set back by hand) would
 * be placed by their id, not their `at`, at the edges of the days.
 */
function idRange(conn: Connection, from?: string, to?: string): { first?: number, last?: number } | null {
  const id = (sql: string, at: string) => conn.sqlite.prepare(sql).pluck().get(at) as number | undefined
  const first = from ? id('SELECT id FROM audit_log WHERE at >= ? ORDER BY at, id LIMIT 1', dayStart(from)) : undefined
  const last = to ? id('SELECT id FROM audit_log WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1', nextDayStart(to)) : undefined
  if ((from && first === undefined) || (to && last === undefined) || (first !== undefined && last !== undefined && first > last)) return null
  return { first, last }
}

/**
 * How many rows lie between two ids (either end open: the oldest or newest row): triggers refuse
 * DELETE and an AUTOINCREMENT id is never skipped (an insert that fails or is rolled back gives
 * its id back), so two seeks instead of counting up to tens of millions of index entries per page.
 */
function rowsBetween(conn: Connection, range: { first?: number, last?: number }): number {
  const bound = (sql: string) => conn.sqlite.prepare(sql).pluck().get() as number | null
  const first = range.first ?? bound('SELECT min(id) FROM audit_log')
  const last = range.last ?? bound('SELECT max(id) FROM audit_log')
  return first === null || last === null ? 0 : last - first + 1
}

/** The id of the newest row of the log, null while it is empty: what a first page's `upTo` is. */
export function newestAuditId(conn: Connection): number | null {
  return conn.sqlite.prepare('SELECT max(id) FROM audit_log').pluck().get() as number | null
}

/**
 * The id range cut at `upTo`, never past the newest row: the log grows at the top (newest first),
 * not least by the auditor's own reading (audit.read), so page N+1 counted from the top at a later
 * moment would repeat page N's last rows. null: nothing left.
 */
function asOf(conn: Connection, range: { first?: number, last?: number } | null, upTo: number | undefined): { first?: number, last?: number } | null {
  if (!range || upTo === undefined) return range
  const newest = newestAuditId(conn)
  const last = Math.min(range.last ?? newest ?? 0, upTo, newest ?? 0)
  return range.first !== undefined && range.first > last ? null : { ...range, last }
}

interface Condition { sql: string, params: (string | number)[] }

function selectWhere(what: string, conditions: Condition[]): Condition {
  return {
    sql: `SELECT ${what} FROM audit_log${conditions.length ? ` WHERE ${conditions.map(c => c.sql).join(' AND ')}` : ''}`,
    params: conditions.flatMap(c => c.params),
  }
}

/**
 * The audit log for auditors, newest first, filtered; a page of rows and the total. The page reads
 * its ids newest first from one index range per stored action, merged (UNION ALL … ORDER BY id:
 * never a sort of all the matches), then its own rows; the total counts the matches' index range,
 * or, with neither action nor actor, subtracts ids.
 */
export function listAudit(conn: Connection, f: AuditFilter): Page<AuditListItem> {
  const page = (items: AuditListItem[], total: number) => ({ items, total, page: f.page, pageSize: f.pageSize })
  const actions = f.action ? storedActions(conn, f.action) : undefined
  const actorId = f.actor ? conn.sqlite.prepare('SELECT id FROM users WHERE lower(username) = lower(?)').pluck().get(f.actor) as number | undefined : undefined
  const range = asOf(conn, idRange(conn, f.from, f.to), f.upTo)
  if (actions?.length === 0 || (f.actor && actorId === undefined) || !range) return page([], 0)

  const common: Condition[] = [
    ...(actorId !== undefined ? [{ sql: 'actor_id = ?', params: [actorId] }] : []),
    ...(range.first !== undefined ? [{ sql: 'id >= ?', params: [range.first] }] : []),
    ...(range.last !== undefined ? [{ sql: 'id <= ?', params: [range.last] }] : []),
  ]
  // one arm per stored action, merged by id; a family too large to merge, one arm by its name range
  const byName = (action: string) => ({ sql: '(action = ? OR (action >= ? AND action < ?))', params: [action, `${action}.`, `${action}/`] })
  const arms = actions ? actions.map(a => [{ sql: 'action = ?', params: [a] }, ...common]) : [f.action ? [byName(f.action), ...common] : common]
  const counted = selectWhere('count(*)', actions ? [{ sql: `action IN (${actions.map(() => '?').join(', ')})`, params: actions }, ...common] : arms[0]!)
  const total = !f.action && actorId === undefined ? rowsBetween(conn, range) : conn.sqlite.prepare(counted.sql).pluck().get(...counted.params) as number
  const ids = arms.map(arm => selectWhere('id', arm))
  // CROSS JOIN keeps the page's ids in the outer loop: with a plain JOIN the planner, not knowing
  // how many `LIMIT ?` leaves, walked all of audit_log in id order to spare sorting the page
  const rows = conn.sqlite.prepare(`SELECT a.id, a.at, u.username AS actorUsername, a.actor_role AS actorRole, a.action, a.subject, a.detail, a.ip
    FROM (${ids.map(s => s.sql).join(' UNION ALL ')} ORDER BY id DESC LIMIT ? OFFSET ?) p
    CROSS JOIN audit_log a ON a.id = p.id LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC`)
    .all(...ids.flatMap(s => s.params), f.pageSize, (f.page - 1) * f.pageSize) as (Omit<AuditListItem, 'detail'> & { detail: string | null })[]
  // a username chosen before registration refused mobile and ID numbers may be one (usernameSchema)
  return page(rows.map(r => ({
    ...r,
    actorUsername: r.actorUsername === null ? null : maskPersonalNumbers(r.actorUsername),
    detail: r.detail ? JSON.parse(r.detail) as Record<string, unknown> : null,
  })), total)
}
