/**
 * The marker a restore leaves beside the database while it swaps the database and its audit key,
 * and the refusal it causes: nothing that writes to the database starts while it is there.
 */
import { existsSync, readFileSync } from 'node:fs'

/** What the marker of a restore records (restoreMarker). */
export interface RestoreMarker { startedAt?: string, backup?: string, previous?: string, previousKey?: string }

/**
 * The file beside a database that says a restore is swapping it: the portal does not start while
 * it is there (server/utils/db.ts), since the audit key and the database may be of two different
 * times. Holds JSON: when the restore started, the backup and where the replaced database is kept.
 */
export function restoreMarker(databasePath: string): string {
  return `${databasePath}.restore-in-progress`
}

/**
 * A restore that was swapping the database and its audit key when it stopped leaves them possibly
 * of two different times: neither the portal (server/utils/db.ts) nor a console command that
 * writes to the database (scripts/portal-database.ts, backup, migrate) goes on with it. Throws
 * with how to finish or undo the restore.
 */
export function refuseDuringRestore(databasePath: string): void {
  const marker = restoreMarker(databasePath)
  if (!existsSync(marker)) return
  let found: RestoreMarker = {}
  try {
    found = JSON.parse(readFileSync(marker, 'utf8')) as RestoreMarker
  }
  catch { /* a marker cut short by the crash says less, and still stops the start */ }
  throw new Error(`a restore${found.backup ? ` of ${found.backup}` : ''} was interrupted${found.startedAt ? ` (started ${found.startedAt})` : ''}: `
    + `run npm run restore again, which first puts back what it had replaced${found.previous ? ` (the database kept at ${found.previous})` : ''}; `
    + `or, to keep the database from before it, put that back by hand (with its -wal and the audit key's .before-restore- copy, if any) and remove ${marker}`)
}
