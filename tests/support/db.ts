/**
 * A fresh in-memory database with the migrations, the catalogue and the demo accounts, for
 * testing server/services without a server.
 */
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedDemoLegalEntities } from '../../db/seed/legal-entities'
import { seedCatalogue } from '../../db/seed/load'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

function seeded(demo: boolean): Connection {
  const conn = openDatabase('file::memory:')
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  if (demo) {
    seedDemoAccounts(conn)
    seedDemoLegalEntities(conn)
  }
  return conn
}

// Seeding took ~0.4 s a test (the demo accounts' scrypt hashes, the catalogue): each test file
// seeds once and every test gets an in-memory copy of that image.
const images = new Map<boolean, Buffer>()

export function freshDatabase({ demo = true } = {}): Connection {
  let image = images.get(demo)
  if (!image) {
    const template = seeded(demo)
    image = template.sqlite.serialize()
    template.sqlite.close()
    images.set(demo, image)
  }
  return openDatabase('file::memory:', { image })
}

export function userIdOf(conn: Connection, username: string): number {
  return (conn.sqlite.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id
}
