/**
 * `npm run restore [-- <backup name>]`: brings a backup (the newest by default) back into
 * DATABASE_URL and UPLOAD_DIR and verifies it. Stop the portal first.
 */
import { join, resolve } from 'node:path'
import { databasePath } from '../db/client'
import { backupDir, listBackups, restoreBackup, uploadDir } from '../server/services/backup'

const name = process.argv[2] ?? listBackups().at(-1)
if (!name) {
  console.error(`no backup found in ${backupDir()}`)
  process.exit(1)
}
const result = await restoreBackup(join(backupDir(), name), { databasePath: databasePath(), uploads: uploadDir() })
if (result.ok) console.log(`restored ${name} into ${resolve(databasePath())} and verified it`)
else {
  console.error(`restore of ${name} failed verification:\n- ${result.problems.join('\n- ')}`)
  process.exitCode = 1
}
