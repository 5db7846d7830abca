/**
 * A database a newer build migrated, run again by an older one (a rollback): its __drizzle_migrations
 * holds a migration this build does not have. The server refuses to start on it and
 * `npm run db:migrate` refuses it, naming the migration, instead of calling it up to date.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { applyMigrations, openDatabase, unknownMigrations } from '../../db/client'
import { closeConnection, useConnection } from '../../server/utils/db'

// the console command starts tsx; two shared cores
vi.setConfig({ testTimeout: 60_000 })

const journal = JSON.parse(readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: { when: number }[] }
const lastWhen = journal.entries.at(-1)!.when
/** A migration of a build newer than this one, as drizzle records it: its journal time and its SQL's SHA-256. */
const newer = { createdAt: lastWhen + 86_400_000, hash: '3f2a9c0d1b7e'.padEnd(64, '0') }

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'migrations-ahead-')) })
afterEach(() => {
  closeConnection()
  rmSync(root, { recursive: true, force: true })
})

function migrated(url = 'file::memory:'): Connection {
  const conn = openDatabase(url)
  applyMigrations(conn, 'db/migrations')
  return conn
}
function recordNewerMigration(conn: Connection): void {
  conn.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(newer.hash, newer.createdAt)
}
const refusal = new RegExp(`has 1 migration\\(s\\) this build does not have: created_at ${newer.createdAt} = ${new Date(newer.createdAt).toISOString().replace(/\./g, '\\.')} \\(hash 3f2a9c0d1b7e\\)\\. A newer build of the portal migrated it`)

describe('a database migrated by a newer build', () => {
  it('is refused by applyMigrations, naming the migration this build does not have, and left as it was', () => {
    const conn = migrated()
    recordNewerMigration(conn)
    expect(unknownMigrations(conn, 'db/migrations')).toEqual([newer])
    const rows = () => conn.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()
    const before = rows()
    expect(() => applyMigrations(conn, 'db/migrations')).toThrow(refusal)
    expect(rows()).toBe(before)
  })

  it('keeps the server from starting on it, every time it is asked', () => {
    const file = join(root, 'portal.db')
    const conn = migrated(`file:${file}`)
    recordNewerMigration(conn)
    conn.sqlite.close()
    vi.stubEnv('DATABASE_URL', `file:${file}`)
    try {
      expect(() => useConnection()).toThrow(refusal)
      // no half-opened connection kept for the next request
      expect(() => useConnection()).toThrow(refusal)
    }
    finally {
      vi.unstubAllEnvs()
    }
  })

  it('is refused by npm run db:migrate (exit 1), not called up to date', () => {
    const file = join(root, 'portal.db')
    const conn = migrated(`file:${file}`)
    recordNewerMigration(conn)
    conn.sqlite.close()
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { env: { ...process.env, DATABASE_URL: `file:${file}` }, encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stdout).not.toContain('up to date')
    expect(r.stderr).toMatch(refusal)
    expect(r.stderr).toContain(`db:migrate failed: ${file} has 1 migration(s)`)
  })
})

describe('a database this build migrated', () => {
  it('is accepted, migrated again as a no-op', () => {
    const conn = migrated()
    expect(unknownMigrations(conn, 'db/migrations')).toEqual([])
    expect(() => applyMigrations(conn, 'db/migrations')).not.toThrow()
  })

  it('is accepted when a migration it had was edited since (its first hash, as 0015 before fd0aa84)', () => {
    const conn = migrated()
    const first = journal.entries[15]!.when
    conn.sqlite.prepare('UPDATE __drizzle_migrations SET hash = ? WHERE created_at = ?').run('0'.repeat(64), first)
    expect(unknownMigrations(conn, 'db/migrations')).toEqual([])
    expect(() => applyMigrations(conn, 'db/migrations')).not.toThrow()
  })

  it('is accepted when it is behind, and the missing migrations applied', () => {
    // migrated by the build before this one: the same folder without its last migration
    const older = join(root, 'older')
    cpSync('db/migrations', older, { recursive: true })
    const olderJournal = { ...journal, entries: journal.entries.slice(0, -1) }
    writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify(olderJournal))
    const conn = openDatabase('file::memory:')
    applyMigrations(conn, older)
    const last = () => conn.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations WHERE created_at = ?').pluck().get(lastWhen)
    expect(last()).toBe(0)
    expect(unknownMigrations(conn, 'db/migrations')).toEqual([])
    applyMigrations(conn, 'db/migrations')
    expect(last()).toBe(1)
  })
})
