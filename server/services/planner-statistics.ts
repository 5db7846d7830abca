/**
 * The query planner's statistics (sqlite_stat1). Without them SQLite guesses how selective each
 * index is, and for some statements it guesses wrong at city scale (a clerk's queue walking the
 * department's whole history by one index when another holds only the open cases). `PRAGMA
 * optimize` analyses the tables this connection has queried whose statistics are missing or
 * stale; `analysis_limit` bounds the work per index, so an hourly run stays short on a large
 * database (SQLite's own advice for long-lived connections).
 */
import type { Connection } from '../../db/client'

export const ANALYSIS_LIMIT = 1000

export function refreshPlannerStatistics(conn: Connection): void {
  conn.sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`)
  conn.sqlite.pragma('optimize')
}
