/**
 * Where uploads live, and making writes durable: a file's bytes, and the directory entry naming
 * it, flushed to disk before anything (a row, a manifest, a visible backup) relies on them. Shared
 * by uploads, the e-licence copies of the shared library, backups and restores, and the health check.
 */
import { randomBytes } from 'node:crypto'
import { open, rename } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/** Where materials live (UPLOAD_DIR); outside anything served statically. */
export function uploadDir(): string {
  return resolve(process.env.UPLOAD_DIR || '.data/uploads')
}

/**
 * fsync a file, so that an acknowledged upload survives a power cut, like an acknowledged commit.
 * A copied file is only in the page cache until then: after a power cut, a backup could be missing
 * files its manifest names, or a restore could come back as the old database or none.
 *
 * Opened read-only on POSIX, where fsync needs no write access: a restore copies files with the
 * mode they had in the backup, which may be read-only, and opening those for writing would fail
 * (EACCES). Windows flushes only a handle opened for writing (EPERM otherwise), so there it is
 * opened read-write.
 */
export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, process.platform === 'win32' ? 'r+' : 'r')
  try { await fh.sync() }
  finally { await fh.close() }
}

/**
 * fsync a directory, so that a name just created or renamed into it is on disk: fsync of a file
 * makes its bytes durable, not the directory entry naming it (POSIX fsync(2); ext4 with
 * data=ordered loses a fresh rename on a power cut until the directory is synced). Without it a
 * committed row could name a file that is gone after the restart, or one still in tmp/, which
 * `removeOrphanedTempFiles` then deletes; a backup could get its name, or a restore report itself
 * done, with the rename still only in memory. Windows cannot open or flush a directory for this
 * (EISDIR, EPERM; NTFS journals its metadata itself), so there it does nothing. Elsewhere a failure is thrown, not
 * swallowed: the caller must not report as durable what may not be.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const fh = await open(dir, 'r')
  try { await fh.sync() }
  finally { await fh.close() }
}

/**
 * Writes `data` to `path` so that it survives a power cut once this returns: into a new temporary
 * file (`<random>.part`, mode 0600) in `tmpDir`, fsynced, `tmpDir` fsynced, renamed to `path`, and
 * `path`'s directory fsynced. `tmpDir` must exist and be on the same file system as `path` (a
 * rename does not cross file systems), and should be one whose leftover `.part` files are cleaned
 * up (UPLOAD_DIR/tmp: `removeOrphanedTempFiles`), as a failure here leaves the temporary file.
 */
export async function writeFileDurably(path: string, data: Uint8Array, tmpDir: string): Promise<void> {
  const tmp = join(tmpDir, `${randomBytes(16).toString('hex')}.part`)
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  }
  finally {
    await fh.close()
  }
  await fsyncDirectory(tmpDir)
  await rename(tmp, path)
  // the new name on disk before anything names it
  await fsyncDirectory(dirname(path))
}
