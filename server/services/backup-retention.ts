/**
 * Which backups are kept: BACKUP_KEEP, the pruning of older backups after a new one, the case
 * counts the kept ones record (a new backup far below them is not allowed to prune), and the
 * removal of partial backups a killed process left.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { backupDir, listBackups } from './backup-manifest'

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
 * The case count each kept backup's manifest records (those that cannot be read count none). Read
 * asynchronously and without validating the uploads list: inside the portal, a full-size manifest
 * is tens of MB.
 */
export async function keptCaseCounts(root: string): Promise<{ name: string, cases: number }[]> {
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
export function pruneBackups(root: string, keep: number, written: string) {
  const others = listBackups(root).filter(n => n !== written)
  for (const old of others.slice(0, Math.max(0, others.length - (keep - 1)))) rmSync(join(root, old), { recursive: true, force: true })
}
