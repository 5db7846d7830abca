/**
 * A fresh in-memory database with the migrations, the catalogue and the demo accounts, for
 * testing server/services without a server.
 */
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

export function freshDatabase({ demo = true } = {}): Connection {
  const conn = openDatabase('file::memory:')
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  if (demo) seedDemoAccounts(conn)
  return conn
}

export function userIdOf(conn: Connection, username: string): number {
  return (conn.sqlite.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id
}
