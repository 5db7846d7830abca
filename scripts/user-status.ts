/**
 * `npm run user:disable -- wang --reason "left the department"`: a staff account that signs in
 * no more (停用), its sessions ended at once; `npm run user:enable -- wang`: the same account
 * back, with its password. Both are audited as done from the console, with the reason.
 *
 * The database must be the portal's, migrated to this checkout (scripts/portal-database.ts).
 */
import { ACCOUNT_REASON_MAX, disableStaffUser, enableStaffUser } from '../server/services/staff-accounts'
import { refusalMessage, subjectAndReason } from './console-reason'
import { runCommand } from './console-run'
import { openPortalDatabase } from './portal-database'

const USAGE = {
  disable: `usage: npm run user:disable -- <username> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"`,
  enable: 'usage: npm run user:enable -- <username> [--reason "<why>"]',
}
type Command = keyof typeof USAGE

const REFUSALS: Record<'unknownUser' | 'citizen' | 'closed', (username: string) => string> = {
  unknownUser: u => `no account named ${u}`,
  citizen: u => `${u} is a citizen's account: the console disables staff only; a citizen closes their own account (注销, on their account page)`,
  closed: u => `${u} has been closed (注销): there is nothing to disable or enable`,
}

function main(command: Command, args: string[]): number {
  const parsed = subjectAndReason(args, USAGE[command], { reasonRequired: command === 'disable' })
  if (parsed === 2) return 2
  const { subject: username, reason } = parsed
  const conn = openPortalDatabase()
  try {
    const result = command === 'disable' ? disableStaffUser(conn, username, reason!) : enableStaffUser(conn, username, reason)
    if (!result.ok) {
      console.error(refusalMessage(result.reason, r => REFUSALS[r](username)))
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
  runCommand(`user:${command}`, () => main(command, args))
}
