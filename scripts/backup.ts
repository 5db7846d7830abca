/**
 * `npm run backup`: a consistent online backup of the database and uploads into BACKUP_DIR,
 * verified, keeping the newest BACKUP_KEEP (default 7). Safe while the portal is running.
 */
import { applyMigrations, openDatabase } from '../db/client'
import { backupDir, takeBackup } from '../server/services/backup'

const conn = openDatabase()
applyMigrations(conn, 'db/migrations')
try {
  const manifest = await takeBackup(conn)
  console.log(`backup ${manifest.name} written to ${backupDir()} and verified: ${manifest.counts.cases} cases, ${manifest.uploads.length} files`)
}
catch (error) {
  console.error(`backup failed: ${(error as Error).message}`)
  process.exitCode = 1
}
finally {
  conn.sqlite.close()
}
