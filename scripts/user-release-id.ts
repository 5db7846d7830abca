/**
 * `npm run user:release-id -- <ID number> --reason "<why>"`: an ID number another account holds
 * is released, so that its person can register (server/services/id-number-release.ts). Run it only
 * after staff have seen the person's ID card at a counter; the reason goes into the audit log
 * (say which counter and ticket, not the number: the log keeps it for good).
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX } from '../server/services/staff-accounts'
import { releaseIdNumber } from '../server/services/id-number-release'
import type { ReleaseRefusal } from '../server/services/id-number-release'
import { openPortalDatabase } from './portal-database'

const USAGE = `usage: npm run user:release-id -- <ID number> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"`

const REFUSALS: Record<ReleaseRefusal['reason'], string> = {
  idNumber: 'that is not a valid ID number (GB 11643: 18 characters, its check digit and date)',
  noAccount: 'no open citizen account holds that ID number: nothing to release',
  reasonMissing: 'the reason is empty: say why, it goes into the audit log',
  reasonTooLong: `the reason is longer than ${ACCOUNT_REASON_MAX} characters`,
  reasonControlChars: 'the reason must be one line of plain text',
  reasonPersonalData: 'the reason holds an ID or mobile number: the audit log keeps it for good, so say why without personal data',
}

function main(args: string[]): number {
  let parsed
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { reason: { type: 'string' } } })
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const [idNumber, ...extra] = parsed.positionals
  if (!idNumber || extra.length || parsed.values.reason === undefined) {
    console.error(USAGE)
    return 2
  }
  const conn = openPortalDatabase()
  try {
    const result = releaseIdNumber(conn, idNumber, parsed.values.reason)
    if (!result.ok) {
      console.error(REFUSALS[result.reason])
      return 1
    }
    for (const a of result.accounts) console.log(`released from ${a.username} (user ${a.userId}): ${a.endedSessions} session(s) ended`)
    console.log('the person can now register with their ID number')
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

process.exitCode = main(process.argv.slice(2))
