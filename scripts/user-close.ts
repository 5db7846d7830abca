/**
 * `npm run user:close -- user:42 --reason "closed 2026-12-01, undone by the restore of 2026-12-05"`:
 * closes a citizen's account (注销) from the console, erasing it as closing it themselves would.
 * Above all for the closures a restore brought back (`npm run restore` lists them as `user:<id>`;
 * docs/privacy.md): the person cannot close again an account that reads as closed to them. The
 * account is a username or `user:<id>`; the reason goes into the audit log, without ID or mobile
 * numbers. Refused, as the person would be, while a case of theirs is open.
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { closeAccountFromConsole } from '../server/services/personal-data'
import type { ConsoleCloseResult } from '../server/services/personal-data'
import { ACCOUNT_REASON_MAX } from '../server/services/staff-accounts'
import { refusalMessage, subjectAndReason } from './console-reason'
import { openPortalDatabase } from './portal-database'

const USAGE = `usage: npm run user:close -- <username | user:<id>> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"`

type Refusal = Exclude<ConsoleCloseResult, { ok: true }>
const REFUSALS: Record<'unknownAccount' | 'notCitizen' | 'alreadyClosed' | 'openCases', (account: string, r: Refusal) => string> = {
  unknownAccount: a => `no account ${a}`,
  notCitizen: a => `${a} is a staff account: npm run user:disable stops a staff account`,
  alreadyClosed: a => `${a} is closed already: nothing was changed`,
  openCases: (a, r) => `${a} has open cases (${'caseNos' in r ? r.caseNos.join(', ') : ''}): they must be finished or withdrawn first, as when the person closes it`,
}

async function main(args: string[]): Promise<number> {
  const parsed = subjectAndReason(args, USAGE, { reasonRequired: true })
  if (parsed === 2) return 2
  const { subject: account, reason } = parsed
  const conn = openPortalDatabase()
  try {
    const result = await closeAccountFromConsole(conn, account, reason!)
    if (!result.ok) {
      console.error(refusalMessage(result.reason, r => REFUSALS[r](account, result)))
      return 1
    }
    console.log(`closed ${account} (user ${result.userId}): its personal data erased, audited with the reason`)
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code }, (error: Error) => {
  console.error(`user:close failed: ${error.message}`)
  process.exitCode = 1
})
