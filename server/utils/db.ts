/**
 * The server's one database handle. Opened on first use; server/plugins/database.ts opens it at
 * start so that migrations and the seed run before the first request.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { applyMigrations, databasePath, openDatabase, writeTransaction } from '../../db/client'
import { refuseDuringRestore } from '../services/backup'
import type { Connection } from '../../db/client'

let connection: Connection | undefined

/** The migrations travel beside the built server (nuxt.config.ts copies them); in dev, db/migrations. */
export function migrationsFolder(): string {
  const candidates = [
    process.env.MIGRATIONS_DIR,
    process.argv[1] ? join(dirname(process.argv[1]), 'migrations') : undefined,
    resolve('db/migrations'),
  ].filter((c): c is string => !!c)
  const found = candidates.find(c => existsSync(join(c, 'meta', '_journal.json')))
  if (!found) throw new Error(`no migrations found (looked in ${candidates.join(', ')})`)
  return found
}

/**
 * Migrations that fail, or a database a newer build migrated (applyMigrations refuses it), leave
 * no connection behind: kept, the next use would have served requests on it unmigrated.
 */
export function useConnection(): Connection {
  if (!connection) {
    refuseDuringRestore(databasePath())
    const opened = openDatabase()
    try {
      applyMigrations(opened, migrationsFolder())
    }
    catch (error) {
      opened.sqlite.close()
      throw error
    }
    connection = opened
  }
  return connection
}

/** A short write transaction holding the write lock from its first statement. */
export function inWriteTransaction<T>(fn: () => T): T {
  return writeTransaction(useConnection(), fn)
}

export function closeConnection(): void {
  connection?.sqlite.close()
  connection = undefined
}
