/**
 * `npm run user:create -- --username wang --role clerk --department SZRS --name 王五
 * [--with-id-number]`: a staff account for a real deployment; with their own ID number, it keeps
 * them from handling their own cases (回避, server/services/recusal.ts). The password and the ID
 * number come from PORTAL_NEW_PASSWORD and PORTAL_ID_NUMBER or are typed at prompts that do not
 * echo; neither is taken from the command line (scripts/console-secrets.ts).
 *
 * Like the other account commands it writes only to the portal's database, there and migrated,
 * with the audit key the portal signs with (scripts/portal-database.ts): a mistyped DATABASE_URL
 * must not become a new database holding the account, nor a missing key a new one that breaks the
 * audit chain. A new site is created first with `npm run db:migrate -- --new`.
 */
import { parseArgs } from 'node:util'
import { fieldProblem } from './console-problems'
import { ID_NUMBER_NOT_AN_ARGUMENT, readIdNumber, readNewPassword } from './console-secrets'
import { openPortalDatabase } from './portal-database'
import { createStaffUser, STAFF_ROLES } from '../server/services/staff-accounts'

const USAGE = `usage: npm run user:create -- --username <name> --role <${STAFF_ROLES.join('|')}> [--department <code>] --name <full name> [--with-id-number]
the password is read from PORTAL_NEW_PASSWORD, or asked for on a terminal; with --with-id-number, their own ID number
(for recusal, 回避) from PORTAL_ID_NUMBER, or asked for; on a new site run npm run db:migrate -- --new first`

/** The options, or parseArgs' own message (an unknown option, an option without its value). */
function parseArguments(args: string[]) {
  try {
    return parseArgs({
      // a stray argument is most likely a number after --with-id-number: refused below, never echoed
      args, strict: true, allowPositionals: true,
      options: {
        'username': { type: 'string' }, 'role': { type: 'string' }, 'department': { type: 'string' }, 'name': { type: 'string' },
        'with-id-number': { type: 'boolean' },
        // known only to be refused with the reason, rather than as an unknown option
        'id-number': { type: 'string' },
      },
    })
  }
  catch (error) {
    return (error as Error).message
  }
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2))
  if (typeof parsed === 'string' || !parsed.values.username || !parsed.values.role || !parsed.values.name) {
    console.error(typeof parsed === 'string' ? `${parsed}\n${USAGE}` : USAGE)
    return 2
  }
  const { values } = parsed
  if (values['id-number'] !== undefined || parsed.positionals.length) {
    console.error(`${ID_NUMBER_NOT_AN_ARGUMENT}\n${USAGE}`)
    return 2
  }
  // the database before the password: nobody types one for a database that is not there
  const conn = openPortalDatabase({ newSite: true })
  try {
    const password = await readNewPassword()
    const idNumber = values['with-id-number'] ? await readIdNumber(`${values.username}'s own`) : undefined
    const result = createStaffUser(conn, { username: values.username!, role: values.role as typeof STAFF_ROLES[number], departmentCode: values.department, name: values.name!, password, idNumber })
    if (!result.ok) {
      for (const [field, key] of Object.entries(result.fieldErrors)) console.error(`${field}: ${fieldProblem(key)}`)
      return 1
    }
    console.log(`created ${values.role} ${values.username} (user ${result.userId})`)
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

main().then((code) => { process.exitCode = code }, (error: Error) => {
  console.error(`user:create failed: ${error.message}`)
  process.exitCode = 1
})
