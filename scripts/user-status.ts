/**
 * `npm run user:disable -- wang --reason "left the department"`: a staff account that signs in
 * no more (停用), its sessions ended at once; `npm run user:enable -- wang`: the same account
 * back, with its password. Both are audited as done from the console, with the reason.
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX, disableStaffUser, enableStaffUser } from '../server/services/staff-accounts'
import type { StaffAccessRefusal } from '../server/services/staff-accounts'
import { openPortalDatabase } from './portal-database'

const USAGE = {
  disable: `usage: npm run user:disable -- <username> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"`,
  enable: 'usage: npm run user:enable -- <username> [--reason "<why>"]',
}
type Command = keyof typeof USAGE

const REFUSALS: Record<StaffAccessRefusal['reason'], (username: string) => string> = {
  unknownUser: u => `no account named ${u}`,
  citizen: u => `${u} is a citizen's account: the console disables staff only; a citizen closes their own account (注销, on their account page)`,
  closed: u => `${u} has been closed (注销): there is nothing to disable or enable`,
  reasonMissing: () => 'the reason is empty: say why, it goes into the audit log',
  reasonTooLong: () => `the reason is longer than ${ACCOUNT_REASON_MAX} characters`,
  reasonControlChars: () => 'the reason must be one line of plain text',
  reasonPersonalData: () => 'the reason holds an ID or mobile number: the audit log keeps it for good, so say why without personal data',
}

/** The username and --reason, or parseArgs' own message (an unknown option, --reason without a value). */
function parseArguments(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: { reason: { type: 'string' } } })
  }
  catch (error) {
    return (error as Error).message
  }
}

function main(command: Command, args: string[]): number {
  const parsed = parseArguments(args)
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE[command]}`)
    return 2
  }
  const [username, ...extra] = parsed.positionals
  if (!username || extra.length) {
    console.error(USAGE[command])
    return 2
  }
  const reason = parsed.values.reason
  if (command === 'disable' && reason === undefined) {
    console.error(`a reason is required: it goes into the audit log\n${USAGE.disable}`)
    return 2
  }
  const conn = openPortalDatabase()
  try {
    const result = command === 'disable' ? disableStaffUser(conn, username, reason!) : enableStaffUser(conn, username, reason)
    if (!result.ok) {
      console.error(REFUSALS[result.reason](username))
      return 1
    }
    if (command === 'disable') {
      console.log(result.changed
        ? `disabled ${username} (user ${result.userId}): ${result.endedSessions} session(s) ended; sign-in is refused until npm run user:enable`
        : `${username} is already disabled (since ${result.disabledAt}): nothing changed`)
    }
    else {
      console.log(result.changed ? `enabled ${username} (user ${result.userId}): they can sign in again with their password` : `${username} is not disabled: nothing changed`)
    }
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

const [command, ...args] = process.argv.slice(2)
if (command !== 'disable' && command !== 'enable') {
  console.error(`${USAGE.disable}\n${USAGE.enable}`)
  process.exitCode = 2
}
else {
  try {
    process.exitCode = main(command, args)
  }
  catch (error) {
    console.error(`user:${command} failed: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
