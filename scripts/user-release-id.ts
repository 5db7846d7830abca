/**
 * `npm run user:release-id -- --reason "<why>"`: an ID number another account holds is released, so
 * that its person can register (server/services/id-number-release.ts). The number comes from
 * PORTAL_ID_NUMBER or is typed at a prompt that does not echo, never from the command line
 * (scripts/console-secrets.ts). Run it only after staff have seen the person's ID card at a
 * counter; the reason goes into the audit log (say which counter and ticket, not the number: the
 * log keeps it for good).
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX, accountReasonSchema } from '../server/services/staff-accounts'
import { releaseIdNumber } from '../server/services/id-number-release'
import type { ReleaseRefusal } from '../server/services/id-number-release'
import { refusalMessage } from './console-reason'
import { ID_NUMBER_NOT_AN_ARGUMENT, readIdNumber } from './console-secrets'
import { openPortalDatabase } from './portal-database'

const USAGE = `usage: npm run user:release-id -- --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"
the ID number is read from PORTAL_ID_NUMBER, or asked for on a terminal`

const REFUSALS: Record<Extract<ReleaseRefusal['reason'], 'idNumber' | 'noAccount'>, string> = {
  idNumber: 'that is not a valid ID number (GB 11643: 18 characters, its check digit and date)',
  noAccount: 'no open citizen account holds that ID number: nothing to release',
}

/**
 * The reason, or the exit code after saying what is wrong with the arguments (2, never repeating
 * them) or with the reason (1, as the release itself would refuse it).
 */
function reasonOf(args: string[]): string | 1 | 2 {
  let parsed
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { reason: { type: 'string' } } })
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  // the number as an argument, as this command once took it: refused without a word of it
  if (parsed.positionals.length) {
    console.error(`${ID_NUMBER_NOT_AN_ARGUMENT}\n${USAGE}`)
    return 2
  }
  if (parsed.values.reason === undefined) {
    console.error(`a reason is required: it goes into the audit log\n${USAGE}`)
    return 2
  }
  // checked before the number is asked for, which would otherwise be typed for nothing
  const reason = accountReasonSchema.safeParse(parsed.values.reason)
  if (!reason.success) {
    console.error(refusalMessage(reason.error.issues[0]!.message, () => USAGE))
    return 1
  }
  return parsed.values.reason
}

async function main(args: string[]): Promise<number> {
  const reason = reasonOf(args)
  if (typeof reason === 'number') return reason
  // asked for before the database is opened: a prompt must not hold it open
  const idNumber = await readIdNumber('the person\'s')
  const conn = openPortalDatabase()
  try {
    const result = releaseIdNumber(conn, idNumber, reason)
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

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (error: Error) => {
  console.error(`user:release-id failed: ${error.message}`)
  process.exitCode = 1
})
