/**
 * The operator's story: backups are taken while the portal keeps writing, each is verified, a
 * damaged file is named, a restore brings back a database that passes the same checks, and only
 * the newest few are kept.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { listBackups, newestBackupAge, restoreBackup, takeBackup, verifyBackup } from '../../server/services/backup'
import { sha256 } from '../support/fixtures'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

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
    expect(manifest.counts.users).toBe(7)
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
})
