/**
 * The live portal database at DATABASE_URL, for the console commands that change accounts
 * (user:disable, user:enable, user:password, user:role). Like `npm run backup`, they only write to
 * a database that is there and migrated: a mistyped DATABASE_URL must not become a new, empty one
 * (where every name is unknown), and a database behind this checkout is refused, since the portal
 * running on it predates what the command changes. Nor do they make an audit key: a new one
 * would break the chain. Throws with what to do.
 */
import { openDatabase, pendingMigrations } from '../db/client'
import type { Connection } from '../db/client'
import { readAuditKey } from '../server/services/audit'

export function openPortalDatabase(): Connection {
  const conn = openDatabase(undefined, { mustExist: true })
  try {
    const pending = pendingMigrations(conn)
    if (pending === 'none applied') throw new Error(`${conn.path} has no migrations applied: it is not the portal's database (check DATABASE_URL)`)
    if (pending > 0) throw new Error(`${conn.path} is ${pending} migration(s) behind this checkout: the portal running on it predates what this command changes; start the portal of this version (it migrates on start), then try again`)
    if (!readAuditKey(conn.path)) throw new Error(`no audit key for ${conn.path}: set AUDIT_HMAC_KEY as the portal has it, or run where its audit.key is`)
    return conn
  }
  catch (error) {
    conn.sqlite.close()
    throw error
  }
}
