/**
 * The database's ceiling: the very service functions behind search (without its result cache),
 * the clerk's queue and the report (so the SQL is the server's own, not a copy that could drift),
 * called in this process on better-sqlite3 without HTTP, one after the other.
 */
import { openDatabase } from '../../db/client'
import { DEMO_CLERK_DEPARTMENT } from '../../db/seed/demo'
import type { Figures } from './measure'
import { tightLoop } from './measure'

export interface QueryBaselines { [scenario: string]: Figures }
export interface BaselineInput { dbPath: string, seconds: number, searches: Record<string, string>, clerkId: number, period: { from: string, to: string } }

/** Runs each query for `seconds` on the dataset; a service that cannot be loaded is left out. */
export async function measureQueries(input: BaselineInput): Promise<QueryBaselines> {
  const conn = openDatabase(`file:${input.dbPath}`)
  const out: QueryBaselines = {}
  try {
    const catalogue = await import('../../server/services/catalogue')
    for (const [scenario, q] of Object.entries(input.searches)) {
      // the SQL itself: the server caches results per query, the database's ceiling must not
      out[scenario] = tightLoop(input.seconds, () => catalogue.searchServicesUncached(conn, { q, page: 1, pageSize: 20 }))
    }
    const queries = await import('../../server/services/case-queries')
    const clerk = { id: input.clerkId, role: 'clerk', departmentCode: DEMO_CLERK_DEPARTMENT }
    out.queue = tightLoop(input.seconds, () => queries.listCases(conn, clerk, { page: 1, pageSize: 20 }))
    const reports = await import('../../server/services/reports')
    out.report = tightLoop(input.seconds, () => reports.onlineRateReport(conn, input.period))
  }
  catch (error) {
    console.error(`database baseline incomplete: ${(error as Error).message}`)
  }
  finally {
    conn.sqlite.close()
  }
  return out
}
