/**
 * The working-day calendar as administrators maintain it: the built-in State Council days of a
 * year plus their own rows (holidays and adjusted working days for later years, or corrections).
 */
import type { Connection } from '../../db/client'
import { STATE_COUNCIL_ROWS } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { invalidateCalendar } from './calendar'

export interface CalendarDay { date: string, kind: 'holiday' | 'workday', note: string | null, source: 'builtin' | 'admin' }

export interface CalendarChange {
  add: { date: string, kind: 'holiday' | 'workday', note?: string | null }[]
  remove: string[]
}

/** Every special day of a year; an administrator's row wins over the built-in one of the same date. */
export function calendarDays(conn: Connection, year: number): CalendarDay[] {
  const prefix = `${year}-`
  const byDate = new Map<string, CalendarDay>()
  for (const r of STATE_COUNCIL_ROWS) if (r.date.startsWith(prefix)) byDate.set(r.date, { date: r.date, kind: r.kind, note: null, source: 'builtin' })
  const rows = conn.sqlite.prepare('SELECT date, kind, note FROM calendar_days WHERE date LIKE ? ORDER BY date').all(`${prefix}%`) as Omit<CalendarDay, 'source'>[]
  for (const r of rows) byDate.set(r.date, { ...r, source: 'admin' })
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date))
}

/**
 * Whether any holiday or adjusted working day of `year` is known. A year without any is counted
 * as Monday to Friday, which the State Council's notice for it will contradict: deadlines set
 * meanwhile are too early and stay so. The administrators' page and /api/health say so.
 */
export function calendarEntered(conn: Connection, year: number): boolean {
  const prefix = `${year}-`
  return STATE_COUNCIL_ROWS.some(r => r.date.startsWith(prefix))
    || conn.sqlite.prepare('SELECT 1 FROM calendar_days WHERE date LIKE ? LIMIT 1').get(`${prefix}%`) !== undefined
}

/** Adds (or replaces) and removes administrators' rows; call inside a write transaction. */
export function changeCalendar(conn: Connection, change: CalendarChange, actor: { id: number, role: string }, ip?: string | null): { added: number, removed: number } {
  const upsert = conn.sqlite.prepare(`INSERT INTO calendar_days (date, kind, note) VALUES (?, ?, ?)
    ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, note = excluded.note`)
  for (const d of change.add) upsert.run(d.date, d.kind, d.note ?? null)
  const del = conn.sqlite.prepare('DELETE FROM calendar_days WHERE date = ?')
  let removed = 0
  for (const date of change.remove) removed += del.run(date).changes
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'calendar.update', detail: { add: change.add, remove: change.remove }, ip })
  invalidateCalendar()
  return { added: change.add.length, removed }
}
