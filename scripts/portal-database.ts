/**
 * The live portal database at DATABASE_URL, for the console commands that change accounts
 * (user:create, user:disable, user:enable, user:password, user:role). Like `npm run backup`, they only write to
 * a database that is there and migrated: a mistyped DATABASE_URL must not become a new, empty one
 * (where every name is unknown), and a database behind this checkout is refused, since the portal
 * running on it predates what the command changes. Nor do they make an audit key: a new one
 * would break the chain. Throws with what to do.
 *
 * `newSite`: the command is also how a new site gets its first account (user:create), so a missing
 * database is answered with how to create one (`npm run db:migrate -- --new`, which also makes
 * the audit key as the portal would).
 */
import { existsSync } from 'node:fs'
import { databasePath, openDatabase, pendingMigrations, refuseUnknownMigrations } from '../db/client'
import type { Connection } from '../db/client'
import { readAuditKey } from '../server/services/audit'
import { refuseDuringRestore } from '../server/services/backup'

export function openPortalDatabase(opts: { newSite?: boolean } = {}): Connection {
  const path = databasePath()
  if (path !== ':memory:' && !existsSync(path)) throw new Error(`no database at ${path}: check DATABASE_URL${opts.newSite ? ', or create a new site with npm run db:migrate -- --new' : ''}`)
  refuseDuringRestore(path)
  const conn = openDatabase(undefined, { mustExist: true })
  try {
    const pending = pendingMigrations(conn)
    if (pending === 'none applied') throw new Error(`${conn.path} has no migrations applied: it is not the portal's database (check DATABASE_URL)`)
    if (pending > 0) throw new Error(`${conn.path} is ${pending} migration(s) behind this checkout: the portal running on it predates what this command changes; start the portal of this version (it migrates on start), then try again`)
    // ahead of this checkout (a newer portal migrated it): this command does not know its schema
    refuseUnknownMigrations(conn, 'db/migrations')
    if (!readAuditKey(conn.path)) throw new Error(`no audit key for ${conn.path}: set AUDIT_HMAC_KEY as the portal has it, or run where its audit.key is`)
    return conn
  }
  catch (error) {
    conn.sqlite.close()
    throw error
  }
}
