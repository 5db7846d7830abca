/**
 * The server's one database handle. Opened on first use; server/plugins/database.ts opens it at
 * start so that migrations and the seed run before the first request.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { applyMigrations, databasePath, openDatabase, writeTransaction } from '../../db/client'
import { restoreMarker } from '../services/backup'
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
 * A restore that was swapping the database and its audit key when it stopped (restoreMarker,
 * services/backup.ts) leaves them possibly of two different times: the portal does not start on
 * that, and says how to finish or undo it.
 */
function refuseDuringRestore(): void {
  const marker = restoreMarker(databasePath())
  if (!existsSync(marker)) return
  let found: { startedAt?: string, backup?: string, previous?: string } = {}
  try {
    found = JSON.parse(readFileSync(marker, 'utf8')) as typeof found
  }
  catch { /* a marker cut short by the crash says less, and still stops the start */ }
  throw new Error(`a restore${found.backup ? ` of ${found.backup}` : ''} was interrupted${found.startedAt ? ` (started ${found.startedAt})` : ''}: `
    + `run npm run restore again, which first puts back what it had replaced${found.previous ? ` (the database kept at ${found.previous})` : ''}; `
    + `or, to keep the database from before it, put that back by hand (with its -wal and the audit key's .before-restore- copy, if any) and remove ${marker}`)
}

/**
 * Migrations that fail, or a database a newer build migrated (applyMigrations refuses it), leave
 * no connection behind: kept, the next use would have served requests on it unmigrated.
 */
export function useConnection(): Connection {
  if (!connection) {
    refuseDuringRestore()
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
