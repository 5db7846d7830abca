/**
 * `npm run backup`: a consistent online backup of the database and uploads into BACKUP_DIR,
 * verified, keeping the newest BACKUP_KEEP (default 7; anything but a whole number of at least 1
 * is refused before anything is written). Safe while the portal is running.
 *
 * It only reads DATABASE_URL: a missing file is refused (a mistyped URL must not become a new,
 * empty database that is then backed up in place of the real ones), and migrations are left to
 * the portal, which applies them on start; a database behind the code is backed up as it is, with
 * a warning. A backup with far fewer cases than an earlier one prunes nothing and exits 1.
 */
import { databasePath, openDatabase, pendingMigrations } from '../db/client'
import type { Connection } from '../db/client'
import { BackupNotPrunedError, backupDir, refuseDuringRestore, takeBackup } from '../server/services/backup'

let conn: Connection | undefined
try {
  refuseDuringRestore(databasePath())
  conn = openDatabase(undefined, { mustExist: true })
  const pending = pendingMigrations(conn)
  if (pending === 'none applied') throw new Error(`${conn.path} has no migrations applied: it is not the portal's database (check DATABASE_URL)`)
  if (pending > 0) console.warn(`warning: ${conn.path} is ${pending} migration(s) behind this checkout; backing it up as it is (the portal applies them when it starts)`)
  const manifest = await takeBackup(conn)
  console.log(`backup ${manifest.name} written to ${backupDir()} and verified: ${manifest.counts.cases} cases, ${manifest.uploads.length} files`)
}
catch (error) {
  console.error(error instanceof BackupNotPrunedError ? `warning: ${error.message}` : `backup failed: ${(error as Error).message}`)
  process.exitCode = 1
}
finally {
  conn?.sqlite.close()
}
