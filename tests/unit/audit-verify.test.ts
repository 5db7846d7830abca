/**
 * `npm run audit:verify` only reads: a mistyped path or a copy without its key is refused (exit 2)
 * instead of getting a new database or a new key, which made an intact chain look empty or broken.
 * A log whose newest rows were removed still holds as a chain: the verifier shows the cut against
 * a row recorded elsewhere, given by hand or kept in the backups' manifests.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import { readAuditKey, verifyAuditChain, writeAudit } from '../../server/services/audit'
import { takeBackup } from '../../server/services/backup'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'
const KEY = process.env.AUDIT_HMAC_KEY
// each run starts tsx; two shared cores
vi.setConfig({ testTimeout: 60_000 })

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'portal-audit-verify-')) })
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** A copy of a database with three audit rows, as a backup holds it: one file, no WAL, no key. */
function copyWithRows(): string {
  const file = join(root, 'copy.db')
  const conn = openDatabase(`file:${file}`)
  applyMigrations(conn, 'db/migrations')
  for (let i = 0; i < 3; i++) writeAudit(conn, { actorRole: 'citizen', action: 'auth.login', subject: `row ${i}` })
  conn.sqlite.pragma('journal_mode = DELETE')
  conn.sqlite.close()
  return file
}

function verify(database: string, withKeyVariable: boolean, args: string[] = [], more: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${database}`, ...more }
  if (!withKeyVariable) delete env.AUDIT_HMAC_KEY
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { env, encoding: 'utf8' })
}

/** What someone with the file can do despite the triggers: drop them and remove the newest row. */
function cutNewestRow(file: string): void {
  const db = new Database(file)
  db.exec('DROP TRIGGER audit_log_no_delete')
  db.exec('DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)')
  db.close()
}

/** The last line of an intact run: `<id>:<link>`, as an operator keeps it. */
function newestLine(stdout: string): string {
  const match = /newest row (\d+), link ([0-9a-f]{64})/.exec(stdout)
  expect(match, stdout).not.toBeNull()
  return `${match![1]}:${match![2]}`
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('npm run audit:verify', () => {
  it('refuses a DATABASE_URL that names no database, creating neither a database nor a key', () => {
    const typo = join(root, 'dta', 'portal.db')
    const r = verify(typo, false)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`audit verification failed: no database at ${typo}: check DATABASE_URL`)
    expect(readdirSync(root)).toEqual([])
  })

  it('refuses a copy without its key, and writes none beside it', () => {
    const file = copyWithRows()
    const r = verify(file, false)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`no audit key: set AUDIT_HMAC_KEY, or put the site's audit.key beside ${file}`)
    expect(readdirSync(root)).toEqual(['copy.db'])
  })

  it('verifies a copy with the audit.key beside it, changing nothing, and prints the newest link to keep elsewhere', () => {
    const file = copyWithRows()
    writeFileSync(join(root, 'audit.key'), Buffer.from(KEY).toString('base64'))
    const before = sha(file)
    const r = verify(file, false)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^audit chain intact: 3 rows checked\nnewest row \d+, link [0-9a-f]{64}\npublished versions intact: 0 checked\n$/)
    expect(sha(file)).toBe(before)
    expect(readdirSync(root).sort()).toEqual(['audit.key', 'copy.db'])
  })
})

describe('a log whose newest rows were removed', () => {
  it('still holds as a chain, but not against the newest row kept from an earlier run', () => {
    const file = copyWithRows()
    const kept = newestLine(verify(file, true).stdout)
    expect(verify(file, true, ['--anchor', kept]).stdout).toContain('the log still holds the 1 recorded row, with the same links')
    cutNewestRow(file)
    const plain = verify(file, true)
    expect(plain.status).toBe(0)
    expect(plain.stdout).toContain('audit chain intact: 2 rows checked')
    const anchored = verify(file, true, ['--anchor', kept])
    expect(anchored.status).toBe(1)
    expect(anchored.stderr).toContain(`audit log CUT BACK: row ${kept.split(':')[0]} (given) is no longer in the log`)
  })

  it('is shown against the row each backup recorded, with the backup named', async () => {
    const file = join(root, 'live.db')
    const conn = openDatabase(`file:${file}`)
    applyMigrations(conn, 'db/migrations')
    for (let i = 0; i < 3; i++) writeAudit(conn, { actorRole: 'clerk', action: 'case.accept', subject: `row ${i}` })
    const backups = join(root, 'backups')
    const manifest = await takeBackup(conn, { dir: backups, uploads: join(root, 'uploads'), now: new Date('2026-12-04T08:00:00Z') })
    expect(manifest.auditHead).toEqual({ id: expect.any(Number), link: expect.stringMatching(/^[0-9a-f]{64}$/) })
    conn.sqlite.close()
    expect(verify(file, true, ['--backups'], { BACKUP_DIR: backups }).status).toBe(0)
    cutNewestRow(file)
    const r = verify(file, true, ['--backups'], { BACKUP_DIR: backups })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`audit log CUT BACK: row ${manifest.auditHead!.id} (recorded by backup ${manifest.name} in ${backups})`)
  })

  it('is told apart from a log rewritten from the recorded row, and a malformed record is refused', () => {
    const file = copyWithRows()
    const [id] = newestLine(verify(file, true).stdout).split(':')
    const rewritten = verify(file, true, ['--anchor', `${id}:${'0'.repeat(64)}`])
    expect(rewritten.status).toBe(1)
    expect(rewritten.stderr).toContain(`audit log REWRITTEN: row ${id} (given) has another link than the one recorded`)
    const malformed = verify(file, true, ['--anchor', `${id}:xyz`])
    expect(malformed.status).toBe(2)
    expect(malformed.stderr).toContain('--anchor takes <row id>:<link>')
  })
})

describe('the audit key for a database the server does not own', () => {
  it('is read, never created, and a wrong one fails the chain at its first row', () => {
    const file = copyWithRows()
    const saved = process.env.AUDIT_HMAC_KEY
    delete process.env.AUDIT_HMAC_KEY
    try {
      expect(readAuditKey(file)).toBeNull()
      expect(existsSync(join(root, 'audit.key'))).toBe(false)
      writeFileSync(join(root, 'audit.key'), Buffer.from('not the key').toString('base64'))
      const db = new Database(file, { readonly: true })
      try {
        const first = (db.prepare('SELECT min(id) AS id FROM audit_log').get() as { id: number }).id
        expect(verifyAuditChain({ sqlite: db, path: file }, readAuditKey(file)!)).toEqual({ checked: 0, firstBadId: first })
        expect(verifyAuditChain({ sqlite: db, path: file }, Buffer.from(KEY))).toEqual({ checked: 3, firstBadId: null })
      }
      finally { db.close() }
    }
    finally { process.env.AUDIT_HMAC_KEY = saved }
  })
})

describe('writing an audit row', () => {
  it('outside any transaction, takes the write lock for reading the last link and appending the next', () => {
    const conn = openDatabase(`file:${join(root, 'lone.db')}`)
    applyMigrations(conn, 'db/migrations')
    const prepare = conn.sqlite.prepare.bind(conn.sqlite)
    const inTransaction: boolean[] = []
    vi.spyOn(conn.sqlite, 'prepare').mockImplementation((sql: string) => {
      inTransaction.push(conn.sqlite.inTransaction)
      return prepare(sql)
    })
    writeAudit(conn, { actorRole: 'manager', action: 'access.denied', subject: 'report' })
    writeAudit(conn, { actorRole: 'manager', action: 'access.denied', subject: 'report' })
    expect(inTransaction.length).toBeGreaterThanOrEqual(4)
    expect(inTransaction.every(Boolean)).toBe(true)
    vi.restoreAllMocks()
    expect(verifyAuditChain(conn)).toEqual({ checked: 2, firstBadId: null })
    conn.sqlite.close()
  })
})

describe('the time of an audit row', () => {
  it('never goes before the previous row\'s, even when the clock is set back', () => {
    const conn = openDatabase(`file:${join(root, 'clock.db')}`)
    applyMigrations(conn, 'db/migrations')
    vi.useFakeTimers({ now: new Date('2026-03-02T02:00:00Z'), toFake: ['Date'] })
    try {
      writeAudit(conn, { actorRole: 'clerk', action: 'case.accept', subject: 'a' })
      vi.setSystemTime(new Date('2026-03-02T01:59:00Z'))
      writeAudit(conn, { actorRole: 'clerk', action: 'case.accept', subject: 'b' })
    }
    finally { vi.useRealTimers() }
    expect(conn.sqlite.prepare('SELECT at FROM audit_log ORDER BY id').pluck().all()).toEqual(['2026-03-02T02:00:00.000Z', '2026-03-02T02:00:00.000Z'])
    expect(verifyAuditChain(conn)).toEqual({ checked: 2, firstBadId: null })
    conn.sqlite.close()
  })
})
