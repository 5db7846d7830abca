/**
 * Files a crash left behind in UPLOAD_DIR: renamed into place before their row committed, or
 * still there after their row was deleted. Told as what the sweep finds on disk.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { openDatabase } from '../../db/client'
import { ORPHAN_SANITY_MIN, removeOrphanedUploads } from '../../server/services/upload-orphans'
import { freshDatabase, userIdOf } from '../support/db'

/** Called before each stat the sweep makes: a row committing meanwhile. */
let beforeStat: (() => void) | null = null
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>()
  const stat = (async (...args: Parameters<typeof fs.stat>) => {
    beforeStat?.()
    return fs.stat(...args)
  }) as typeof fs.stat
  return { ...fs, default: { ...fs, stat }, stat }
})

let conn: Connection
let dir: string
const HOUR = 3_600_000
const later = () => Date.now() + HOUR

/** A file as the upload endpoint leaves it, with its row unless `row` is false (a crash before the commit). */
function stored({ row = true } = {}): string {
  const storedName = randomBytes(24).toString('hex')
  writeFileSync(join(dir, storedName), 'an ID card scan')
  if (row) insertRow(storedName)
  return storedName
}
function insertRow(storedName: string, into = conn) {
  into.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, 'id-card.png', 15, 'image/png', ?, ?)`)
    .run(randomBytes(16).toString('base64url'), userIdOf(into, 'citizen'), 'a'.repeat(64), storedName)
}
const audited = () => (conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'upload.orphans.removed'`).all() as { detail: string }[])
  .map(r => JSON.parse(r.detail) as unknown)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'upload-orphans-'))
  conn = freshDatabase()
  beforeStat = null
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the hourly sweep of UPLOAD_DIR', () => {
  it('removes files no row names once they are old enough, and nothing else, audited as one count', async () => {
    const kept = [stored(), stored()]
    const crashedBeforeCommit = stored({ row: false })
    // a row deleted (closing an account) whose file a crash kept from being unlinked
    const crashedAfterDelete = stored()
    conn.sqlite.prepare('DELETE FROM uploads WHERE stored_name = ?').run(crashedAfterDelete)
    mkdirSync(join(dir, 'tmp'))
    writeFileSync(join(dir, 'tmp', 'abc.part'), 'an upload being received')
    writeFileSync(join(dir, 'README.txt'), 'not a name the portal gives')

    // just written: it may be an upload whose row is about to commit
    expect(await removeOrphanedUploads(conn, { dir })).toEqual({ removed: 0 })
    expect(existsSync(join(dir, crashedBeforeCommit))).toBe(true)
    expect(audited()).toEqual([])

    expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 2 })
    expect(readdirSync(dir).sort()).toEqual([...kept, 'README.txt', 'tmp'].sort())
    expect(readdirSync(join(dir, 'tmp'))).toEqual(['abc.part'])
    expect(audited()).toEqual([{ count: 2 }])

    // nothing left to do: no second row
    expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 0 })
    expect(audited()).toHaveLength(1)
  })

  it('goes in steps and still writes one audit row for the run', async () => {
    for (let i = 0; i < 7; i++) stored()
    const orphans = Array.from({ length: 5 }, () => stored({ row: false }))
    expect(await removeOrphanedUploads(conn, { dir, now: later(), step: 2 })).toEqual({ removed: 5 })
    expect(orphans.filter(n => existsSync(join(dir, n)))).toEqual([])
    expect(readdirSync(dir)).toHaveLength(7)
    expect(audited()).toEqual([{ count: 5 }])
  })

  it('keeps a file whose row committed after the names were read', async () => {
    stored()
    const late = stored({ row: false })
    beforeStat = () => {
      beforeStat = null
      insertRow(late)
    }
    expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 0 })
    expect(existsSync(join(dir, late))).toBe(true)
  })

  it('removes nothing when most files are unnamed, as with a DATABASE_URL that is not the uploads\' database', async () => {
    const fresh = freshDatabase()
    for (let i = 0; i <= ORPHAN_SANITY_MIN; i++) stored()
    expect(await removeOrphanedUploads(fresh, { dir, now: later() })).toEqual({ refused: true, unnamed: ORPHAN_SANITY_MIN + 1, named: 0, restored: false })
    expect(readdirSync(dir)).toHaveLength(ORPHAN_SANITY_MIN + 1)
    expect((fresh.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'upload.orphans.removed'`).get() as { n: number }).n).toBe(0)
  })

  it('removes nothing at all when no row names any file, however few the files', async () => {
    const fresh = freshDatabase()
    for (let i = 0; i < 3; i++) stored({ row: false })
    expect(await removeOrphanedUploads(fresh, { dir, now: later() })).toEqual({ refused: true, unnamed: 3, named: 0, restored: false })
    expect(readdirSync(dir)).toHaveLength(3)
  })

  it('removes nothing on a small site when a wrong DATABASE_URL names one upload of its own', async () => {
    // the live site's files, fewer than ORPHAN_SANITY_MIN
    const real = Array.from({ length: 20 }, () => stored())
    // a mistyped DATABASE_URL: a new database, one registration, one upload into the same UPLOAD_DIR
    const wrong = freshDatabase()
    insertRow(stored({ row: false }), wrong)
    expect(await removeOrphanedUploads(wrong, { dir, now: later() })).toEqual({ refused: true, unnamed: 20, named: 1, restored: false })
    expect(real.filter(n => !existsSync(join(dir, n)))).toEqual([])
    expect((wrong.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'upload.orphans.removed'`).get() as { n: number }).n).toBe(0)
    // the live database names them all: the sweep goes on there
    expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 1 })
  })

  it('removes the few files crashes left on a small site', async () => {
    for (let i = 0; i < 3; i++) stored()
    const leftByCrashes = [stored({ row: false }), stored({ row: false })]
    expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 2 })
    expect(leftByCrashes.filter(n => existsSync(join(dir, n)))).toEqual([])
    expect(readdirSync(dir)).toHaveLength(3)
  })

  it('waits while a restore can be undone: the files only the replaced database names stay until it is removed', async () => {
    const dbDir = mkdtempSync(join(tmpdir(), 'upload-orphans-db-'))
    try {
      const path = join(dbDir, 'portal.db')
      stored()
      writeFileSync(path, conn.sqlite.serialize())
      const live = openDatabase(`file:${path}`)
      const newerThanTheBackup = stored({ row: false })
      writeFileSync(join(dbDir, 'portal.db.before-restore-20261203T101500Z'), 'the database the restore replaced')
      expect(await removeOrphanedUploads(live, { dir, now: later() })).toMatchObject({ refused: true, unnamed: 1, restored: true })
      expect(existsSync(join(dir, newerThanTheBackup))).toBe(true)
      // the restore was right: whoever made it removes the kept database, and the sweep goes on
      rmSync(join(dbDir, 'portal.db.before-restore-20261203T101500Z'))
      expect(await removeOrphanedUploads(conn, { dir, now: later() })).toEqual({ removed: 1 })
      live.sqlite.close()
    }
    finally {
      rmSync(dbDir, { recursive: true, force: true })
    }
  })

  it('does nothing before the first upload made the folder', async () => {
    expect(await removeOrphanedUploads(conn, { dir: join(dir, 'not-yet'), now: later() })).toEqual({ removed: 0 })
  })
})
