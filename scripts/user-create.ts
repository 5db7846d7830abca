/**
 * `npm run user:create -- --username wang --role clerk --department SZRS --name 王五`: a staff
 * account for a real deployment. The password comes from PORTAL_NEW_PASSWORD or is typed at a
 * prompt that does not echo; it is never taken from the command line, where `ps` and the shell
 * history would keep it.
 */
import { parseArgs } from 'node:util'
import { applyMigrations, openDatabase } from '../db/client'
import { createStaffUser, STAFF_ROLES } from '../server/services/accounts'

const USAGE = `usage: npm run user:create -- --username <name> --role <${STAFF_ROLES.join('|')}> [--department <code>] --name <full name>
the password is read from PORTAL_NEW_PASSWORD, or asked for on a terminal`

/** Reads a line from the terminal without echoing it (raw mode; Ctrl-C aborts). */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stdout.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    let value = ''
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stdout.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new Error('aborted'))
        if (ch === '\u007F' || ch === '\b') value = Array.from(value).slice(0, -1).join('')
        else value += ch
      }
    }
    stdin.on('data', onData)
  })
}

async function readPassword(): Promise<string> {
  if (process.env.PORTAL_NEW_PASSWORD) return process.env.PORTAL_NEW_PASSWORD
  if (!process.stdin.isTTY) throw new Error('no password: set PORTAL_NEW_PASSWORD or run on a terminal')
  const first = await promptHidden('password (at least 12 characters): ')
  const again = await promptHidden('the same password again: ')
  if (first !== again) throw new Error('the two passwords differ')
  return first
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, name: { type: 'string' } } })
  if (!values.username || !values.role || !values.name) {
    console.error(USAGE)
    return 2
  }
  const password = await readPassword()
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
