/**
 * What a power cut or a killed restore would leave, seen through the file system calls: a backup's
 * files, manifest and folders are synced before it gets its name and before older ones are pruned;
 * a restore copies and syncs everything under temporary names, and its marker, before it keeps the
 * live database aside, syncs the renames before it says it is done, and puts back what it replaced
 * when that fails.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { restoreBackup, takeBackup } from '../../server/services/backup'
import { sha256 } from '../support/fixtures'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

type Event = { op: 'fsync' | 'rename' | 'link' | 'rm', path: string, to?: string }
const fsState = vi.hoisted(() => ({
  events: [] as Event[],
  /** called before each copyFileSync, to look at the files as an interruption there would leave them */
  onCopy: null as null | ((from: string, to: string) => void),
  /** an fsync that fails, as a disk error would */
  failSync: null as null | ((path: string) => boolean),
}))

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  return {
    ...fs,
    copyFileSync: ((from: string, to: string, mode?: number) => {
      fsState.onCopy?.(from, to)
      fs.copyFileSync(from, to, mode)
    }) as typeof fs.copyFileSync,
    renameSync: ((from: string, to: string) => {
      fsState.events.push({ op: 'rename', path: from, to })
      fs.renameSync(from, to)
    }) as typeof fs.renameSync,
    linkSync: ((from: string, to: string) => {
      fsState.events.push({ op: 'link', path: from, to })
      fs.linkSync(from, to)
    }) as typeof fs.linkSync,
    rmSync: ((path: string, opts?: Parameters<typeof fs.rmSync>[1]) => {
      fsState.events.push({ op: 'rm', path })
      fs.rmSync(path, opts)
    }) as typeof fs.rmSync,
  }
})

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>()
  const open = (async (path: string, ...rest: unknown[]) => {
    const handle = await (fsp.open as (...a: unknown[]) => ReturnType<typeof fsp.open>)(path, ...rest)
    const sync = handle.sync.bind(handle)
    handle.sync = async () => {
      fsState.events.push({ op: 'fsync', path: String(path) })
      if (fsState.failSync?.(String(path))) throw Object.assign(new Error(`EIO: i/o error, fsync '${String(path)}'`), { code: 'EIO' })
      return sync()
    }
    return handle
  }) as typeof fsp.open
  return { ...fsp, open, default: { ...fsp, open } }
})

let root: string
let conn: Connection
let uploads: string
let backups: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portal-backup-durability-'))
  uploads = join(root, 'uploads')
  backups = join(root, 'backups')
  mkdirSync(uploads, { recursive: true })
  conn = openDatabase(`file:${join(root, 'portal.db')}`)
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  seedDemoAccounts(conn)
  const owner = (conn.sqlite.prepare('SELECT id FROM users WHERE username = ?').get('citizen') as { id: number }).id
  for (let i = 0; i < 3; i++) {
    const bytes = Buffer.concat([Buffer.from(`%PDF-1.4 upload ${i}\n`), randomBytes(512)])
    const storedName = randomBytes(24).toString('hex')
    writeFileSync(join(uploads, storedName), bytes)
    conn.sqlite.prepare('INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(randomBytes(16).toString('base64url'), owner, `file-${i}.pdf`, bytes.length, 'application/pdf', sha256(bytes), storedName)
  }
  Object.assign(fsState, { events: [], onCopy: null, failSync: null })
})

afterEach(() => {
  conn.sqlite.close()
  rmSync(root, { recursive: true, force: true })
})

/** Where `event` first happens in the recorded calls (-1: never). */
const at = (event: Event) => fsState.events.findIndex(e => e.op === event.op && e.path === event.path && (event.to === undefined || e.to === event.to))

/** A database that is not the backup's, in `dir`, to be replaced by a restore. */
function existingDatabase(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'portal.db'))
  db.exec('CREATE TABLE replaced_marker (x)')
  db.close()
  return join(dir, 'portal.db')
}
const hasMarker = (file: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try { return !!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'replaced_marker'`).get() }
  finally { db.close() }
}

describe('durability of backups and restores', () => {
  it('syncs a backup\'s files and folders before it gets its name, and the name before older backups are pruned', async () => {
    const first = await takeBackup(conn, { dir: backups, uploads, keep: 1, now: new Date('2026-12-09T02:00:00Z') })
    fsState.events = []
    const manifest = await takeBackup(conn, { dir: backups, uploads, keep: 1, now: new Date('2026-12-10T02:00:00Z') })
    const partial = join(backups, `.partial-${manifest.name}`)
    const named = at({ op: 'rename', path: partial, to: join(backups, manifest.name) })
    expect(named).toBeGreaterThan(-1)
    const synced = [...manifest.uploads.map(u => join(partial, 'uploads', u.storedName)), join(partial, 'uploads'), join(partial, 'portal.db'), join(partial, 'manifest.json'), partial]
    for (const path of synced) {
      expect(at({ op: 'fsync', path }), path).toBeGreaterThan(-1)
      expect(at({ op: 'fsync', path }), path).toBeLessThan(named)
    }
    const rootSynced = fsState.events.findIndex((e, i) => i > named && e.op === 'fsync' && e.path === backups)
    expect(rootSynced).toBeGreaterThan(named)
    expect(at({ op: 'rm', path: join(backups, first.name) })).toBeGreaterThan(rootSynced)
  })

  it('copies and syncs everything, and its marker, before it keeps the live database aside, and syncs the renames before it is done', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const db = existingDatabase(site)
    const target = join(site, 'uploads')
    // what a restore killed while it copies the uploads would leave: the live database, as it was
    const whileCopyingUploads: boolean[] = []
    fsState.onCopy = (_from, to) => { if (dirname(to) === target) whileCopyingUploads.push(existsSync(db) && hasMarker(db)) }
    fsState.events = []
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: db, uploads: target })
    expect(result.ok).toBe(true)
    expect(whileCopyingUploads).toEqual(manifest.uploads.map(() => true))

    // kept aside by a hard link, so the live name holds a database until the copy is renamed over it
    const movedAside = at({ op: 'link', path: db, to: result.previous })
    const placed = at({ op: 'rename', path: `${db}.restoring`, to: db })
    expect(movedAside).toBeGreaterThan(-1)
    expect(placed).toBeGreaterThan(movedAside)
    for (const path of [...manifest.uploads.map(u => join(target, u.storedName)), target, `${db}.restoring`, `${db}.restore-in-progress`]) {
      expect(at({ op: 'fsync', path }), path).toBeGreaterThan(-1)
      expect(at({ op: 'fsync', path }), path).toBeLessThan(movedAside)
    }
    expect(fsState.events.findIndex((e, i) => i > placed && e.op === 'fsync' && e.path === site)).toBeGreaterThan(placed)
  })

  it('puts the previous database and audit key back when the restore fails after replacing them (the final sync fails)', async () => {
    writeFileSync(join(root, 'audit.key'), Buffer.from(process.env.AUDIT_HMAC_KEY!).toString('base64'))
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const db = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    // the sync of the renames, after the one that put the marker on disk before them
    let syncs = 0
    fsState.failSync = path => path === site && ++syncs === 2
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: db, uploads: join(site, 'uploads') })
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual([`the restore failed: EIO: i/o error, fsync '${site}'`, 'what it replaced was put back'])
    expect(at({ op: 'rename', path: `${db}.restoring`, to: db })).toBeGreaterThan(-1)
    expect(readdirSync(site).sort()).toEqual(['audit.key', 'portal.db', 'uploads'])
    expect(hasMarker(db)).toBe(true)
    expect(readFileSync(join(site, 'audit.key'), 'utf8')).toBe('the-key-it-replaces')
  })
})
