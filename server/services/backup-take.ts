/**
 * Taking a backup: the database through SQLite's online backup API into a hidden partial folder,
 * with the uploads it names, the audit key and a manifest; verified, marked suspect when it holds
 * far fewer cases than a kept one, then given its name and the older backups pruned.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { Connection } from '../../db/client'
import { chainHead } from './audit'
import { checkDatabase } from './database-check'
import type { DatabaseCheck } from './database-check'
import { fsyncDirectory, fsyncFile, uploadDir } from './disk'
import { AUDIT_KEY, COUNTED, SUSPECT_MARK, backupDir } from './backup-manifest'
import type { BackupManifest } from './backup-manifest'
import { backupKeep, keptCaseCounts, pruneBackups, removeStalePartials } from './backup-retention'
import { verifyBackup } from './backup-verify'

/**
 * The backup was written and verified, but no older one was pruned: it holds far fewer cases than
 * an earlier backup, which is what a backup of the wrong (say, a new and empty) database looks like.
 */
export class BackupNotPrunedError extends Error {}

/**
 * Pages per backup step. A write by another connection (the running portal, when `npm run backup`
 * is its own process) restarts a stepwise backup, so under steady writes it might never finish:
 * after a restart the rest is copied in one step. That holds a read snapshot only, and in WAL
 * mode readers never block the writer.
 */
function stepAfterRestart(): (p: { totalPages: number, remainingPages: number }) => number {
  let last = Number.POSITIVE_INFINITY
  let whole = false
  return ({ remainingPages }) => {
    if (remainingPages > last) whole = true
    last = remainingPages
    return whole ? 0x7FFFFFFF : 100
  }
}

/** The database snapshot, the uploads it knows of, and the manifest, into `partial`. */
async function writeSnapshot(conn: Connection, partial: string, uploads: string, name: string): Promise<BackupManifest> {
  // a backup holds what the live database holds: its user's alone (db/client.ts)
  mkdirSync(join(partial, 'uploads'), { recursive: true, mode: 0o700 })
  await conn.sqlite.backup(join(partial, 'portal.db'), { progress: stepAfterRestart() })
  chmodSync(join(partial, 'portal.db'), 0o600)
  const copy = new Database(join(partial, 'portal.db'))
  // a self-contained file: no -wal or -shm beside it, whoever opens it later (the portal turns WAL on again)
  copy.pragma('journal_mode = DELETE')
  const auditHead = chainHead({ sqlite: copy })
  copy.close()
  // Only the uploads the snapshot knows of: later ones belong to the next backup.
  let { counts, uploads: rows } = await checkDatabase(join(partial, 'portal.db'), { tables: COUNTED, uploads: true })
  const deletedSince: string[] = []
  for (const u of rows!) {
    const dest = join(partial, 'uploads', u.storedName)
    await mkdir(dirname(dest), { recursive: true })
    if (await copiedUnlessDeleted(conn, join(uploads, u.storedName), dest, u.storedName, uploads)) await fsyncFile(dest)
    else deletedSince.push(u.storedName)
  }
  if (deletedSince.length) ({ counts, uploads: rows } = await forgetDeletedUploads(join(partial, 'portal.db'), deletedSince))
  // the audit chain's key travels with the data it signs, or a restored chain can never be verified
  const key = join(dirname(conn.path), AUDIT_KEY)
  if (existsSync(key)) copyFileSync(key, join(partial, AUDIT_KEY))
  const manifest: BackupManifest = { name, takenAt: new Date().toISOString(), database: 'portal.db', counts, uploads: rows!, auditHead }
  writeFileSync(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2))
  // all on disk before takeBackup gives the backup its name: a visible backup is a whole one
  for (const file of ['portal.db', AUDIT_KEY, 'manifest.json']) {
    if (existsSync(join(partial, file))) await fsyncFile(join(partial, file))
  }
  await fsyncDirectory(join(partial, 'uploads'))
  await fsyncDirectory(partial)
  return manifest
}

/**
 * Copies one upload of the snapshot: true when copied, false when it was deleted after the snapshot
 * (a person removed an unused file, or the hourly cleanup did: row and file both gone from the live
 * portal), which the backup then leaves out. A file missing while the live database still names
 * it is damage, and fails the backup.
 */
async function copiedUnlessDeleted(conn: Connection, src: string, dest: string, storedName: string, uploads: string): Promise<boolean> {
  try {
    await copyFile(src, dest)
    return true
  }
  catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    const stillNamed = conn.sqlite.prepare('SELECT 1 FROM uploads WHERE stored_name = ?').get(storedName) !== undefined
    if (!missing || stillNamed) throw missing ? new Error(`upload ${storedName} is missing from ${uploads}`) : error
    return false
  }
}

/**
 * The snapshot without the upload rows deleted since it was taken, counted again: a backup restored
 * later has every file its database names. Only an upload no case or submitted application holds
 * is ever deleted, but it may be an e-licence's remembered PDF copy (results.upload_id): the licence
 * forgets it first, as forgetUpload (uploads.ts) does in the live portal, or the foreign key fails
 * the backup.
 */
async function forgetDeletedUploads(file: string, storedNames: string[]): Promise<DatabaseCheck> {
  const copy = new Database(file)
  try {
    const unlink = copy.prepare('UPDATE results SET upload_id = NULL WHERE upload_id IN (SELECT id FROM uploads WHERE stored_name = ?)')
    const forget = copy.prepare('DELETE FROM uploads WHERE stored_name = ?')
    copy.transaction(() => storedNames.forEach((name) => {
      unlink.run(name)
      forget.run(name)
    }))()
  }
  finally {
    copy.close()
  }
  return checkDatabase(file, { tables: COUNTED, uploads: true })
}

/** Takes a backup into BACKUP_DIR/<timestamp>/, verifies it, and keeps the newest `keep` (BACKUP_KEEP). */
export async function takeBackup(conn: Connection, opts: { dir?: string, uploads?: string, keep?: number, now?: Date } = {}): Promise<BackupManifest> {
  const keep = backupKeep(opts.keep ?? process.env.BACKUP_KEEP) // refused before anything is written
  const root = opts.dir ?? backupDir()
  const uploads = opts.uploads ?? uploadDir()
  const name = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')
  const partial = join(root, `.partial-${name}`)
  // before the copy: each one left is a whole copy of the database, and the disk may need the room
  removeStalePartials(root)
  let manifest: BackupManifest
  let why: string | null
  try {
    manifest = await writeSnapshot(conn, partial, uploads, name)
    const result = await verifyBackup(partial)
    if (!result.ok) throw new Error(`backup failed verification: ${result.problems.join('; ')}`)
    // Against every kept backup, not only the newest: a second run of the same mistake would
    // otherwise compare with the first one's and prune the real backups after all.
    const largest = (await keptCaseCounts(root)).reduce((a, b) => b.cases > a.cases ? b : a, { name: '', cases: 0 })
    const cases = manifest.counts.cases ?? 0
    why = cases < largest.cases / 2 ? `holds ${cases} cases against ${largest.cases} in ${largest.name}` : null
    if (why) {
      // kept, and the newest by name: marked, so that a restore without a name does not pick it;
      // marked on disk before it is visible, so that no crash leaves it visible and unmarked
      writeFileSync(join(partial, SUSPECT_MARK), `${why}\n`)
      await fsyncFile(join(partial, SUSPECT_MARK))
      await fsyncDirectory(partial)
    }
  }
  catch (error) {
    // a failed attempt leaves nothing that could later be mistaken for a backup, nor a whole
    // copy of the database and uploads hidden under a dot for good (a mark the full disk refused)
    rmSync(partial, { recursive: true, force: true })
    throw error
  }
  renameSync(partial, join(root, name)) // a backup is only visible once complete and verified
  await fsyncDirectory(root) // and its name is on disk before any older backup is removed
  if (why) {
    throw new BackupNotPrunedError(`backup ${name} was written and verified but ${why}, `
      + `so no backup was pruned: check that ${conn.path} is the live database (if the drop is real, remove older backups by hand)`)
  }
  pruneBackups(root, keep, name)
  return manifest
}
