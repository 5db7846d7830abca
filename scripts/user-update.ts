/**
 * `npm run user:password -- wang --reason "forgot it"`: a new password for a staff member (from
 * PORTAL_NEW_PASSWORD or a prompt that does not echo), every session of theirs ended and a
 * sign-in lock lifted; `npm run user:role -- wang --role clerk --department SZGA [--head] --reason
 * "transferred"`: another role or department, their sessions ended (`--head`: the clerk heads the
 * department, 本行政机关负责人, who alone extends a time limit; without it they no longer do); `npm run user:id-number -- wang
 * --reason "..."` (the number from PORTAL_ID_NUMBER or a prompt that does not echo; or `--clear`):
 * their own ID number, which keeps them from handling their own cases (回避). Each audited as done
 * from the console, with the reason. The database must be the portal's, migrated to this checkout
 * (scripts/portal-database.ts).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX, changeStaffRole, resetStaffPassword, setStaffIdNumber, STAFF_ROLES } from '../server/services/staff-accounts'
import type { StaffAccessRefusal } from '../server/services/staff-accounts'
import { fieldProblem } from './console-problems'
import { ID_NUMBER_NOT_AN_ARGUMENT, readIdNumber, readNewPassword } from './console-secrets'
import { openPortalDatabase } from './portal-database'

const USAGE = {
  password: `usage: npm run user:password -- <username> --reason "<why, in at most ${ACCOUNT_REASON_MAX} characters>"
the new password is read from PORTAL_NEW_PASSWORD, or asked for on a terminal`,
  role: `usage: npm run user:role -- <username> --role <${STAFF_ROLES.join('|')}> [--department <code> [--head], for a clerk] --reason "<why>"
--head: the clerk heads the department (本行政机关负责人): extends time limits and decides the clerks' requests to`,
  idNumber: `usage: npm run user:id-number -- <username> [--clear] --reason "<why>"
their own ID number is read from PORTAL_ID_NUMBER, or asked for on a terminal (--clear removes it);
the number keeps them from taking in, deciding or revoking a case they applied for (回避)`,
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

function parseArguments(args: string[]) {
  try {
    return parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        'reason': { type: 'string' }, 'role': { type: 'string' }, 'department': { type: 'string' }, 'head': { type: 'boolean' }, 'clear': { type: 'boolean' },
        // known only to be refused with the reason, rather than as an unknown option
        'id-number': { type: 'string' },
      },
    })
  }
  catch (error) {
    return (error as Error).message
  }
}

type Options = Exclude<ReturnType<typeof parseArguments>, string>['values']

/** Whether the options fit the command: each takes its own and no other's. */
function fits(command: Command, o: Options): boolean {
  const roleOptions = o.role !== undefined || o.department !== undefined || o.head !== undefined
  if (command === 'password') return !roleOptions && o.clear === undefined
  if (command === 'role') return o.role !== undefined && o.clear === undefined
  return !roleOptions
}

/** Runs the command: the line to print, or the refusal (from the service, in the console's words). */
async function run(command: Command, username: string, o: Options, reason: string): Promise<{ ok: boolean, line: string }> {
  // the password and the number are asked for before the database is opened: a prompt must not hold it open
  const password = command === 'password' ? await readNewPassword() : ''
  const idNumber = command === 'idNumber' && !o.clear ? await readIdNumber(`${username}'s own`) : null
  const conn = openPortalDatabase()
  try {
    const result = command === 'password'
      ? resetStaffPassword(conn, username, password, reason)
      : command === 'role'
        ? changeStaffRole(conn, username, { role: o.role!, departmentCode: o.department ?? null, departmentHead: o.head === true }, reason)
        : setStaffIdNumber(conn, username, idNumber, reason)
    if (!result.ok) return { ok: false, line: 'field' in result ? fieldProblem(result.field, { 'validation.required': 'the ID number is empty' }) : REFUSALS[result.reason](username) }
    if (!('changed' in result)) {
      return { ok: true, line: `new password set for ${username} (user ${result.userId}): ${result.endedSessions} session(s) ended, any sign-in lock lifted` }
    }
    if ('endedSessions' in result) {
      const as = `${o.head ? 'head and ' : ''}${o.role}${o.department ? ` of ${o.department}` : ''}`
      return { ok: true, line: result.changed ? `${username} (user ${result.userId}) is now ${as}: ${result.endedSessions} session(s) ended` : `${username} already is ${as}: nothing changed` }
    }
    const what = o.clear ? 'no ID number on record' : 'their ID number on record: their own cases are for colleagues to handle'
    return { ok: true, line: result.changed ? `${username} (user ${result.userId}) now has ${what}` : `${username} already has ${what}: nothing changed` }
  }
  finally {
    conn.sqlite.close()
  }
}

async function main(command: Command, args: string[]): Promise<number> {
  const parsed = parseArguments(args)
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE[command]}`)
    return 2
  }
  if (parsed.values['id-number'] !== undefined) {
    console.error(`${ID_NUMBER_NOT_AN_ARGUMENT}\n${USAGE[command]}`)
    return 2
  }
  const [username, ...extra] = parsed.positionals
  const { reason } = parsed.values
  if (!username || extra.length || reason === undefined || !fits(command, parsed.values)) {
    console.error(USAGE[command])
    return 2
  }
  const outcome = await run(command, username, parsed.values, reason)
  if (outcome.ok) console.log(outcome.line)
  else console.error(outcome.line)
  return outcome.ok ? 0 : 1
}

const COMMANDS: Record<string, Command> = { 'password': 'password', 'role': 'role', 'id-number': 'idNumber' }
const [name, ...args] = process.argv.slice(2)
const command = name === undefined ? undefined : COMMANDS[name]
if (!command) {
  console.error(Object.values(USAGE).join('\n'))
  process.exitCode = 2
}
else {
  main(command, args).then((code) => { process.exitCode = code }, (error: Error) => {
    console.error(`user:${name} failed: ${error.message}`)
    process.exitCode = 1
  })
}
