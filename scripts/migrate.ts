/**
 * `npm run db:migrate`: applies pending migrations to the database at DATABASE_URL (the server does
 * it on start too). The database must be there: a mistyped DATABASE_URL is refused rather than
 * becoming a new, empty database. `npm run db:migrate -- --new` is for a new site: it creates the
 * database, migrated, and the audit key as the portal makes it on its first start (a random one in
 * audit.key beside the database, unless AUDIT_HMAC_KEY is set), so that `npm run user:create` can
 * then make the first administrator before the portal ever starts. A database with migrations this
 * checkout does not have (a newer build migrated it: a rollback) is refused, naming them, rather
 * than called up to date (applyMigrations, unknownMigrations in db/client.ts).
 *
 * Exit codes: 0 done (or nothing to do), 1 failed or refused, 2 usage.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Connection } from '../db/client'
import { applyMigrations, databasePath, openDatabase } from '../db/client'
import { auditKey } from '../server/services/audit'
import { refuseDuringRestore } from '../server/services/backup'
import { runCommand } from './console-run'

const USAGE = `usage: npm run db:migrate [-- --new]
applies pending migrations to the database at DATABASE_URL, which must exist; --new creates it (a new site), with its audit key`

/** Migrations applied so far (none: not the portal's database, or a new one). */
function appliedCount(conn: Connection): number {
  const table = conn.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get()
  return table ? (conn.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0
}

function main(args: string[]): number {
  let isNew: boolean
  try {
    const { values } = parseArgs({ args, strict: true, options: { new: { type: 'boolean' } } })
    isNew = !!values.new
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const path = databasePath()
  const existed = existsSync(path)
  if (!existed && !isNew) {
    console.error(`no database at ${path}: check DATABASE_URL (for a new site, add --new: npm run db:migrate -- --new)`)
    return 1
  }
  if (existed) refuseDuringRestore(path)
  const conn = openDatabase(undefined, { mustExist: !isNew })
  try {
    const before = appliedCount(conn)
    // an existing file no migration ever touched is not the portal's database: a wrong path, unless this is a new site
    if (existed && before === 0 && !isNew) {
      console.error(`${conn.path} has no migrations applied: it is not the portal's database (check DATABASE_URL; if it is a new site's empty database, add --new)`)
      return 1
    }
    applyMigrations(conn, 'db/migrations')
    const applied = appliedCount(conn) - before
    const migrations = `${applied} migration${applied === 1 ? '' : 's'}`
    if (!existed) console.log(`created new database at ${conn.path} and applied ${migrations}`)
    else if (applied > 0) console.log(`applied ${migrations} to ${conn.path}`)
    else console.log(`${conn.path} is up to date`)
    // A new site's audit key, made as the portal makes it (never for a database that has had
    // migrations: a key this shell cannot see may be in the portal's environment, and a new one
    // would sign what the portal cannot verify).
    if (before === 0 && conn.path !== ':memory:') {
      const keyFile = join(dirname(conn.path), 'audit.key')
      if (process.env.AUDIT_HMAC_KEY) console.log('audit key: AUDIT_HMAC_KEY (give the portal the same)')
      else {
        const made = !existsSync(keyFile)
        auditKey(conn.path)
        console.log(made
          ? `audit key: created ${keyFile} (if the portal's service sets AUDIT_HMAC_KEY, remove it and set AUDIT_HMAC_KEY here too)`
          : `audit key: ${keyFile}, already there`)
      }
    }
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

runCommand('db:migrate', () => main(process.argv.slice(2)))
