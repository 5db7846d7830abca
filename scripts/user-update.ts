/**
 * `npm run user:password -- wang --reason "forgot it"`: a new password for a staff member (from
 * PORTAL_NEW_PASSWORD or a prompt that does not echo), every session of theirs ended and a
 * sign-in lock lifted; `npm run user:role -- wang --role clerk --department SZGA --reason
 * "transferred"`: another role or department, their sessions ended. Both audited as done from
 * the console, with the reason. The database must be the portal's, migrated to this checkout
 * (scripts/portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX, changeStaffRole, resetStaffPassword, STAFF_ROLES } from '../server/services/staff-accounts'
import type { StaffAccessRefusal } from '../server/services/staff-accounts'
import { readNewPassword } from './new-password'
import { openPortalDatabase } from './portal-database'

const USAGE = {
  password: `usage: npm run user:password -- <username> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"
the new password is read from PORTAL_NEW_PASSWORD, or asked for on a terminal`,
  role: `usage: npm run user:role -- <username> --role <${STAFF_ROLES.join('|')}> [--department <code>, for a clerk] --reason "<why>"`,
}
type Command = keyof typeof USAGE

const REFUSALS: Record<StaffAccessRefusal['reason'], (username: string) => string> = {
  unknownUser: u => `no account named ${u}`,
  citizen: u => `${u} is a citizen's account: the console changes staff accounts only`,
  closed: u => `${u} has been closed (注销): there is nothing to change`,
  reasonMissing: () => 'the reason is empty: say why, it goes into the audit log',
  reasonTooLong: () => `the reason is longer than ${ACCOUNT_REASON_MAX} characters`,
  reasonControlChars: () => 'the reason must be one line of plain text',
  reasonPersonalData: () => 'the reason holds an ID or mobile number: the audit log keeps it for good, so say why without personal data',
}

/** What a field error key means, for the console (the portal's pages show them translated). */
const FIELD_PROBLEMS: Record<string, string> = {
  'validation.password.tooShort': 'the password is shorter than 12 characters',
  'validation.password.tooLong': 'the password is longer than 128 characters',
  'validation.password.common': 'the password is one of the most common ones: choose another',
  'validation.option': `the role must be one of ${STAFF_ROLES.join(', ')}`,
  'validation.department.required': 'a clerk needs --department, the code of their department',
  'validation.department.unknown': 'no department has that code',
  'validation.department.onlyClerk': 'only a clerk belongs to a department: leave out --department',
}

function parseArguments(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: { reason: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' } } })
  }
  catch (error) {
    return (error as Error).message
  }
}

async function main(command: Command, args: string[]): Promise<number> {
  const parsed = parseArguments(args)
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE[command]}`)
    return 2
  }
  const [username, ...extra] = parsed.positionals
  const { reason, role, department } = parsed.values
  const misplaced = command === 'password' ? role ?? department : undefined
  if (!username || extra.length || reason === undefined || misplaced !== undefined || (command === 'role' && !role)) {
    console.error(USAGE[command])
    return 2
  }
  // the password is asked for before the database is opened: a prompt must not hold it open
  const password = command === 'password' ? await readNewPassword() : ''
  const conn = openPortalDatabase()
  try {
    const result = command === 'password'
      ? resetStaffPassword(conn, username, password, reason)
      : changeStaffRole(conn, username, { role: role!, departmentCode: department ?? null }, reason)
    if (!result.ok) {
      console.error('field' in result ? FIELD_PROBLEMS[result.field] ?? result.field : REFUSALS[result.reason](username))
      return 1
    }
    if (command === 'password') {
      console.log(`new password set for ${username} (user ${result.userId}): ${result.endedSessions} session(s) ended, any sign-in lock lifted`)
    }
    else {
      console.log('changed' in result && result.changed
        ? `${username} (user ${result.userId}) is now ${role}${department ? ` of ${department}` : ''}: ${result.endedSessions} session(s) ended`
        : `${username} already is ${role}${department ? ` of ${department}` : ''}: nothing changed`)
    }
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

const [command, ...args] = process.argv.slice(2)
if (command !== 'password' && command !== 'role') {
  console.error(`${USAGE.password}\n${USAGE.role}`)
  process.exitCode = 2
}
else {
  main(command, args).then((code) => { process.exitCode = code }, (error: Error) => {
    console.error(`user:${command} failed: ${error.message}`)
    process.exitCode = 1
  })
}
