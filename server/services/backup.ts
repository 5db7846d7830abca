/**
 * Backups that can be trusted: the database through SQLite's online backup API (a consistent
 * snapshot while the portal keeps writing, never a file copy), the uploads copied and checked
 * against their recorded SHA-256, a manifest, and a verification of every backup taken.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { checkDatabase } from './database-check'

/** A file name inside the backup (or uploads) folder: no folder part, no leading dot, so a manifest cannot point outside. */
const FileName = z.string().regex(/^[\w-][\w.-]{0,199}$/, 'not a plain file name')

const BackupManifest = z.object({
  name: z.string().min(1),
  takenAt: z.iso.datetime(),
  database: FileName,
  counts: z.record(z.string(), z.number().int().min(0)),
  uploads: z.array(z.object({ storedName: FileName, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256') })),
})
export type BackupManifest = z.infer<typeof BackupManifest>

export interface VerifyResult { ok: boolean, problems: string[] }

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
  mkdirSync(join(partial, 'uploads'), { recursive: true })
  await conn.sqlite.backup(join(partial, 'portal.db'), { progress: stepAfterRestart() })
  const copy = new Database(join(partial, 'portal.db'))
  // a self-contained file: no -wal or -shm beside it, whoever opens it later (the portal turns WAL on again)
  copy.pragma('journal_mode = DELETE')
  copy.close()
  // Only the uploads the snapshot knows of: later ones belong to the next backup.
  const { counts, uploads: rows } = await checkDatabase(join(partial, 'portal.db'), { tables: COUNTED, uploads: true })
  for (const u of rows!) {
    const src = join(uploads, u.storedName)
    if (!existsSync(src)) throw new Error(`upload ${u.storedName} is missing from ${uploads}`)
    const dest = join(partial, 'uploads', u.storedName)
    await mkdir(dirname(dest), { recursive: true })
    await copyFile(src, dest)
  }
  // the audit chain's key travels with the data it signs, or a restored chain can never be verified
  const key = join(dirname(conn.path), AUDIT_KEY)
  if (existsSync(key)) copyFileSync(key, join(partial, AUDIT_KEY))
  const manifest: BackupManifest = { name, takenAt: new Date().toISOString(), database: 'portal.db', counts, uploads: rows! }
  writeFileSync(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return manifest
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
  renameSync(partial, join(root, name)) // a backup is only visible once complete and verified
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

function pruneBackups(root: string, keep: number) {
  const all = listBackups(root)
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(join(root, old), { recursive: true, force: true })
}

/**
 * Restores a verified backup over DATABASE_URL and UPLOAD_DIR (the portal must be stopped), then
 * verifies the restored database the same way.
 */
export async function restoreBackup(path: string, target: { databasePath: string, uploads: string }): Promise<VerifyResult> {
  const { result: before, manifest } = await verified(path)
  if (!before.ok || !manifest) return before
  mkdirSync(target.uploads, { recursive: true })
  mkdirSync(dirname(target.databasePath), { recursive: true })
  for (const suffix of ['-wal', '-shm']) rmSync(target.databasePath + suffix, { force: true })
  if (existsSync(join(path, AUDIT_KEY))) copyFileSync(join(path, AUDIT_KEY), join(dirname(target.databasePath), AUDIT_KEY))
  copyFileSync(join(path, manifest.database), `${target.databasePath}.restoring`)
  renameSync(`${target.databasePath}.restoring`, target.databasePath)
  for (const u of manifest.uploads) {
    const dest = join(target.uploads, u.storedName)
    mkdirSync(dirname(dest), { recursive: true })
    copyFileSync(join(path, 'uploads', u.storedName), dest)
  }
  const after = await checkAgainst(manifest, target.databasePath, target.uploads)
  return { ok: after.ok, problems: after.problems.map(p => `after the restore: ${p}`) }
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
