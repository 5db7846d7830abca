/**
 * `npm run user:release-id -- <ID number> --reason "<why>"`: an ID number another account holds
 * is released, so that its person can register (server/services/id-number-release.ts). Run it only
 * after staff have seen the person's ID card at a counter; the reason goes into the audit log
 * (say which counter and ticket, not the number: the log keeps it for good).
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { ACCOUNT_REASON_MAX } from '../server/services/staff-accounts'
import { releaseIdNumber } from '../server/services/id-number-release'
import type { ReleaseRefusal } from '../server/services/id-number-release'
import { refusalMessage, subjectAndReason } from './console-reason'
import { openPortalDatabase } from './portal-database'

const USAGE = `usage: npm run user:release-id -- <ID number> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"`

const REFUSALS: Record<Extract<ReleaseRefusal['reason'], 'idNumber' | 'noAccount'>, string> = {
  idNumber: 'that is not a valid ID number (GB 11643: 18 characters, its check digit and date)',
  noAccount: 'no open citizen account holds that ID number: nothing to release',
}

function main(args: string[]): number {
  const parsed = subjectAndReason(args, USAGE, { reasonRequired: true })
  if (parsed === 2) return 2
  const { subject: idNumber, reason } = parsed
  const conn = openPortalDatabase()
  try {
    const result = releaseIdNumber(conn, idNumber, reason!)
    if (!result.ok) {
      console.error(refusalMessage(result.reason, r => REFUSALS[r]))
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
