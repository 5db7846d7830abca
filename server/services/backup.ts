/**
 * Backups that can be trusted: the database through SQLite's online backup API (a consistent
 * snapshot while the portal keeps writing, never a file copy), the uploads copied and checked
 * against their recorded SHA-256, a manifest, and a verification of every backup taken.
 */
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { chainHead, readAuditKey, verifyAuditChain } from './audit'
import type { AuditAnchor } from './audit'
import { checkDatabase } from './database-check'
import type { DatabaseCheck } from './database-check'
import { fsyncDirectory, fsyncFile, uploadDir } from './disk'

// still imported from here by scripts/restore.ts
export { uploadDir } from './disk'

/** A file name inside the backup (or uploads) folder: no folder part, no leading dot, so a manifest cannot point outside. */
const FileName = z.string().regex(/^[\w-][\w.-]{0,199}$/, 'not a plain file name')

const BackupManifest = z.object({
  name: z.string().min(1),
  takenAt: z.iso.datetime(),
  database: FileName,
  counts: z.record(z.string(), z.number().int().min(0)),
  uploads: z.array(z.object({ storedName: FileName, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256') })),
  // the snapshot's newest audit row and its link: kept beside the data, off the live disk, so that
  // `npm run audit:verify -- --backups` can show a live log cut back since (absent before 2026-12-04)
  auditHead: z.object({ id: z.number().int().min(1), link: z.string().regex(/^[0-9a-f]{64}$/, 'not an audit link') }).nullable().optional(),
})
export type BackupManifest = z.infer<typeof BackupManifest>

export interface VerifyResult { ok: boolean, problems: string[] }

export interface RestoreResult extends VerifyResult {
  /** where the database the restore replaced was kept (moving it back undoes the restore) */
  previous?: string
  /** an earlier restore was interrupted while it swapped: what it had replaced was put back first */
  undidInterrupted?: { startedAt?: string, backup?: string }
}

/** What the marker of a restore records (restoreMarker). */
interface RestoreMarker { startedAt?: string, backup?: string, previous?: string, previousKey?: string }

/**
 * The backup was written and verified, but no older one was pruned: it holds far fewer cases than
 * an earlier backup, which is what a backup of the wrong (say, a new and empty) database looks like.
 */
export class BackupNotPrunedError extends Error {}

/** The audit HMAC key file kept beside the database when AUDIT_HMAC_KEY is not set (services/audit.ts). */
const AUDIT_KEY = 'audit.key'

/** Tables whose row counts the manifest records and the verification compares. */
const COUNTED = ['services', 'users', 'applications', 'cases', 'case_events', 'uploads', 'audit_log', 'results', 'ratings']

export const backupDir = () => resolve(process.env.BACKUP_DIR || '.data/backups')

// Files are read and copied with the asynchronous calls: the scheduled backup runs inside the
// portal, and the synchronous ones would stop its requests for as long as all the uploads take.
const sha256File = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

/**
 * BACKUP_KEEP (or the `keep` given): how many backups are kept, a whole number of at least 1. Zero
 * or a negative number would prune every backup, the one just written included, so anything else
 * is refused before a backup is written.
 */
export function backupKeep(value: string | number | undefined = process.env.BACKUP_KEEP): number {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return 7
  const keep = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`BACKUP_KEEP: ${JSON.stringify(value)} is not a whole number of at least 1 (how many backups are kept)`)
  return keep
}

/** How often the portal looks whether its scheduled backup is due: a missed one is taken within this. */
const BACKUP_CHECK_MS = 5 * 60_000

/**
 * BACKUP_INTERVAL_HOURS (default 24; 0 turns the scheduled backup off; fractions are allowed, for
 * tests) as the interval and how often to check it, or null when off. The timer only ever holds the
 * check (at most 5 minutes): Node runs a timer over 2^31-1 ms (597 hours) every millisecond.
 * A value that is not a number of hours is refused rather than read as "off".
 */
export function backupSchedule(value = process.env.BACKUP_INTERVAL_HOURS): { intervalMs: number, checkMs: number } | null {
  const hours = value === undefined || value.trim() === '' ? 24 : Number(value)
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`BACKUP_INTERVAL_HOURS: ${JSON.stringify(value)} is not a number of hours (0 turns the scheduled backup off)`)
  if (hours === 0) return null
  const intervalMs = hours * 3_600_000
  return { intervalMs, checkMs: Math.max(1000, Math.min(intervalMs, BACKUP_CHECK_MS)) }
}

/**
 * Whether the scheduled backup is due at `now`: there is no backup, or the newest is an interval
 * old. Counted from the newest backup, not from the process start, so a portal restarted more often
 * than the interval still takes one. After a failed attempt the next waits an hour (or the interval,
 * if shorter): a backup copies every upload, and a lasting fault must not repeat that every check.
 */
export function backupDue(p: { newest: number | null, intervalMs: number, now: number, lastFailure?: number | null }): boolean {
  if (p.lastFailure != null && p.now - p.lastFailure < Math.min(p.intervalMs, 3_600_000)) return false
  return p.newest === null || p.now - p.newest >= p.intervalMs
}

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

/** How long a `.partial-` folder goes untouched before it counts as left by a backup that was killed. */
const STALE_PARTIAL_MS = 24 * 3_600_000

/**
 * Removes the `.partial-*` folders interrupted backups left: a process killed mid-copy (SIGKILL, a
 * stopped container) never reaches takeBackup's clean-up, and no listing or pruning looks at a name
 * under a dot, so each would keep a whole copy of the database, audit key and uploads for good,
 * accounts closed since included (docs/privacy.md). Only those untouched for 24 hours: the
 * portal's schedule and `npm run backup` may be writing one each right now, and every upload
 * copied into one touches its uploads folder. By age, not by a pid in the name: in a container the
 * portal has the same pid after every restart. Returns the names removed.
 */
export function removeStalePartials(root = backupDir(), now = Date.now()): string[] {
  if (!existsSync(root)) return []
  const stale = readdirSync(root).filter(n => n.startsWith('.partial-') && now - lastTouched(join(root, n)) > STALE_PARTIAL_MS)
  for (const name of stale) rmSync(join(root, name), { recursive: true, force: true })
  return stale
}

/** When a partial backup was last written to: the folder or its uploads folder, whichever is later. */
function lastTouched(partial: string): number {
  const mtime = (path: string) => {
    try { return statSync(path).mtimeMs }
    catch { return 0 } // gone meanwhile, or the uploads folder not made yet
  }
  return Math.max(mtime(partial), mtime(join(partial, 'uploads')))
}

/**
 * A backup's manifest, or why it cannot be used: missing, not JSON, or not the shape a backup
 * writes. Restoring copies files by the names it holds, so they are checked before anything is read.
 */
export function readManifest(path: string): { manifest: BackupManifest } | { problem: string } {
  const file = join(path, 'manifest.json')
  if (!existsSync(file)) return { problem: 'manifest.json is missing' }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  }
  catch (error) {
    return { problem: `manifest.json cannot be read: ${(error as Error).message}` }
  }
  const parsed = BackupManifest.safeParse(json)
  if (parsed.success) return { manifest: parsed.data }
  const issue = parsed.error.issues[0]!
  return { problem: `manifest.json is not a backup manifest: ${issue.path.join('.') || '(top)'}: ${issue.message}` }
}

/** The audit rows the kept backups recorded, oldest backup first (backups from before the field have none). */
export function backupAuditHeads(root = backupDir()): { backup: string, head: AuditAnchor }[] {
  return listBackups(root).flatMap((name) => {
    const read = readManifest(join(root, name))
    return 'manifest' in read && read.manifest.auditHead ? [{ backup: name, head: read.manifest.auditHead }] : []
  })
}

/** Integrity check, row counts and every upload's checksum against the manifest. */
export async function verifyBackup(path: string): Promise<VerifyResult> {
  return (await verified(path)).result
}

async function verified(path: string): Promise<{ result: VerifyResult, manifest?: BackupManifest }> {
  const read = readManifest(path)
  if ('problem' in read) return { result: { ok: false, problems: [read.problem] } }
  const { manifest } = read
  return { result: await checkAgainst(manifest, join(path, manifest.database), join(path, 'uploads')), manifest }
}

/**
 * A database file and an uploads folder against a manifest: the integrity check, every counted
 * table's rows, every upload's SHA-256. Each difference is a problem in the list, an unreadable
 * database included, so a backup and a restored copy are judged and reported the same way.
 */
async function checkAgainst(manifest: BackupManifest, database: string, uploads: string): Promise<VerifyResult> {
  const problems: string[] = []
  try {
    const { integrity, counts } = await checkDatabase(database, { tables: COUNTED, integrity: true })
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`)
    for (const [table, n] of Object.entries(manifest.counts)) {
      if (counts[table] !== n) problems.push(`${table}: ${counts[table]} rows, manifest says ${n}`)
    }
  }
  catch (error) {
    problems.push(`the database cannot be read: ${(error as Error).message}`)
  }
  for (const u of manifest.uploads) {
    const file = join(uploads, u.storedName)
    if (!existsSync(file)) problems.push(`upload ${u.storedName} is missing`)
    else if (await sha256File(file) !== u.sha256) problems.push(`upload ${u.storedName} does not match its SHA-256`)
  }
  return { ok: problems.length === 0, problems }
}

/** The file in a backup that says it was suspect when taken (far fewer cases than a kept one), and why. */
const SUSPECT_MARK = 'SUSPECT.txt'

/**
 * Whether the backup at `path` was marked suspect. Such a backup is likely of the wrong database,
 * so it does not count as a fresh backup for /api/health (newestBackupAge): counted, it kept
 * monitoring quiet for as long as the wrong database was being backed up. The schedule still
 * counts it (newestBackupTime), so as not to keep one more suspect copy every hour.
 */
const isSuspect = (path: string) => existsSync(join(path, SUSPECT_MARK))

/** Why the backup at `path` was marked suspect when it was taken, or null when it was not. */
export function suspectReason(path: string): string | null {
  const file = join(path, SUSPECT_MARK)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null
}

/**
 * The backup a restore takes when none is named: the newest not marked suspect, with the newer
 * suspect ones it passed over. The backup of a wrong database (a mistyped DATABASE_URL, an empty
 * disk) is the newest by name, and restoring it would replace every case with none.
 */
export function defaultRestoreTarget(root = backupDir()): { name: string | null, passedOver: { name: string, reason: string }[] } {
  const passedOver: { name: string, reason: string }[] = []
  for (const name of listBackups(root).reverse()) {
    const reason = suspectReason(join(root, name))
    if (reason === null) return { name, passedOver }
    passedOver.push({ name, reason })
  }
  return { name: null, passedOver }
}

export function listBackups(root = backupDir()): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root).filter(n => !n.startsWith('.') && existsSync(join(root, n, 'manifest.json'))).sort()
}

/** When the backup named `name` was started (the name is that UTC time, `:` and `.` made `-`), or null for another name. */
export function backupTime(name: string): number | null {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/.exec(name)
  const time = m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : Number.NaN
  return Number.isNaN(time) ? null : time
}

/**
 * When the newest backup was started, from its name alone: a backup gets its name only once whole
 * and verified, and the scheduled check must not parse a manifest of tens of MB every few minutes.
 * A suspect one counts here: retrying each hour would keep one more suspect copy each time until
 * the disk is full. The health check does not count it (newestBackupAge), so monitoring alerts.
 */
export function newestBackupTime(root = backupDir()): number | null {
  for (const name of listBackups(root).reverse()) {
    const time = backupTime(name)
    if (time !== null) return time
  }
  return null
}

/**
 * The case count each kept backup's manifest records (those that cannot be read count none). Read
 * asynchronously and without validating the uploads list: inside the portal, a full-size manifest
 * is tens of MB.
 */
async function keptCaseCounts(root: string): Promise<{ name: string, cases: number }[]> {
  const kept: { name: string, cases: number }[] = []
  for (const name of listBackups(root)) { // one at a time: each can be large
    let cases: unknown
    try {
      cases = (JSON.parse(await readFile(join(root, name, 'manifest.json'), 'utf8')) as { counts?: { cases?: unknown } }).counts?.cases
    }
    catch { /* a damaged manifest counts none; verifyBackup names it */ }
    kept.push({ name, cases: typeof cases === 'number' ? cases : 0 })
  }
  return kept
}

/**
 * Removes all but the newest `keep` backups, never `written`, the one just taken: with a clock set
 * back it sorts before the others, and the newest by name could be pruned in its place.
 */
function pruneBackups(root: string, keep: number, written: string) {
  const others = listBackups(root).filter(n => n !== written)
  for (const old of others.slice(0, Math.max(0, others.length - (keep - 1)))) rmSync(join(root, old), { recursive: true, force: true })
}

/**
 * Whether the audit chain of `file` holds with `key`, the key the portal will use on it. Without
 * one, or with the wrong one, the portal would start a new key and chain on rows it can never verify.
 */
function chainProblem(file: string, key: Buffer | null): string | null {
  if (!key) return `no audit key: the backup has no ${AUDIT_KEY} and AUDIT_HMAC_KEY is not set (set it to the key the backup's site used)`
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const { checked, firstBadId } = verifyAuditChain({ sqlite: db, path: file }, key)
    return firstBadId === null ? null : `audit chain broken at row ${firstBadId} (${checked} rows before it hold): the audit key is not the one that signed it, or the log was tampered with`
  }
  catch (error) {
    return `the audit chain cannot be read: ${(error as Error).message}`
  }
  finally { db?.close() }
}

/**
 * Why the database at `file` cannot be replaced now, or null. Leaving WAL mode takes the only
 * connection to it, so while the portal (or `npm run backup`) has it open SQLite answers
 * SQLITE_BUSY: a restore under a running portal would move its database aside, and the writes it
 * acknowledged next would go there. With none open, the -wal is folded into the file, so the
 * database kept beside the restored one is one whole file. A damaged file does not stop a restore:
 * that is what restores are for. SQLite refuses to leave WAL mode only while another connection has
 * frames in the WAL, and switches a database out of it under a connection open but idle: so the
 * locks are asked first (heldOpen), where the system tells them.
 */
function inUse(file: string): string | null {
  if (!existsSync(file)) return null
  if (heldOpen(file)) return `${file} is in use (held open by another connection): stop the portal first`
  let db: Database.Database | undefined
  try {
    db = new Database(file, { fileMustExist: true, timeout: 1000 })
    const mode = db.pragma('journal_mode = DELETE', { simple: true })
    return mode === 'delete' ? null : `${file} stays in ${String(mode)} mode: stop the portal first`
  }
  catch (error) {
    const { code, message } = error as { code?: string, message: string }
    return code?.startsWith('SQLITE_BUSY') ? `${file} is in use (${message}): stop the portal first` : null
  }
  finally { db?.close() }
}

/**
 * Whether a connection has the WAL database `file` open, read from Linux's /proc/locks: each one
 * holds a read lock on the database's shared-memory file (`-shm`) from its first read for as long
 * as it is open, idle or not (a portal reads at once, its migrations). False where that cannot be
 * read (not Linux): inUse's own check remains.
 */
function heldOpen(file: string): boolean {
  let locks: string
  let inode: bigint
  try {
    locks = readFileSync('/proc/locks', 'utf8')
    inode = statSync(`${file}-shm`, { bigint: true }).ino
  }
  catch {
    return false
  }
  // /proc/locks names a file major:minor:inode; by the inode alone, since on btrfs and some overlay
  // file systems the device it prints is not the one stat gives (a lock on another file with the
  // same inode elsewhere would only refuse a restore, never allow one)
  return new RegExp(`\\s[\\da-f]+:[\\da-f]+:${inode}\\s`).test(locks)
}

/**
 * Restores a verified backup over DATABASE_URL and UPLOAD_DIR (the portal must be stopped: a
 * database still open is refused), then verifies the restored database the same way. Everything
 * is copied and synced under temporary names first; only then are the audit key and the database
 * swapped, each by a hard link of the old one aside (`<name>.before-restore-<time>`) and a rename of
 * the copy over it, so that there is never a moment without a database at its name (a portal
 * started on none would make a new, empty one). The key and the database are two renames, not
 * one: while they are swapped, a marker beside the database (restoreMarker) stops the portal from
 * starting, and it goes once the restored database has passed its checks or what it replaced was
 * put back. If anything fails once they were swapped, they are put back. Uploads copied stay:
 * they only add files the restored database may name.
 */
export async function restoreBackup(path: string, target: { databasePath: string, uploads: string }): Promise<RestoreResult> {
  const { result: before, manifest } = await verified(path)
  if (!before.ok || !manifest) return before
  const db = target.databasePath
  const backupKey = join(path, AUDIT_KEY)
  const liveKey = join(dirname(db), AUDIT_KEY)
  // the key in effect after the restore: AUDIT_HMAC_KEY, else the backup's audit.key, else the one already there
  const chain = chainProblem(join(path, manifest.database), readAuditKey(join(path, manifest.database)) ?? readAuditKey(db))
  if (chain) return { ok: false, problems: [chain] }
  const busy = inUse(db)
  if (busy) return { ok: false, problems: [`${busy} (nothing was changed)`] }
  const marker = restoreMarker(db)
  let undidInterrupted: RestoreResult['undidInterrupted']
  if (existsSync(marker)) {
    const undone = await undoInterruptedRestore(marker, db, liveKey)
    if ('problem' in undone) return { ok: false, problems: [undone.problem] }
    undidInterrupted = undone.undid
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const kept = `${db}.before-restore-${stamp}`
  const moved: [from: string, to: string][] = []
  const placed: string[] = []
  const moveAside = (from: string, to: string) => {
    if (!existsSync(from)) return
    renameSync(from, to)
    moved.push([from, to])
  }
  /** What is at `from` kept at `to` too (a hard link: the same file), to be replaced at `from` by a rename. */
  const keepAside = (from: string, to: string) => {
    if (!existsSync(from)) return
    try {
      linkSync(from, to)
    }
    catch (error) {
      // a file system without hard links (some network and FAT ones): moved aside, as before
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
      renameSync(from, to)
    }
    moved.push([from, to])
  }
  /** A copy under a temporary name, synced: renamed into place once everything is copied. */
  const stage = async (from: string, to: string) => {
    placed.push(`${to}.restoring`)
    copyFileSync(from, `${to}.restoring`)
    await fsyncFile(`${to}.restoring`)
  }
  /** What was at `to` kept at `aside`, and the staged copy renamed over it: `to` is never missing. */
  const swapIn = (to: string, aside: string) => {
    keepAside(to, aside)
    placed.push(to)
    renameSync(`${to}.restoring`, to)
  }
  let wroteMarker = false
  let problems: string[]
  try {
    mkdirSync(target.uploads, { recursive: true })
    mkdirSync(dirname(db), { recursive: true })
    for (const u of manifest.uploads) {
      const dest = join(target.uploads, u.storedName)
      copyFileSync(join(path, 'uploads', u.storedName), dest)
      await fsyncFile(dest)
    }
    await fsyncDirectory(target.uploads)
    await stage(join(path, manifest.database), db)
    const newKey = existsSync(backupKey)
    if (newKey) await stage(backupKey, liveKey)
    // asked again now: copying the uploads of a city takes minutes, and a portal started meanwhile
    // would go on writing to the database moved aside
    const startedMeanwhile = inUse(db)
    if (startedMeanwhile) throw new Error(`${startedMeanwhile} (it was opened while the restore copied)`)
    // From here on, links and renames only, under the marker. The old database is kept, not
    // copied: should a -wal still be beside it, SQLite finds it by name, so `<kept>` opens whole
    // with `<kept>-wal`; and a -wal left at the live name would be replayed onto the restored
    // database, so it goes before the restored one comes.
    const keyAside = `${liveKey}.before-restore-${stamp}`
    const record: RestoreMarker = { startedAt: new Date().toISOString(), backup: path, previous: kept, ...(newKey && { previousKey: keyAside }) }
    writeFileSync(marker, `${JSON.stringify(record)}\n`)
    wroteMarker = true
    await fsyncFile(marker)
    await fsyncDirectory(dirname(db))
    if (newKey) swapIn(liveKey, keyAside)
    keepAside(db, kept)
    moveAside(`${db}-wal`, `${kept}-wal`)
    rmSync(`${db}-shm`, { force: true })
    placed.push(db)
    renameSync(`${db}.restoring`, db)
    await fsyncDirectory(dirname(db))
    const after = await checkAgainst(manifest, db, target.uploads)
    const chainAfter = chainProblem(db, readAuditKey(db))
    problems = [...after.problems, ...(chainAfter ? [chainAfter] : [])].map(p => `after the restore: ${p}`)
  }
  catch (error) {
    problems = [`the restore failed: ${(error as Error).message}`]
  }
  if (problems.length === 0) {
    if (wroteMarker) await clearMarker(marker, db)
    return { ok: true, problems, ...(existsSync(kept) && { previous: kept }), ...(undidInterrupted && { undidInterrupted }) }
  }
  // the database back before its -wal (moved after it), so that the -wal never sits beside the
  // restored one; each rename puts the kept file over what the restore placed
  const back = moved.reverse().sort((a, b) => Number(a[0].endsWith('-wal')) - Number(b[0].endsWith('-wal')))
  for (const [from, to] of back) putBack(to, from)
  for (const file of placed) if (!back.some(([from]) => from === file)) rmSync(file, { force: true })
  if (wroteMarker) await clearMarker(marker, db)
  return { ok: false, problems: [...problems, moved.length ? 'what it replaced was put back' : 'the restored files were removed'] }
}

/**
 * The file beside a database that says a restore is swapping it: the portal does not start while
 * it is there (server/utils/db.ts), since the audit key and the database may be of two different
 * times. Holds JSON: when the restore started, the backup and where the replaced database is kept.
 */
export function restoreMarker(databasePath: string): string {
  return `${databasePath}.restore-in-progress`
}

/**
 * A restore that stopped while it swapped (its marker is still there; the portal has not started
 * since, as it refuses to) is undone before the next one begins: the database, its -wal and the
 * audit key it had replaced are put back from where it kept them, whichever it got to. Then the
 * next restore replaces, and lists the changes since the backup from, the database as it was
 * before either. A marker that cannot be read is left for a person to look at.
 */
async function undoInterruptedRestore(marker: string, db: string, liveKey: string): Promise<{ undid: RestoreResult['undidInterrupted'] } | { problem: string }> {
  let found: RestoreMarker
  try {
    found = JSON.parse(readFileSync(marker, 'utf8')) as RestoreMarker
  }
  catch (error) {
    return { problem: `${marker} is there but cannot be read (${(error as Error).message}): an earlier restore stopped while it swapped the database; put back by hand what it replaced (${db}.before-restore-*, with its -wal, and ${liveKey}.before-restore-*), remove ${marker}, and run the restore again (nothing was changed)` }
  }
  // the database before its -wal, so that an old -wal never sits beside another database
  const keptAside: [kept: string | undefined, live: string][] = [[found.previousKey, liveKey], [found.previous, db], [found.previous && `${found.previous}-wal`, `${db}-wal`]]
  for (const [kept, live] of keptAside) {
    if (!kept || !existsSync(kept)) continue
    if (live === db) rmSync(`${db}-shm`, { force: true })
    putBack(kept, live)
  }
  for (const staged of [`${db}.restoring`, `${liveKey}.restoring`]) rmSync(staged, { force: true })
  await clearMarker(marker, db)
  return { undid: { startedAt: found.startedAt, backup: found.backup } }
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

/**
 * What a restore kept aside renamed back over `live`. A link made before the copy was renamed over
 * `live` is the same file, and rename then leaves both names: the kept one goes.
 */
function putBack(kept: string, live: string): void {
  renameSync(kept, live)
  if (existsSync(kept) && statSync(kept).ino === statSync(live).ino) rmSync(kept)
}

async function clearMarker(marker: string, db: string): Promise<void> {
  if (!existsSync(marker)) return
  rmSync(marker, { force: true })
  await fsyncDirectory(dirname(db))
}

/**
 * Age in seconds of the newest backup whose manifest can be read and that is not marked suspect,
 * or null when there is none (for /api/health: a damaged manifest or a suspect backup makes the
 * backups look older, never the health check fail).
 */
export function newestBackupAge(root = backupDir(), now = Date.now()): number | null {
  for (const name of listBackups(root).reverse()) {
    if (isSuspect(join(root, name))) continue
    const takenAt = manifestTakenAt(join(root, name))
    if (takenAt !== null) return Math.round((now - takenAt) / 1000)
  }
  return null
}

/**
 * When each manifest read says its backup was taken (null: unreadable), with the size and time of
 * the file it was read from. /api/health asks on every call, and parsing a full-size manifest (tens
 * of MB) held the event loop each time; a backup's manifest is written once, so a file still the
 * same size and age is the one already read. One small entry per backup the process has seen.
 */
const takenAtRead = new Map<string, { size: number, mtimeMs: number, takenAt: number | null }>()

function manifestTakenAt(backup: string): number | null {
  const file = join(backup, 'manifest.json')
  let stat: { size: number, mtimeMs: number }
  try {
    stat = statSync(file)
  }
  catch {
    return null
  }
  const known = takenAtRead.get(file)
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.takenAt
  const read = readManifest(backup)
  const takenAt = 'manifest' in read ? Date.parse(read.manifest.takenAt) : null
  takenAtRead.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, takenAt })
  return takenAt
}
