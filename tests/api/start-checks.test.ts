/**
 * What stops the server at start, naming what to mend, instead of running with a part of its
 * protection silently off: a malformed numeric setting (read as NaN it switched a brute-force
 * limit, the daily tracking lock or the SMS delivery off), and a signed audit log whose key is
 * missing (a new key would break the chain for good), and a restore interrupted while it swapped
 * the database and its key (they may be of two different times).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { startServer, stopServer } from '../support/server'

describe('a malformed numeric setting', () => {
  it.each([
    ['LOGIN_LIMIT_PER_MINUTE', 'abc', /LOGIN_LIMIT_PER_MINUTE: "abc" is not a whole number of at least 1/],
    ['TRACK_FAILURES_PER_DAY', '5 a day', /TRACK_FAILURES_PER_DAY: "5 a day" is not a whole number of at least 1/],
    ['OUTBOX_INTERVAL_SECONDS', '5s', /OUTBOX_INTERVAL_SECONDS: "5s" is not a number of at least 0/],
  ])('%s=%s stops the server at start, naming it', async (name, value, message) => {
    await expect(startServer({ env: { [name]: value, BACKUP_INTERVAL_HOURS: '0' } })).rejects.toThrow(message)
  })
})

describe('a database whose audit log is signed, started without its key', () => {
  it('stops the server at start, saying which key to put back, and makes no new one', async () => {
    const first = await startServer({ env: { BACKUP_INTERVAL_HOURS: '0' } })
    await signedIn(first.url, 'citizen')
    await stopServer(first, { keepData: true })
    rmSync(join(first.dataDir, 'audit.key'))
    await expect(startServer({ dataDir: first.dataDir, env: { BACKUP_INTERVAL_HOURS: '0' } })).rejects.toThrow(/audit log of .* is signed, but its key is missing: set AUDIT_HMAC_KEY as the portal had it, or put back the audit.key/)
    expect(existsSync(join(first.dataDir, 'audit.key'))).toBe(false)
    rmSync(first.dataDir, { recursive: true, force: true })
  })
})

describe('a restore interrupted while it swapped the database and its audit key', () => {
  it('stops the server at start, saying how to finish or undo it, and makes no database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'))
    const db = join(dataDir, 'portal.db')
    writeFileSync(`${db}.restore-in-progress`, `${JSON.stringify({ startedAt: '2026-12-06T03:00:00.000Z', backup: '/srv/backups/2026-12-05T18-00-00-000Z', previous: `${db}.before-restore-2026-12-06T03-00-00-000Z` })}\n`)
    await expect(startServer({ dataDir, env: { BACKUP_INTERVAL_HOURS: '0' } })).rejects.toThrow(/a restore of \/srv\/backups\/2026-12-05T18-00-00-000Z was interrupted \(started 2026-12-06T03:00:00\.000Z\): run npm run restore again, which first puts back what it had replaced \(the database kept at .*portal\.db\.before-restore-2026-12-06T03-00-00-000Z\)/)
    expect(existsSync(db)).toBe(false)
    rmSync(dataDir, { recursive: true, force: true })
  })
})
