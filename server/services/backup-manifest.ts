/**
 * What a backup folder holds and how it is found: the manifest's schema and reading, the names
 * backups get and their listing, the suspect mark, and the age and time of the newest backup.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import type { AuditAnchor } from './audit'

/** A file name inside the backup (or uploads) folder: no folder part, no leading dot, so a manifest cannot point outside. */
const FileName = z.string().regex(/^[\w-][\w.-]{0,199}$/, 'not a plain file name')

/** The shape a manifest must have before any file named in it is read (readManifest). */
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
/** What a backup's manifest.json holds, as readManifest has checked it. */
export type BackupManifest = z.infer<typeof BackupManifest>

/** The audit HMAC key file kept beside the database when AUDIT_HMAC_KEY is not set (services/audit.ts). */
export const AUDIT_KEY = 'audit.key'

/** Tables whose row counts the manifest records and the verification compares. */
export const COUNTED = ['services', 'users', 'applications', 'cases', 'case_events', 'uploads', 'audit_log', 'results', 'ratings']

/** The folder backups are written to and looked for in: BACKUP_DIR, by default .data/backups. */
export const backupDir = () => resolve(process.env.BACKUP_DIR || '.data/backups')

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

/** The file in a backup that says it was suspect when taken (far fewer cases than a kept one), and why. */
export const SUSPECT_MARK = 'SUSPECT.txt'

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

/** The names of the backups in `root`, oldest first: only whole ones (a manifest, no leading dot). */
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
