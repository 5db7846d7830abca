/**
 * Backups that can be trusted: the database through SQLite's online backup API (a consistent
 * snapshot while the portal keeps writing, never a file copy), the uploads copied and checked
 * against their recorded SHA-256, a manifest, and a verification of every backup taken.
 */
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { chainHead, readAuditKey, verifyAuditChain } from './audit'
import type { AuditAnchor } from './audit'
import { checkDatabase } from './database-check'
import type { DatabaseCheck } from './database-check'

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
}

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
export const uploadDir = () => resolve(process.env.UPLOAD_DIR || '.data/uploads')

// Files are read and copied with the asynchronous calls: the scheduled backup runs inside the
// portal, and the synchronous ones would stop its requests for as long as all the uploads take.
const sha256File = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

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
    if (await copiedUnlessDeleted(conn, join(uploads, u.storedName), dest, u.storedName, uploads)) continue
    deletedSince.push(u.storedName)
  }
  if (deletedSince.length) ({ counts, uploads: rows } = await forgetDeletedUploads(join(partial, 'portal.db'), deletedSince))
  // the audit chain's key travels with the data it signs, or a restored chain can never be verified
  const key = join(dirname(conn.path), AUDIT_KEY)
  if (existsSync(key)) copyFileSync(key, join(partial, AUDIT_KEY))
  const manifest: BackupManifest = { name, takenAt: new Date().toISOString(), database: 'portal.db', counts, uploads: rows!, auditHead }
  writeFileSync(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2))
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
 * later has every file its database names. Nothing else refers to such an upload (only one that no
 * case or submitted application holds is ever deleted).
 */
async function forgetDeletedUploads(file: string, storedNames: string[]): Promise<DatabaseCheck> {
  const copy = new Database(file)
  try {
    const forget = copy.prepare('DELETE FROM uploads WHERE stored_name = ?')
    copy.transaction(() => storedNames.forEach(name => forget.run(name)))()
  }
  finally {
    copy.close()
  }
  return checkDatabase(file, { tables: COUNTED, uploads: true })
}

/** Takes a backup into BACKUP_DIR/<timestamp>/, verifies it, and keeps the newest `keep`. */
export async function takeBackup(conn: Connection, opts: { dir?: string, uploads?: string, keep?: number, now?: Date } = {}): Promise<BackupManifest> {
  const root = opts.dir ?? backupDir()
  const uploads = opts.uploads ?? uploadDir()
  const name = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')
  const partial = join(root, `.partial-${name}`)
  let manifest: BackupManifest
  try {
    manifest = await writeSnapshot(conn, partial, uploads, name)
    const result = await verifyBackup(partial)
    if (!result.ok) throw new Error(`backup failed verification: ${result.problems.join('; ')}`)
  }
  catch (error) {
    // a failed attempt leaves nothing that could later be mistaken for a backup
    rmSync(partial, { recursive: true, force: true })
    throw error
  }
  // Against every kept backup, not only the newest: a second run of the same mistake would
  // otherwise compare with the first one's and prune the real backups after all.
  const largest = (await keptCaseCounts(root)).reduce((a, b) => b.cases > a.cases ? b : a, { name: '', cases: 0 })
  renameSync(partial, join(root, name)) // a backup is only visible once complete and verified
  const cases = manifest.counts.cases ?? 0
  if (cases < largest.cases / 2) {
    throw new BackupNotPrunedError(`backup ${name} was written and verified but holds ${cases} cases against ${largest.cases} in ${largest.name}, `
      + `so no backup was pruned: check that ${conn.path} is the live database (if the drop is real, remove older backups by hand)`)
  }
  pruneBackups(root, opts.keep ?? Number(process.env.BACKUP_KEEP || 7))
  return manifest
}

/**
 * A backup's manifest, or why it cannot be used: missing, not JSON, or not the shape a backup
 * writes. Restoring copies files by the names it holds, so they are checked before anything is read.
 */
function readManifest(path: string): { manifest: BackupManifest } | { problem: string } {
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

export function listBackups(root = backupDir()): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root).filter(n => !n.startsWith('.') && existsSync(join(root, n, 'manifest.json'))).sort()
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

function pruneBackups(root: string, keep: number) {
  const all = listBackups(root)
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(join(root, old), { recursive: true, force: true })
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
 * Restores a verified backup over DATABASE_URL and UPLOAD_DIR (the portal must be stopped), then
 * verifies the restored database the same way. The database and audit key it replaces are kept
 * beside them (`<name>.before-restore-<time>`); if anything fails once they were moved, they are
 * put back. Uploads already copied stay: they only add files the restored database may name.
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

  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const kept = `${db}.before-restore-${stamp}`
  const moved: [from: string, to: string][] = []
  const placed: string[] = []
  const moveAside = (from: string, to: string) => {
    if (!existsSync(from)) return
    renameSync(from, to)
    moved.push([from, to])
  }
  let problems: string[]
  try {
    mkdirSync(target.uploads, { recursive: true })
    mkdirSync(dirname(db), { recursive: true })
    // Moved, not deleted or copied: its WAL may hold its last commits, and SQLite finds the WAL by
    // name, so the kept database opens whole as `<kept>` with `<kept>-wal`.
    moveAside(db, kept)
    moveAside(`${db}-wal`, `${kept}-wal`)
    rmSync(`${db}-shm`, { force: true })
    if (existsSync(backupKey)) {
      moveAside(liveKey, `${liveKey}.before-restore-${stamp}`)
      placed.push(liveKey)
      copyFileSync(backupKey, liveKey)
    }
    placed.push(`${db}.restoring`, db)
    copyFileSync(join(path, manifest.database), `${db}.restoring`)
    renameSync(`${db}.restoring`, db)
    for (const u of manifest.uploads) {
      const dest = join(target.uploads, u.storedName)
      mkdirSync(dirname(dest), { recursive: true })
      copyFileSync(join(path, 'uploads', u.storedName), dest)
    }
    const after = await checkAgainst(manifest, db, target.uploads)
    const chainAfter = chainProblem(db, readAuditKey(db))
    problems = [...after.problems, ...(chainAfter ? [chainAfter] : [])].map(p => `after the restore: ${p}`)
  }
  catch (error) {
    problems = [`the restore failed: ${(error as Error).message}`]
  }
  if (problems.length === 0) return { ok: true, problems, ...(existsSync(kept) && { previous: kept }) }
  for (const file of placed) rmSync(file, { force: true })
  for (const [from, to] of moved.reverse()) renameSync(to, from)
  return { ok: false, problems: [...problems, moved.length ? 'what it replaced was put back' : 'the restored files were removed'] }
}

/**
 * Age in seconds of the newest backup whose manifest can be read, or null when there is none (for
 * /api/health: a damaged manifest makes the backups look older, never the health check fail).
 */
export function newestBackupAge(root = backupDir(), now = Date.now()): number | null {
  for (const name of listBackups(root).reverse()) {
    const read = readManifest(join(root, name))
    if ('manifest' in read) return Math.round((now - Date.parse(read.manifest.takenAt)) / 1000)
  }
  return null
}
