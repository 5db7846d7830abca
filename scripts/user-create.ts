/**
 * `npm run user:create -- --username wang --role clerk --department SZRS --name 王五`: a staff
 * account for a real deployment. The password comes from PORTAL_NEW_PASSWORD or is typed at a
 * prompt that does not echo; it is never taken from the command line, where `ps` and the shell
 * history would keep it.
 */
import { parseArgs } from 'node:util'
import { applyMigrations, openDatabase } from '../db/client'
import { readNewPassword } from './new-password'
import { createStaffUser, STAFF_ROLES } from '../server/services/staff-accounts'

const USAGE = `usage: npm run user:create -- --username <name> --role <${STAFF_ROLES.join('|')}> [--department <code>] --name <full name>
the password is read from PORTAL_NEW_PASSWORD, or asked for on a terminal`

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, name: { type: 'string' } } })
  if (!values.username || !values.role || !values.name) {
    console.error(USAGE)
    return 2
  }
  const password = await readNewPassword()
  const conn = openDatabase()
  try {
    applyMigrations(conn, 'db/migrations')
    const result = createStaffUser(conn, { username: values.username, role: values.role as typeof STAFF_ROLES[number], departmentCode: values.department, name: values.name, password })
    if (!result.ok) {
      for (const [field, key] of Object.entries(result.fieldErrors)) console.error(`${field}: ${key}`)
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
