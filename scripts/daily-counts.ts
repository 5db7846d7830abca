/**
 * `npm run db:counts`: checks the daily counts the reports read (case_daily) against the cases
 * themselves and prints every difference; `npm run db:counts -- --rebuild` then replaces them with
 * the recount in one write transaction, audited (`dailyCounts.rebuild`, as done from the console).
 * For after a restore or an import that wrote cases without the workflow (docs/open-data.md).
 * Exit codes: 0 the counts agree (or were rebuilt), 1 they differ (verify only) or it failed,
 * 2 a usage error. The database must be the portal's, migrated to this checkout (portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { rebuildDailyCounts, verifyDailyCounts } from '../server/services/daily-counts'
import type { CountDifference } from '../server/services/daily-counts'
import { openPortalDatabase } from './portal-database'
import { runCommand } from './console-run'

const USAGE = 'usage: npm run db:counts [-- --rebuild]'
/** Differences printed one a line; past this many only the total is said (a lost table differs on every day). */
const SHOWN = 50

function describe(d: CountDifference): string {
  return `${d.day} ${d.departmentCode} ${d.field}: cases say ${d.expected}, case_daily holds ${d.actual}`
}

function main(args: string[]): number {
  let rebuild: boolean
  try {
    const parsed = parseArgs({ args, strict: true, allowPositionals: false, options: { rebuild: { type: 'boolean', default: false } } })
    rebuild = parsed.values.rebuild === true
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const conn = openPortalDatabase()
  try {
    const diffs = verifyDailyCounts(conn)
    for (const d of diffs.slice(0, SHOWN)) console.log(describe(d))
    if (diffs.length > SHOWN) console.log(`… and ${diffs.length - SHOWN} more`)
    if (!diffs.length) {
      console.log('the daily counts agree with the cases')
      return 0
    }
    if (!rebuild) {
      console.log(`${diffs.length} difference(s): run npm run db:counts -- --rebuild to recount case_daily from the cases`)
      return 1
    }
    const rows = rebuildDailyCounts(conn, { actorRole: 'console' })
    const left = verifyDailyCounts(conn).length
    console.log(`case_daily rebuilt from the cases: ${rows} row(s), ${diffs.length} difference(s) corrected${left ? `, ${left} still differ` : ''}`)
    return left ? 1 : 0
  }
  finally {
    conn.sqlite.close()
  }
}

runCommand('db:counts', () => main(process.argv.slice(2)))
