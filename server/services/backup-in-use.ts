/**
 * Whether a database can be replaced by a restore now: not while a connection (a running portal,
 * `npm run backup`) has it open, asked of the system's locks first and of SQLite second.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'

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
export function inUse(file: string): string | null {
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
