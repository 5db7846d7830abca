/**
 * The disk sync of a WAL database, off the event loop. With synchronous=FULL, SQLite syncs the
 * write-ahead log inside COMMIT, and better-sqlite3 runs COMMIT on the main thread: for the 1–2 ms
 * the disk takes, the server parses no request and runs no query. The group commit instead commits
 * with synchronous=NORMAL (the WAL written, not yet synced; still consistent, since NORMAL keeps
 * the syncs around checkpoints) and then syncs the WAL file here, in libuv's thread pool, before
 * it answers anyone. Frames are appended in order, so a sync that starts after a COMMIT has
 * returned makes that commit durable, and one sync serves every commit made before it started.
 */
import { existsSync, fdatasync, openSync } from 'node:fs'
import type Database from 'better-sqlite3'

export type WalSync = () => Promise<void>

/**
 * A coalescing sync of `<database>-wal`: the promise resolves after a sync that started after the
 * call. While one sync runs, later callers share the next one.
 */
export function walSyncOf(db: Database.Database): WalSync {
  let fd: number | undefined
  let running: Promise<void> | null = null
  let queued: Promise<void> | null = null

  const syncOnce = () => new Promise<void>((resolve, reject) => {
    // Opened once and kept: the WAL keeps its inode while the connection is open (SQLite deletes
    // it only when the last connection closes), and SQLite holds no locks on it that a close of
    // ours could drop.
    if (fd === undefined) {
      const path = `${db.name}-wal`
      if (!existsSync(path)) return resolve()
      fd = openSync(path, 'r+')
    }
    fdatasync(fd, error => (error ? reject(error) : resolve()))
  })

  return function sync(): Promise<void> {
    if (!running) {
      running = syncOnce().finally(() => { running = null })
      return running
    }
    queued ??= running.catch(() => {}).then(() => {
      queued = null
      return sync()
    })
    return queued
  }
}

/** Whether commits on `db` wait for the disk, i.e. the group commit must sync the WAL itself. */
export function commitsSyncTheWal(db: Database.Database): boolean {
  return !db.memory && db.pragma('journal_mode', { simple: true }) === 'wal' && Number(db.pragma('synchronous', { simple: true })) >= 2
}
