/**
 * `npm run restore [-- <backup name>] [--new]`: brings a backup (the newest not marked suspect by
 * default: one taken with far fewer cases than a kept one, see takeBackup) back into
 * DATABASE_URL and UPLOAD_DIR and verifies it, its audit chain included. Stop the portal first:
 * a database some process still has open is refused, and nothing is touched.
 *
 * DATABASE_URL must name an existing database, so a mistyped one is refused rather than restored
 * into; `--new` restores where there is none yet (a new disk or site). The database replaced is
 * kept beside it as `<name>.before-restore-<time>`, so a wrong restore can be undone. The accounts
 * closed in it after the backup was taken are listed: the restore brought their erased data back,
 * and each must be closed again (docs/privacy.md). So are the console's changes to accounts since
 * (disabled, password reset, role, own ID number, ID number released), which the restore undid,
 * each with the command that makes it again.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { databasePath } from '../db/client'
import { backupDir, defaultRestoreTarget, restoreBackup, suspectReason, uploadDir } from '../server/services/backup'
import { baseDataLoadsSince, closuresSince, consoleChangesSince } from '../server/services/restore-changes'

const args = process.argv.slice(2)
const named = args.find(a => !a.startsWith('--'))
const name = named ?? chooseBackup()

/** The newest backup not marked suspect, saying which newer ones were passed over and how to take one anyway. */
function chooseBackup(): string | undefined {
  const { name, passedOver } = defaultRestoreTarget()
  for (const s of passedOver) console.warn(`passed over ${s.name}: marked suspect when taken (${s.reason}); name it to restore it anyway: npm run restore -- ${s.name}`)
  if (!name && passedOver.length) {
    console.error(`every backup in ${backupDir()} is marked suspect: nothing was restored; name the one to restore`)
    process.exit(1)
  }
  return name ?? undefined
}
const target = databasePath()
if (!existsSync(target) && !args.includes('--new')) {
  console.error(`no database at ${target}: check DATABASE_URL (to restore where there is none yet, add --new)`)
  process.exit(1)
}
if (!name) {
  console.error(`no backup found in ${backupDir()}`)
  process.exit(1)
}
const suspect = named ? suspectReason(join(backupDir(), named)) : null
if (suspect) console.warn(`warning: ${named} was marked suspect when taken (${suspect}); restoring it as asked`)
/**
 * What `read` finds in the replaced database since the backup, or null with a warning: the
 * replaced database may be the damaged one the restore was for, and the restore itself stands.
 */
function sinceBackup<T>(what: string, previous: string, read: (backup: string, database: string) => T[]): T[] | null {
  try {
    return read(join(backupDir(), name!), previous)
  }
  catch (error) {
    console.warn(`warning: ${what} since the backup cannot be listed from ${previous} (${(error as Error).message}): see docs/privacy.md`)
    return null
  }
}

/**
 * The accounts closed in the replaced database since the backup: the restore brought back what
 * closing erased, for those the backup held. One registered after the backup came back with
 * nothing, and its id goes to the next registration: it is named so, never as one to close.
 */
function listClosures(previous: string) {
  const closed = sinceBackup('the accounts closed', previous, (backup, database) => closuresSince(backup, database, target))
  if (!closed?.length) return
  const again = closed.filter(c => c.inRestored)
  const absent = closed.filter(c => !c.inRestored)
  if (again.length) {
    console.log(`${again.length} account(s) were closed after this backup was taken, and the restore brought back what closing erased: close each again with npm run user:close -- user:<id> --reason "<why>" before the portal starts (docs/privacy.md)`)
    for (const c of again) console.log(`- ${c.subject} closed at ${c.at} (audit row ${c.id})`)
  }
  if (absent.length) {
    console.log(`${absent.length} account(s) closed after this backup was taken were also registered after it: the restored database does not have them and nothing of them came back. Do NOT close these ids: the next accounts registered will be given them`)
    for (const c of absent) console.log(`- ${c.subject} closed at ${c.at} (audit row ${c.id}): not in the restored database`)
  }
}

/** The console's changes to accounts since the backup, which the restore undid: in order, as they are to be made again. */
function listConsoleChanges(previous: string) {
  const changes = sinceBackup('the console\'s changes to accounts', previous, consoleChangesSince)
  if (!changes?.length) return
  console.log(`${changes.length} change(s) to accounts were made from the console after this backup was taken, and the restore undid them: make each again, in this order (README, "Restoring")`)
  for (const c of changes) {
    const why = c.reason === null ? '' : `, reason given: ${JSON.stringify(c.reason)}`
    console.log(`- ${c.account} ${c.what} at ${c.at} (audit row ${c.id}, ${c.action}${why}): ${c.redo}`)
  }
}

/** The loads of the legal-entity base data since the backup, which the restore undid: each file to load again. */
function listBaseDataLoads(previous: string) {
  const loads = sinceBackup('the loads of the legal-entity base data', previous, baseDataLoadsSince)
  if (!loads?.length) return
  console.log(`${loads.length} load(s) of the legal-entity base data were made after this backup was taken, and the restore undid them: load each file again, in this order, with npm run base:entities -- <file.json>`)
  for (const l of loads) {
    const partly = l.partsWritten < l.parts ? ` in ${l.partsWritten} of its ${l.parts} parts (it stopped part-way, or began before the backup)` : ''
    console.log(`- loaded at ${l.at} (audit row ${l.id})${partly}: ${l.added ?? '?'} added, ${l.changed ?? '?'} changed`)
  }
}

const result = await restoreBackup(join(backupDir(), name), { databasePath: target, uploads: uploadDir() })
if (result.undidInterrupted) {
  const earlier = result.undidInterrupted
  console.log(`an earlier restore${earlier.backup ? ` of ${earlier.backup}` : ''}${earlier.startedAt ? ` (started ${earlier.startedAt})` : ''} had stopped while it swapped the database: what it replaced was put back first`)
}
if (result.ok) {
  console.log(`restored ${name} into ${target} and verified it, audit chain included`)
  if (result.previous) {
    console.log(`the database it replaced is kept at ${result.previous} (with its -wal, and the audit key as audit.key.before-restore-*, when there were any): move them back to undo`)
    listClosures(result.previous)
    listConsoleChanges(result.previous)
    listBaseDataLoads(result.previous)
  }
}
else {
  console.error(`restore of ${name} failed:\n- ${result.problems.join('\n- ')}`)
  process.exitCode = 1
}
