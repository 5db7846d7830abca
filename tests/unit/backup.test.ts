/**
 * The operator's story: backups are taken while the portal keeps writing, each is verified, a
 * damaged file is named, a restore brings back a database that passes the same checks, and only
 * the newest few are kept.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { writeAudit } from '../../server/services/audit'
import { BackupNotPrunedError, defaultRestoreTarget, listBackups, newestBackupAge, refuseDuringRestore, restoreBackup, suspectReason, takeBackup, verifyBackup } from '../../server/services/backup'
import { closuresSince } from '../../server/services/restore-changes'
import { openPortalDatabase } from '../../scripts/portal-database'
import { forgetUpload } from '../../server/services/uploads'
import { sha256 } from '../support/fixtures'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

/** What each backup held at the moment it became visible (renamed from its .partial- directory). */
const heldWhenVisible = vi.hoisted(() => new Map<string, string[]>())
/** Set: writing a suspect mark fails as on a full disk. */
const markFails = vi.hoisted(() => ({ now: false }))
/** Set: called before every rename, with its names; it may throw, as a failing disk would. */
const beforeRename = vi.hoisted(() => ({ now: null as ((from: string, to: string) => void) | null }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const renameSync: typeof fs.renameSync = (from, to) => {
    beforeRename.now?.(String(from), String(to))
    if (String(from).split('/').pop()!.startsWith('.partial-')) heldWhenVisible.set(String(to).split('/').pop()!, fs.readdirSync(from).sort())
    fs.renameSync(from, to)
  }
  const writeFileSync = ((file, data, options) => {
    if (markFails.now && String(file).endsWith('SUSPECT.txt')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    fs.writeFileSync(file, data, options)
  }) as typeof fs.writeFileSync
  return { ...fs, renameSync, writeFileSync, default: { ...fs, renameSync, writeFileSync } }
})

let root: string
let conn: Connection
let uploads: string
let backups: string

/** Writes a file and then its row, in that order, as the upload service does. */
function addUpload(c: Connection, ownerId: number, i: number): void {
  const bytes = Buffer.concat([Buffer.from(`%PDF-1.4 upload ${i}\n`), randomBytes(2048)])
  const storedName = randomBytes(24).toString('hex')
  writeFileSync(join(uploads, storedName), bytes)
  c.sqlite.prepare('INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(randomBytes(16).toString('base64url'), ownerId, `file-${i}.pdf`, bytes.length, 'application/pdf', sha256(bytes), storedName)
}

/** A submitted case, written directly: the pruning rule only counts them. */
function addCase(c: Connection, i: number): void {
  const s = c.sqlite.prepare('SELECT code, department_code AS dept FROM services LIMIT 1').get() as { code: string, dept: string }
  c.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_name, applicant_id_number, channel, status,
      process_type, answers, received_date, submitted_at, deadline)
    VALUES (?, ?, ?, '张三', '110101199003071234', 'online', 'submitted', 'promised', '{}', '2026-03-02', '2026-03-02T01:00:00.000Z', '2026-03-16')`)
    .run(`SZ20260302${String(i).padStart(5, '0')}`, s.code, s.dept)
}

/** The test key as an audit.key file holds it (base64), for backups that carry their own key. */
const keyFile = () => Buffer.from(process.env.AUDIT_HMAC_KEY!).toString('base64')

/** Runs `fn` as on a site where AUDIT_HMAC_KEY is not set: only an audit.key file can give the key. */
async function withoutKeyVariable<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.AUDIT_HMAC_KEY
  delete process.env.AUDIT_HMAC_KEY
  try { return await fn() }
  finally { process.env.AUDIT_HMAC_KEY = saved }
}

/** A database that is not the backup's, in `dir`, to be replaced by a restore (DELETE journal: one file). */
function existingDatabase(dir: string): string {
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'portal.db'))
  db.exec('CREATE TABLE replaced_marker (x)')
  db.close()
  return join(dir, 'portal.db')
}
const hasMarker = (file: string) => {
  const db = new Database(file, { readonly: true })
  try { return !!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'replaced_marker'`).get() }
  finally { db.close() }
}

const citizenId = (c: Connection) => (c.sqlite.prepare('SELECT id FROM users WHERE username = ?').get('citizen') as { id: number }).id
const count = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portal-backup-'))
  uploads = join(root, 'uploads')
  backups = join(root, 'backups')
  mkdirSync(uploads, { recursive: true })
  conn = openDatabase(`file:${join(root, 'portal.db')}`)
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  seedDemoAccounts(conn)
  for (let i = 0; i < 20; i++) addUpload(conn, citizenId(conn), i)
  for (let i = 0; i < 3; i++) writeAudit(conn, { actorId: citizenId(conn), actorRole: 'citizen', action: 'auth.login', ip: '192.0.2.1' })
})

afterEach(() => {
  conn.sqlite.close()
  rmSync(root, { recursive: true, force: true })
})

describe('backups', () => {
  it('takes a consistent, verified backup while another connection keeps writing uploads', async () => {
    const writer = openDatabase(`file:${join(root, 'portal.db')}`)
    const owner = citizenId(writer)
    let written = 0
    let writing = true
    const loop = (async () => {
      while (writing) {
        addUpload(writer, owner, 1000 + written++)
        await new Promise(r => setImmediate(r))
      }
    })()
    const manifest = await takeBackup(conn, { dir: backups, uploads, keep: 5 })
    writing = false
    await loop
    writer.sqlite.close()

    expect(written).toBeGreaterThan(0)
    expect(listBackups(backups)).toEqual([manifest.name])
    const path = join(backups, manifest.name)
    expect(await verifyBackup(path)).toEqual({ ok: true, problems: [] })
    // the snapshot is one moment: its upload rows and the files copied are the same set
    expect(manifest.counts.uploads).toBe(manifest.uploads.length)
    expect(manifest.counts.uploads).toBeGreaterThanOrEqual(20)
    expect(readdirSync(join(path, 'uploads')).sort()).toEqual(manifest.uploads.map(u => u.storedName).sort())
    expect(manifest.counts.users).toBe(8)
    // nothing half-done is left beside the finished backup, and the database is one file
    expect(readdirSync(backups).filter(n => n.startsWith('.partial'))).toEqual([])
    expect(readdirSync(path).sort()).toEqual(['manifest.json', 'portal.db', 'uploads'])
  })

  it('names an upload whose copy in the backup was damaged, and refuses to restore from it', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const path = join(backups, manifest.name)
    const victim = manifest.uploads[3]!.storedName
    writeFileSync(join(path, 'uploads', victim), Buffer.from('%PDF-1.4 something else'))
    const result = await verifyBackup(path)
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual([`upload ${victim} does not match its SHA-256`])

    const target = join(root, 'restored')
    const restore = await restoreBackup(path, { databasePath: join(target, 'portal.db'), uploads: join(target, 'uploads') })
    expect(restore.ok).toBe(false)
    expect(existsSync(join(target, 'portal.db'))).toBe(false)
  })

  it('refuses to take a backup of a live upload that no longer matches its checksum, leaving nothing behind', async () => {
    const row = conn.sqlite.prepare('SELECT stored_name AS storedName FROM uploads LIMIT 1').get() as { storedName: string }
    writeFileSync(join(uploads, row.storedName), Buffer.from('%PDF-1.4 bit rot'))
    await expect(takeBackup(conn, { dir: backups, uploads })).rejects.toThrow(`upload ${row.storedName} does not match its SHA-256`)
    expect(listBackups(backups)).toEqual([])
    expect(readdirSync(backups)).toEqual([])
  })

  it('leaves out an upload deleted while the backup runs (a person removing an unused file, the hourly cleanup), and still succeeds', async () => {
    const gone = conn.sqlite.prepare('SELECT id, stored_name AS storedName FROM uploads LIMIT 1').get() as { id: string, storedName: string }
    const total = count(conn.sqlite, 'uploads')
    // right after the snapshot, the live portal deletes the upload: its row, then its file
    const snapshot = conn.sqlite.backup.bind(conn.sqlite)
    conn.sqlite.backup = (async (...args: Parameters<typeof snapshot>) => {
      const done = await snapshot(...args)
      conn.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(gone.id)
      rmSync(join(uploads, gone.storedName))
      return done
    }) as typeof conn.sqlite.backup

    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const path = join(backups, manifest.name)
    expect(await verifyBackup(path)).toEqual({ ok: true, problems: [] })
    expect(manifest.uploads.map(u => u.storedName)).not.toContain(gone.storedName)
    expect(manifest.counts.uploads).toBe(total - 1)
    const copy = new Database(join(path, 'portal.db'), { readonly: true })
    expect(count(copy, 'uploads')).toBe(total - 1)
    copy.close()
  })

  it('fails, leaving nothing behind, when an upload the live database still names has lost its file', async () => {
    const row = conn.sqlite.prepare('SELECT stored_name AS storedName FROM uploads LIMIT 1').get() as { storedName: string }
    rmSync(join(uploads, row.storedName))
    await expect(takeBackup(conn, { dir: backups, uploads })).rejects.toThrow(`upload ${row.storedName} is missing from ${uploads}`)
    expect(readdirSync(backups)).toEqual([])
  })

  it('keeps the live database and a backup\'s copy readable by the portal\'s user alone (every ID number and password hash is in them)', async () => {
    const mode = (file: string) => statSync(file).mode & 0o777
    expect(mode(join(root, 'portal.db'))).toBe(0o600)
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    expect(mode(join(backups, manifest.name, 'portal.db'))).toBe(0o600)
    expect(mode(join(backups, manifest.name))).toBe(0o700)
  })

  it('leaves out an upload deleted while the backup runs that an e-licence remembered as its PDF copy', async () => {
    addCase(conn, 1)
    const copy = conn.sqlite.prepare('SELECT id, stored_name AS storedName FROM uploads LIMIT 1').get() as { id: string, storedName: string }
    conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_name, holder_id_number, number, issued_at, upload_id)
      SELECT 'R-COPY', case_no, service_code, ?, '张三', '110101199003071234', 'No. 1', '2026-03-02T02:00:00.000Z', ? FROM cases`).run(citizenId(conn), copy.id)
    // right after the snapshot, the live portal deletes the copy as uploads.ts does: the licence forgets it, then the row and file go
    const snapshot = conn.sqlite.backup.bind(conn.sqlite)
    conn.sqlite.backup = (async (...args: Parameters<typeof snapshot>) => {
      const done = await snapshot(...args)
      expect(forgetUpload(conn, copy.id)).toBe(true)
      rmSync(join(uploads, copy.storedName))
      return done
    }) as typeof conn.sqlite.backup

    const manifest = await takeBackup(conn, { dir: backups, uploads })
    expect(manifest.uploads.map(u => u.storedName)).not.toContain(copy.storedName)
    expect(await verifyBackup(join(backups, manifest.name))).toEqual({ ok: true, problems: [] })
    const backedUp = new Database(join(backups, manifest.name, 'portal.db'), { readonly: true })
    try {
      expect(backedUp.prepare(`SELECT upload_id AS uploadId FROM results WHERE code = 'R-COPY'`).get()).toEqual({ uploadId: null })
      expect(backedUp.pragma('foreign_key_check')).toEqual([])
    }
    finally { backedUp.close() }
  })

  it('notices a missing upload and a manifest that disagrees with the database', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const path = join(backups, manifest.name)
    rmSync(join(path, 'uploads', manifest.uploads[0]!.storedName))
    writeFileSync(join(path, 'manifest.json'), JSON.stringify({ ...manifest, counts: { ...manifest.counts, cases: 99 } }))
    const result = await verifyBackup(path)
    expect(result.problems).toContain(`upload ${manifest.uploads[0]!.storedName} is missing`)
    expect(result.problems).toContain('cases: 0 rows, manifest says 99')
  })

  it('lists a manifest that is not JSON, or that names files outside the backup, as a problem and restores nothing from it', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const path = join(backups, manifest.name)
    const target = join(root, 'restored')
    const restoreInto = () => restoreBackup(path, { databasePath: join(target, 'portal.db'), uploads: join(target, 'uploads') })

    writeFileSync(join(path, 'manifest.json'), '{"name": "cut short')
    const unreadable = await verifyBackup(path)
    expect(unreadable.ok).toBe(false)
    expect(unreadable.problems).toHaveLength(1)
    expect(unreadable.problems[0]).toMatch(/^manifest\.json cannot be read: /)
    expect((await restoreInto()).problems).toEqual(unreadable.problems)

    const outside = { ...manifest, uploads: [{ storedName: '../../portal.db', sha256: manifest.uploads[0]!.sha256 }] }
    writeFileSync(join(path, 'manifest.json'), JSON.stringify(outside))
    expect(await verifyBackup(path)).toEqual({ ok: false, problems: ['manifest.json is not a backup manifest: uploads.0.storedName: not a plain file name'] })
    writeFileSync(join(path, 'manifest.json'), JSON.stringify({ ...manifest, database: '/etc/passwd' }))
    expect((await restoreInto()).problems).toEqual(['manifest.json is not a backup manifest: database: not a plain file name'])
    expect(existsSync(target)).toBe(false)
  })

  it('restores into a new place, and the restored database passes the same checks as the live one', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const target = join(root, 'second-site')
    mkdirSync(target)
    const dbPath = join(target, 'portal.db')
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(target, 'uploads') })
    expect(result).toEqual({ ok: true, problems: [] })

    const restored = openDatabase(`file:${dbPath}`)
    try {
      // the portal starts on it: migrations have nothing left to do, and the data is all there
      applyMigrations(restored, 'db/migrations')
      expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(restored.sqlite.pragma('foreign_key_check')).toEqual([])
      for (const table of ['services', 'users', 'uploads', 'audit_log']) {
        expect(count(restored.sqlite, table), table).toBe(count(conn.sqlite, table))
      }
      const rows = restored.sqlite.prepare('SELECT stored_name AS storedName, sha256 FROM uploads').all() as { storedName: string, sha256: string }[]
      for (const r of rows) {
        const bytes = readFileSync(join(target, 'uploads', r.storedName))
        expect(sha256(bytes)).toBe(r.sha256)
      }
    }
    finally { restored.sqlite.close() }
  })

  it('carries the audit key with the data it signs, so the restored audit chain can be verified', async () => {
    writeFileSync(join(root, 'audit.key'), 'c2VjcmV0LWtleS1vZi10aGUtbGl2ZS1zaXRl', { mode: 0o600 })
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const target = join(root, 'elsewhere', 'db')
    expect((await restoreBackup(join(backups, manifest.name), { databasePath: join(target, 'portal.db'), uploads: join(root, 'elsewhere', 'uploads') })).ok).toBe(true)
    expect(readFileSync(join(target, 'audit.key'), 'utf8')).toBe('c2VjcmV0LWtleS1vZi10aGUtbGl2ZS1zaXRl')
  })

  it('keeps only the newest N backups and reports the age of the newest', async () => {
    const t0 = Date.parse('2026-11-20T02:00:00Z')
    for (let day = 0; day < 4; day++) {
      await takeBackup(conn, { dir: backups, uploads, keep: 2, now: new Date(t0 + day * 86_400_000) })
    }
    const kept = listBackups(backups)
    expect(kept).toEqual(['2026-11-22T02-00-00-000Z', '2026-11-23T02-00-00-000Z'])
    const age = newestBackupAge(backups, Date.now() + 60_000)
    expect(age).toBeGreaterThanOrEqual(59)
    expect(age).toBeLessThan(120)
    expect(newestBackupAge(join(root, 'nowhere'))).toBeNull()

    // a damaged newest manifest: the age is the older backup's, and asking does not fail
    writeFileSync(join(backups, kept[1]!, 'manifest.json'), 'not json')
    const olderAge = newestBackupAge(backups, Date.now() + 60_000)
    expect(olderAge).toBeGreaterThanOrEqual(age!)
    writeFileSync(join(backups, kept[0]!, 'manifest.json'), '{}')
    expect(newestBackupAge(backups)).toBeNull()
  })

  it('refuses a BACKUP_KEEP that is not a whole number of at least 1 before writing anything (0 pruned every backup, the new one too)', async () => {
    const first = await takeBackup(conn, { dir: backups, uploads })
    for (const keep of [0, -1, 1.5]) {
      await expect(takeBackup(conn, { dir: backups, uploads, keep })).rejects.toThrow(`BACKUP_KEEP: ${keep} is not a whole number of at least 1`)
    }
    const saved = process.env.BACKUP_KEEP
    try {
      for (const keep of ['0', '-2', '2.5', 'seven']) {
        process.env.BACKUP_KEEP = keep
        await expect(takeBackup(conn, { dir: backups, uploads })).rejects.toThrow(`BACKUP_KEEP: "${keep}" is not a whole number of at least 1`)
      }
    }
    finally {
      if (saved === undefined) delete process.env.BACKUP_KEEP
      else process.env.BACKUP_KEEP = saved
    }
    expect(readdirSync(backups)).toEqual([first.name])
  })

  it('never prunes the backup just written, even when a clock set back names it before the kept ones', async () => {
    const t0 = Date.parse('2026-11-20T02:00:00Z')
    await takeBackup(conn, { dir: backups, uploads, keep: 1, now: new Date(t0 + 86_400_000) })
    const back = await takeBackup(conn, { dir: backups, uploads, keep: 1, now: new Date(t0) })
    expect(listBackups(backups)).toEqual([back.name])
  })

  it('prunes nothing, and fails, when a new backup has far fewer cases than a kept one (a backup of the wrong database)', async () => {
    for (let i = 1; i <= 6; i++) addCase(conn, i)
    const t0 = Date.parse('2026-11-20T02:00:00Z')
    const at = (day: number) => new Date(t0 + day * 86_400_000)
    await takeBackup(conn, { dir: backups, uploads, keep: 1, now: at(0) })
    await takeBackup(conn, { dir: backups, uploads, keep: 1, now: at(1) })
    expect(listBackups(backups)).toEqual(['2026-11-21T02-00-00-000Z'])

    // what a mistyped DATABASE_URL used to produce: a new database, migrated, with no cases
    const wrong = openDatabase(`file:${join(root, 'typo', 'portal.db')}`)
    applyMigrations(wrong, 'db/migrations')
    try {
      const second = takeBackup(wrong, { dir: backups, uploads, keep: 1, now: at(2) })
      await expect(second).rejects.toThrow(BackupNotPrunedError)
      await expect(second).rejects.toThrow(/holds 0 cases against 6 in 2026-11-21T02-00-00-000Z, so no backup was pruned/)
      // the same mistake the next day still prunes nothing: the real backup is not "older" than an empty one
      await expect(takeBackup(wrong, { dir: backups, uploads, keep: 1, now: at(3) })).rejects.toThrow(BackupNotPrunedError)
    }
    finally { wrong.sqlite.close() }
    expect(listBackups(backups)).toEqual(['2026-11-21T02-00-00-000Z', '2026-11-22T02-00-00-000Z', '2026-11-23T02-00-00-000Z'])
    // the two are marked, and a restore without a name passes over them to the real one
    const why = 'holds 0 cases against 6 in 2026-11-21T02-00-00-000Z'
    expect(['2026-11-21T02-00-00-000Z', '2026-11-22T02-00-00-000Z', '2026-11-23T02-00-00-000Z'].map(n => suspectReason(join(backups, n)))).toEqual([null, why, why])
    // marked before they became visible: a crash at any moment leaves no visible suspect backup unmarked
    expect(['2026-11-21T02-00-00-000Z', '2026-11-22T02-00-00-000Z', '2026-11-23T02-00-00-000Z'].map(n => heldWhenVisible.get(n)?.includes('SUSPECT.txt'))).toEqual([false, true, true])
    // a mark the full disk refuses fails the backup, and leaves no hidden copy behind
    const again = openDatabase(`file:${join(root, 'typo', 'portal.db')}`)
    markFails.now = true
    try {
      await expect(takeBackup(again, { dir: backups, uploads, keep: 1, now: at(4) })).rejects.toThrow(/ENOSPC/)
    }
    finally {
      markFails.now = false
      again.sqlite.close()
    }
    expect(readdirSync(backups).sort()).toEqual(['2026-11-21T02-00-00-000Z', '2026-11-22T02-00-00-000Z', '2026-11-23T02-00-00-000Z'])
    expect(defaultRestoreTarget(backups)).toEqual({
      name: '2026-11-21T02-00-00-000Z',
      passedOver: [{ name: '2026-11-23T02-00-00-000Z', reason: why }, { name: '2026-11-22T02-00-00-000Z', reason: why }],
    })
  })

  it('keeps the database and audit key a restore replaces beside them, so the restore can be undone', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    expect(result.ok).toBe(true)
    expect(result.previous).toMatch(/[/\\]site[/\\]portal\.db\.before-restore-\d{4}-\d\d-\d\dT[\d-]+Z$/)
    expect(hasMarker(result.previous!)).toBe(true)
    expect(hasMarker(dbPath)).toBe(false)
    const keptKey = readdirSync(site).find(n => n.startsWith('audit.key.before-restore-'))!
    expect(readFileSync(join(site, keptKey), 'utf8')).toBe('the-key-it-replaces')
    expect(readFileSync(join(site, 'audit.key'), 'utf8')).toBe(keyFile())
  })

  it('never leaves the database\'s name empty while it swaps, and keeps the portal from starting meanwhile', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    const seen: { databaseThere: boolean, markerThere: boolean }[] = []
    beforeRename.now = (_from, to) => {
      if (to === dbPath || to === join(site, 'audit.key')) seen.push({ databaseThere: existsSync(dbPath), markerThere: existsSync(`${dbPath}.restore-in-progress`) })
    }
    try {
      expect((await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })).ok).toBe(true)
    }
    finally { beforeRename.now = null }
    // the key, then the database: each renamed over the old one, which is there until then
    expect(seen).toEqual([{ databaseThere: true, markerThere: true }, { databaseThere: true, markerThere: true }])
    expect(existsSync(`${dbPath}.restore-in-progress`)).toBe(false)
  })

  it('puts back the database and key it swapped when the last rename fails, and leaves no marker', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    beforeRename.now = (from, to) => {
      if (from === `${dbPath}.restoring` && to === dbPath) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' })
    }
    let result: Awaited<ReturnType<typeof restoreBackup>>
    try {
      result = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    }
    finally { beforeRename.now = null }
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual(['the restore failed: EIO: i/o error, rename', 'what it replaced was put back'])
    expect(hasMarker(dbPath)).toBe(true)
    expect(readFileSync(join(site, 'audit.key'), 'utf8')).toBe('the-key-it-replaces')
    expect(readdirSync(site).filter(n => n.includes('restor'))).toEqual([])
  })

  it('puts back what an interrupted restore replaced before restoring again, so the database kept is the one from before both', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    const target = { databasePath: dbPath, uploads: join(site, 'uploads') }
    const first = await restoreBackup(join(backups, manifest.name), target)
    expect(first.ok).toBe(true)
    // as if it had stopped after the swap, before its checks: the marker still names what it kept
    const keptKey = readdirSync(site).find(n => n.startsWith('audit.key.before-restore-'))!
    writeFileSync(`${dbPath}.restore-in-progress`, `${JSON.stringify({ startedAt: '2026-12-06T03:00:00.000Z', backup: join(backups, manifest.name), previous: first.previous, previousKey: join(site, keptKey) })}\n`)
    const again = await restoreBackup(join(backups, manifest.name), target)
    expect(again).toMatchObject({ ok: true, undidInterrupted: { startedAt: '2026-12-06T03:00:00.000Z' } })
    // the database kept now is the one from before the first restore, not the first restore's copy
    expect(hasMarker(again.previous!)).toBe(true)
    expect(hasMarker(dbPath)).toBe(false)
    const keys = readdirSync(site).filter(n => n.startsWith('audit.key.before-restore-'))
    expect(keys.map(n => readFileSync(join(site, n), 'utf8'))).toEqual(['the-key-it-replaces'])
    expect(existsSync(`${dbPath}.restore-in-progress`)).toBe(false)
  })

  it('keeps the console commands, as the portal, off a database a restore was swapping', () => {
    const dbPath = existingDatabase(join(root, 'site'))
    expect(() => refuseDuringRestore(dbPath)).not.toThrow()
    writeFileSync(`${dbPath}.restore-in-progress`, `${JSON.stringify({ startedAt: '2026-12-06T03:00:00.000Z', backup: '/srv/backups/b1', previous: `${dbPath}.before-restore-x` })}\n`)
    const saved = process.env.DATABASE_URL
    process.env.DATABASE_URL = `file:${dbPath}`
    try {
      expect(() => openPortalDatabase()).toThrow(/a restore of \/srv\/backups\/b1 was interrupted \(started 2026-12-06T03:00:00\.000Z\): run npm run restore again/)
    }
    finally {
      if (saved === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = saved
    }
    // a marker cut short still stops them
    writeFileSync(`${dbPath}.restore-in-progress`, '{"startedAt":')
    expect(() => refuseDuringRestore(dbPath)).toThrow(/a restore was interrupted: run npm run restore again/)
  })

  it('leaves the marker of an interrupted restore it did not write when it fails before swapping', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(`${dbPath}.restore-in-progress`, 'cut short by the crash')
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatch(/restore-in-progress is there but cannot be read .*put back by hand what it replaced/)
    expect(readFileSync(`${dbPath}.restore-in-progress`, 'utf8')).toBe('cut short by the crash')
    expect(hasMarker(dbPath)).toBe(true)
  })

  it('verifies the restored audit chain with the backup\'s own audit.key when AUDIT_HMAC_KEY is not set', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const dbPath = join(root, 'site', 'portal.db')
    const result = await withoutKeyVariable(() => restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(root, 'site', 'uploads') }))
    expect(result).toEqual({ ok: true, problems: [] })
  })

  it('refuses to restore, touching nothing, when no key for the backup\'s audit chain is available', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads }) // no audit.key: the live site had AUDIT_HMAC_KEY
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    const result = await withoutKeyVariable(() => restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') }))
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual([expect.stringMatching(/^no audit key: the backup has no audit\.key and AUDIT_HMAC_KEY is not set/)])
    expect(readdirSync(site)).toEqual(['portal.db'])
    expect(hasMarker(dbPath)).toBe(true)
  })

  it('refuses to restore a backup whose audit.key does not verify its chain', async () => {
    writeFileSync(join(root, 'audit.key'), Buffer.from('some other key').toString('base64'))
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const firstRow = (conn.sqlite.prepare('SELECT min(id) AS id FROM audit_log').get() as { id: number }).id
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    const result = await withoutKeyVariable(() => restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') }))
    expect(result.problems).toEqual([expect.stringMatching(new RegExp(`^audit chain broken at row ${firstRow} \\(0 rows before it hold\\)`))])
    expect(readdirSync(site)).toEqual(['portal.db'])
    expect(hasMarker(dbPath)).toBe(true)
  })

  it('touches neither the database nor the audit key when an upload cannot be copied: everything is copied before anything is replaced', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    writeFileSync(join(site, 'audit.key'), 'the-key-it-replaces')
    // an upload cannot be copied (a folder has its name)
    mkdirSync(join(site, 'uploads', manifest.uploads[5]!.storedName), { recursive: true })
    const result = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatch(/^the restore failed: .*EISDIR/)
    // not "what it replaced was put back": nothing was moved, so an interruption there leaves the database in place
    expect(result.problems.at(-1)).toBe('the restored files were removed')
    expect(readdirSync(site).sort()).toEqual(['audit.key', 'portal.db', 'uploads'])
    expect(hasMarker(dbPath)).toBe(true)
    expect(readFileSync(join(site, 'audit.key'), 'utf8')).toBe('the-key-it-replaces')
  })

  it('refuses to restore over a database the portal still has open, touching nothing, and restores once it is closed', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    const portal = openDatabase(`file:${dbPath}`) // WAL mode, as the running portal holds it
    portal.sqlite.exec('INSERT INTO replaced_marker VALUES (1)')
    const before = readdirSync(site).sort()
    expect(before).toEqual(['portal.db', 'portal.db-shm', 'portal.db-wal'])
    const refused = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    expect(refused.ok).toBe(false)
    expect(refused.problems).toEqual([`${dbPath} is in use (held open by another connection): stop the portal first (nothing was changed)`])
    expect(readdirSync(site).sort()).toEqual(before)
    // the portal's connection still writes to the database in place
    portal.sqlite.exec('INSERT INTO replaced_marker VALUES (2)')
    expect(count(portal.sqlite, 'replaced_marker')).toBe(2)
    portal.sqlite.close()

    const restored = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    expect(restored.ok).toBe(true)
    // its WAL was folded in first: the kept database is one whole file, with both rows
    expect(readdirSync(site).filter(n => n.includes('before-restore'))).toEqual([basename(restored.previous!)])
    const kept = new Database(restored.previous!, { readonly: true })
    try { expect(count(kept, 'replaced_marker')).toBe(2) }
    finally { kept.close() }
  })

  it('refuses a portal open but idle too, and leaves its database in WAL mode under it', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    // opened and read, nothing written: SQLite alone would let the restore switch it out of WAL mode
    const portal = openDatabase(`file:${dbPath}`)
    try {
      expect(count(portal.sqlite, 'replaced_marker')).toBe(0)
      const refused = await restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
      expect(refused.problems).toEqual([`${dbPath} is in use (held open by another connection): stop the portal first (nothing was changed)`])
      expect(portal.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(hasMarker(dbPath)).toBe(true)
    }
    finally { portal.sqlite.close() }
  })

  it('replaces nothing when the portal is started while the restore copies, and removes what it copied', async () => {
    writeFileSync(join(root, 'audit.key'), keyFile())
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const site = join(root, 'site')
    const dbPath = existingDatabase(site)
    const restoring = restoreBackup(join(backups, manifest.name), { databasePath: dbPath, uploads: join(site, 'uploads') })
    // the portal starts once the restore has checked and begun copying (its copy is staged beside the
    // database), and has read (its migrations) but not written yet
    while (!existsSync(`${dbPath}.restoring`)) await new Promise(resolve => setImmediate(resolve))
    const portal = openDatabase(`file:${dbPath}`)
    expect(count(portal.sqlite, 'replaced_marker')).toBe(0)
    try {
      const result = await restoring
      expect(result.ok).toBe(false)
      expect(result.problems).toEqual([
        `the restore failed: ${dbPath} is in use (held open by another connection): stop the portal first (it was opened while the restore copied)`,
        'the restored files were removed',
      ])
      // the portal's database is where it was, still in WAL mode, the one it writes to
      expect(portal.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      portal.sqlite.exec('INSERT INTO replaced_marker VALUES (1)')
      expect(count(portal.sqlite, 'replaced_marker')).toBe(1)
      expect(hasMarker(dbPath)).toBe(true)
      expect(readdirSync(site).filter(n => n.includes('restoring') || n.includes('before-restore'))).toEqual([])
    }
    finally { portal.sqlite.close() }
  })

  it('lists the accounts closed after the backup was taken, in the database a restore replaced', async () => {
    // a closure the backup already holds is not listed
    writeAudit(conn, { actorId: citizenId(conn), actorRole: 'citizen', action: 'account.close', subject: 'user:1' })
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    writeAudit(conn, { actorId: citizenId(conn), actorRole: 'citizen', action: 'auth.login', ip: '192.0.2.1' })
    writeAudit(conn, { actorId: citizenId(conn), actorRole: 'citizen', action: 'account.close', subject: `user:${citizenId(conn)}` })
    // the database restored is the backup's own copy
    const closed = closuresSince(join(backups, manifest.name), join(root, 'portal.db'), join(backups, manifest.name, 'portal.db'))
    expect(closed).toEqual([{ id: expect.any(Number), at: expect.any(String), subject: `user:${citizenId(conn)}`, inRestored: true }])
    expect(closed[0]!.id).toBeGreaterThan(manifest.auditHead!.id)
  })

  it('says an account registered and closed after the backup is not in the restored database, so that its id, the next registration\'s, is not closed', async () => {
    const manifest = await takeBackup(conn, { dir: backups, uploads })
    const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name) VALUES ('after-backup', 'x', 'citizen', '后来者')`).run()
    writeAudit(conn, { actorId: Number(lastInsertRowid), actorRole: 'citizen', action: 'account.close', subject: `user:${lastInsertRowid}` })
    const closed = closuresSince(join(backups, manifest.name), join(root, 'portal.db'), join(backups, manifest.name, 'portal.db'))
    expect(closed).toEqual([{ id: expect.any(Number), at: expect.any(String), subject: `user:${lastInsertRowid}`, inRestored: false }])
  })
})
