/**
 * `npm run restore [-- <backup name>] [--new]`: brings a backup (the newest by default) back into
 * DATABASE_URL and UPLOAD_DIR and verifies it, its audit chain included. Stop the portal first.
 *
 * DATABASE_URL must name an existing database, so a mistyped one is refused rather than restored
 * into; `--new` restores where there is none yet (a new disk or site). The database replaced is
 * kept beside it as `<name>.before-restore-<time>`, so a wrong restore can be undone.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { databasePath } from '../db/client'
import { backupDir, listBackups, restoreBackup, uploadDir } from '../server/services/backup'

const args = process.argv.slice(2)
const name = args.find(a => !a.startsWith('--')) ?? listBackups().at(-1)
const target = databasePath()
if (!existsSync(target) && !args.includes('--new')) {
  console.error(`no database at ${target}: check DATABASE_URL (to restore where there is none yet, add --new)`)
  process.exit(1)
}
if (!name) {
  console.error(`no backup found in ${backupDir()}`)
  process.exit(1)
}
const result = await restoreBackup(join(backupDir(), name), { databasePath: target, uploads: uploadDir() })
if (result.ok) {
  console.log(`restored ${name} into ${target} and verified it, audit chain included`)
  if (result.previous) console.log(`the database it replaced is kept at ${result.previous} (with its -wal, and the audit key as audit.key.before-restore-*, when there were any): move them back to undo`)
}
else {
  console.error(`restore of ${name} failed verification:\n- ${result.problems.join('\n- ')}`)
  process.exitCode = 1
}
