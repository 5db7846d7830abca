/**
 * Restoring a verified backup over the live database and uploads, which backup a restore takes
 * when none is named, and the undoing of a restore that was interrupted while it swapped.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { readAuditKey } from './audit'
import { fsyncDirectory, fsyncFile } from './disk'
import { AUDIT_KEY, backupDir, listBackups, suspectReason } from './backup-manifest'
import { inUse } from './backup-in-use'
import { restoreMarker } from './backup-restore-marker'
import type { RestoreMarker } from './backup-restore-marker'
import { chainProblem, checkAgainst, verified } from './backup-verify'
import type { VerifyResult } from './backup-verify'

/** A verification of the restored database, and what the restore kept aside or undid first. */
export interface RestoreResult extends VerifyResult {
  /** where the database the restore replaced was kept (moving it back undoes the restore) */
  previous?: string
  /** an earlier restore was interrupted while it swapped: what it had replaced was put back first */
  undidInterrupted?: { startedAt?: string, backup?: string }
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
