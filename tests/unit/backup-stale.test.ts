/**
 * The operator's story when a backup did not finish or should not be trusted: a backup killed
 * mid-copy leaves a hidden `.partial-*` copy of the database and uploads, which the next backup
 * removes once it is a day old (never one another process is still writing); and a backup marked
 * suspect does not count as a fresh one for /api/health, so monitoring still alerts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { listBackups, newestBackupAge, newestBackupTime, removeStalePartials, takeBackup } from '../../server/services/backup'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'

const HOUR = 3_600_000
let root: string
let backups: string
let conn: Connection

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portal-backup-stale-'))
  backups = join(root, 'backups')
  mkdirSync(join(root, 'uploads'))
  conn = openDatabase(`file:${join(root, 'portal.db')}`)
  applyMigrations(conn, 'db/migrations')
})

afterEach(() => {
  conn.sqlite.close()
  rmSync(root, { recursive: true, force: true })
})

/** What a backup killed while copying leaves: the database and some uploads under a dot, last written `hoursAgo`. */
function killedBackup(name: string, hoursAgo: number, uploadsHoursAgo = hoursAgo): string {
  const partial = join(backups, `.partial-${name}`)
  mkdirSync(join(partial, 'uploads'), { recursive: true })
  writeFileSync(join(partial, 'portal.db'), 'a whole copy of the database')
  writeFileSync(join(partial, 'uploads', 'a'.repeat(48)), 'someone\'s document')
  const at = (hours: number) => new Date(Date.now() - hours * HOUR)
  utimesSync(join(partial, 'uploads'), at(uploadsHoursAgo), at(uploadsHoursAgo))
  utimesSync(partial, at(hoursAgo), at(hoursAgo))
  return partial
}

/** A finished backup folder named for `time`, marked suspect or not. */
function backupAt(time: number, suspect: boolean): void {
  const name = new Date(time).toISOString().replace(/[:.]/g, '-')
  mkdirSync(join(backups, name), { recursive: true })
  const manifest = { name, takenAt: new Date(time).toISOString(), database: 'portal.db', counts: {}, uploads: [] }
  writeFileSync(join(backups, name, 'manifest.json'), JSON.stringify(manifest))
  if (suspect) writeFileSync(join(backups, name, 'SUSPECT.txt'), 'holds 0 cases against 6 in an older one\n')
}

describe('a backup killed mid-copy', () => {
  it('leaves a hidden copy that the next backup removes once a day old, keeping one still being written', async () => {
    const killed = killedBackup('2026-11-20T02-00-00-000Z', 25)
    const running = killedBackup('2026-11-21T01-00-00-000Z', 1)
    // a slow copy: the folder made 30 hours ago, but an upload copied into it a minute ago
    const slow = killedBackup('2026-11-19T20-00-00-000Z', 30, 0.02)
    const manifest = await takeBackup(conn, { dir: backups, uploads: join(root, 'uploads') })
    expect(existsSync(killed)).toBe(false)
    expect(existsSync(running)).toBe(true)
    expect(existsSync(slow)).toBe(true)
    expect(listBackups(backups)).toEqual([manifest.name])
  })

  it('is removed when a day has passed since it was last written, and not before', () => {
    expect(removeStalePartials(join(root, 'nowhere'))).toEqual([])
    killedBackup('2026-11-20T02-00-00-000Z', 2)
    expect(removeStalePartials(backups, Date.now() + 21 * HOUR)).toEqual([])
    expect(removeStalePartials(backups, Date.now() + 23 * HOUR)).toEqual(['.partial-2026-11-20T02-00-00-000Z'])
    expect(removeStalePartials(backups)).toEqual([])
  })
})

describe('a backup marked suspect', () => {
  it('does not count as fresh for /api/health, so monitoring still alerts; the schedule counts it, not to take one more each hour', () => {
    const now = Date.now()
    backupAt(now - 30 * HOUR, false)
    backupAt(now - HOUR, true)
    expect(newestBackupAge(backups, now)).toBe(30 * 3600)
    expect(newestBackupTime(backups)).toBe(now - HOUR)
  })

  it('leaves /api/health no backup at all when every one is suspect', () => {
    backupAt(Date.now() - HOUR, true)
    expect(newestBackupAge(backups)).toBeNull()
  })
})
