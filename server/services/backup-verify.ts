/**
 * Whether a backup (or a database just restored from one) is what its manifest says: the integrity
 * check, the row counts, every upload's SHA-256, and the audit chain under the key it will be used with.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { verifyAuditChain } from './audit'
import { checkDatabase } from './database-check'
import { AUDIT_KEY, COUNTED, readManifest } from './backup-manifest'
import type { BackupManifest } from './backup-manifest'

/** What a verification found: ok when `problems` is empty. */
export interface VerifyResult { ok: boolean, problems: string[] }

// Files are read and copied with the asynchronous calls: the scheduled backup runs inside the
// portal, and the synchronous ones would stop its requests for as long as all the uploads take.
const sha256File = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

/** Integrity check, row counts and every upload's checksum against the manifest. */
export async function verifyBackup(path: string): Promise<VerifyResult> {
  return (await verified(path)).result
}

/** The verification of the backup at `path`, with its manifest when that could be read (restoreBackup copies by it). */
export async function verified(path: string): Promise<{ result: VerifyResult, manifest?: BackupManifest }> {
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
export async function checkAgainst(manifest: BackupManifest, database: string, uploads: string): Promise<VerifyResult> {
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

/**
 * Whether the audit chain of `file` holds with `key`, the key the portal will use on it. Without
 * one, or with the wrong one, the portal would start a new key and chain on rows it can never verify.
 */
export function chainProblem(file: string, key: Buffer | null): string | null {
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
