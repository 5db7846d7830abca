/**
 * Files in UPLOAD_DIR that no upload row names. A file is renamed into place before its row
 * commits, and a deleted row's file (a person deleting it, the drafts cleanup, closing an account)
 * is unlinked after the commit: a crash in either gap leaves a file nothing names, which nothing
 * else would ever remove (an ID-card scan of a closed account kept for good). The sweep runs at
 * start and hourly (server/plugins/upload-orphans.ts).
 */
import type { Dirent } from 'node:fs'
import { readdir, opendir, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Connection } from '../../db/client'
import { writeAudit } from './audit'
import { uploadDir } from './disk'

/**
 * Only a file this old may go. An upload's file is written, renamed into place and its row
 * committed within seconds (the write lock waits at most its 10 s busy timeout); fifteen minutes
 * leaves an upload in flight untouched by a wide margin.
 */
export const ORPHAN_MIN_AGE_MS = 15 * 60_000

/** Names read or files looked at per step, between which requests get their turn. */
export const ORPHAN_STEP = 500

/**
 * More unnamed files than this (and than a tenth of the named ones) is not what crashes leave:
 * it is a wrong DATABASE_URL (a fresh or restored database beside the live uploads). Then nothing
 * is removed and the run says so, rather than delete every person's files. See unlikeCrashes.
 */
export const ORPHAN_SANITY_MIN = 100

/** Only names the portal gives stored files (uploads.ts, shared-materials.ts): 24 random bytes in hex. */
const STORED_NAME = /^[0-9a-f]{48}$/

export type OrphanSweep = { removed: number } | { refused: true, unnamed: number, named: number, restored: boolean }

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve))

/** Every stored_name, read in rowid steps so that no single read holds the thread long. */
async function namedFiles(conn: Connection, step: number): Promise<Set<string>> {
  const names = new Set<string>()
  const page = conn.sqlite.prepare('SELECT rowid AS r, stored_name AS n FROM uploads WHERE rowid > ? ORDER BY rowid LIMIT ?')
  for (let after = 0; ;) {
    const rows = page.all(after, step) as { r: number, n: string }[]
    for (const row of rows) names.add(row.n)
    if (rows.length < step) return names
    after = rows[rows.length - 1]!.r
    await nextTurn()
  }
}

/** Stored-looking files in `dir` that `named` does not hold; null when the folder does not exist yet. */
async function unnamedFiles(dir: string, named: Set<string>): Promise<string[] | null> {
  let entries: AsyncIterable<Dirent>
  try {
    entries = await opendir(dir)
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const out: string[] = []
  // the directory is read a few dozen entries at a time, asynchronously: requests run in between
  for await (const entry of entries) {
    if (entry.isFile() && STORED_NAME.test(entry.name) && !named.has(entry.name)) out.push(entry.name)
  }
  return out
}

/**
 * Removes those of `names` that are old enough and that no row names now (a row may have
 * committed since the names were read); how many went.
 */
async function removeStep(conn: Connection, dir: string, names: string[], before: number): Promise<number> {
  const old: string[] = []
  for (const name of names) {
    const s = await stat(join(dir, name)).catch(() => null)
    // ctime too: a rename sets it, so a file renamed into place just now is young whatever its mtime
    if (s && Math.max(s.mtimeMs, s.ctimeMs) < before) old.push(name)
  }
  if (!old.length) return 0
  // one pass over the table for the whole step (stored_name has no index)
  const stillNamed = new Set((conn.sqlite.prepare('SELECT stored_name AS n FROM uploads WHERE stored_name IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(old)) as { n: string }[]).map(r => r.n))
  let removed = 0
  for (const name of old) {
    if (stillNamed.has(name)) continue
    const gone = await unlink(join(dir, name)).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false // removed meanwhile by whoever deleted its row
      throw error
    })
    if (gone) removed++
  }
  return removed
}

/**
 * Whether `unnamed` files beside `named` ones are more than crashes leave, and look instead like
 * a DATABASE_URL that is not the uploads' database. A crash leaves the files of one upload or of
 * one account's deletes, so some may be unnamed beside many named, never most of the folder: on a
 * small site a mistyped DATABASE_URL (a new, empty database) with one registration and one upload
 * names one file while every real one is unnamed, which the absolute limit alone let through.
 * No row naming any file is the same rule at its extreme.
 */
function unlikeCrashes(unnamed: number, named: number): boolean {
  return unnamed > named || unnamed > Math.max(ORPHAN_SANITY_MIN, named / 10)
}

/** Whether the database a restore replaced is still kept beside the live one (scripts/restore.ts). */
async function restoreUndoable(conn: Connection): Promise<boolean> {
  const file = conn.sqlite.name
  if (!file || file === ':memory:') return false
  const kept = `${basename(file)}.before-restore-`
  const names = await readdir(dirname(file)).catch(() => [] as string[])
  return names.some(n => n.startsWith(kept))
}

/**
 * Removes the files in UPLOAD_DIR that no upload row names and that are older than `minAgeMs`, in
 * steps, and audits the run as one `upload.orphans.removed` row with the count (never the names:
 * they are random, but the audit log is no list of files). tmp/ is not looked at: it is emptied at
 * start (uploads-cleanup.ts). Refuses, removing nothing, when far more files are unnamed than
 * crashes leave: more than the named ones (no row naming any file at all among them), or more than
 * ORPHAN_SANITY_MIN and a tenth of the named (a wrong DATABASE_URL beside live uploads, see
 * unlikeCrashes); and while a restore can still be undone: `npm run restore` keeps the database it
 * replaced beside it (`<name>.before-restore-<time>`), and the files only that one names must stay
 * until whoever restored removes it, having found the restore right.
 */
export async function removeOrphanedUploads(conn: Connection, opts: { dir?: string, now?: number, minAgeMs?: number, step?: number } = {}): Promise<OrphanSweep> {
  const { dir = uploadDir(), now = Date.now(), minAgeMs = ORPHAN_MIN_AGE_MS, step = ORPHAN_STEP } = opts
  const named = await namedFiles(conn, step)
  const unnamed = await unnamedFiles(dir, named)
  if (!unnamed?.length) return { removed: 0 }
  const restored = await restoreUndoable(conn)
  if (restored || unlikeCrashes(unnamed.length, named.size)) {
    return { refused: true, unnamed: unnamed.length, named: named.size, restored }
  }
  let removed = 0
  for (let i = 0; i < unnamed.length; i += step) {
    removed += await removeStep(conn, dir, unnamed.slice(i, i + step), now - minAgeMs)
    await nextTurn()
  }
  if (removed) writeAudit(conn, { actorRole: 'system', action: 'upload.orphans.removed', detail: { count: removed } })
  return { removed }
}
