/**
 * The working-day calendar in force: the built-in State Council calendar (shared/utils/working-days)
 * plus the days administrators have added for later years (calendar_days). Cached until changed.
 */
import type { Connection } from '../../db/client'
import { makeCalendar } from '../../shared/utils/working-days'

type Calendar = ReturnType<typeof makeCalendar>
let cached: Calendar | undefined

export function loadCalendar(conn: Connection): Calendar {
  if (!cached) {
    const rows = conn.sqlite.prepare('SELECT date, kind FROM calendar_days').all() as { date: string, kind: 'holiday' | 'workday' }[]
    cached = makeCalendar(rows)
  }
  return cached
}

/** Call after calendar_days changed. */
export function invalidateCalendar(): void {
  cached = undefined
}
