/**
 * The scheduled backup as the portal runs it: due when the newest backup is an interval old, not
 * an interval after the process started, so a portal restarted more often still takes one; an
 * interval too long for Node's timer does not fire every millisecond; malformed settings stop the
 * server at start. The plugin runs on fake timers, with takeBackup replaced by a stand-in that
 * writes an empty backup folder as a real one would be named.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { backupDue, backupSchedule, newestBackupTime } from '../../server/services/backup'

const HOUR = 3_600_000

const state = vi.hoisted(() => ({ calls: 0, fail: false, pending: null as null | Promise<void> }))

vi.mock('../../server/services/backup', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/services/backup')>()
  const { mkdirSync, writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  return {
    ...real,
    takeBackup: async () => {
      state.calls++
      if (state.pending) await state.pending
      if (state.fail) throw new Error('disk full')
      const name = new Date().toISOString().replace(/[:.]/g, '-')
      mkdirSync(join(real.backupDir(), name), { recursive: true })
      writeFileSync(join(real.backupDir(), name, 'manifest.json'), '{}')
      return { name, counts: { cases: 0 }, uploads: [] }
    },
  }
})

// Nitro's auto-imports, which the plugin uses as globals. Its path is not written out where tsc
// would follow it: outside Nuxt's own typecheck those globals have no types.
const PLUGIN = '../../server/plugins/backup'
let plugin: () => void
const logged: { event: string }[] = []
beforeAll(async () => {
  vi.stubGlobal('defineNitroPlugin', (p: unknown) => p)
  vi.stubGlobal('useConnection', () => ({}))
  vi.stubGlobal('logLine', (line: { event: string }) => logged.push(line))
  plugin = ((await import(PLUGIN)) as { default: () => void }).default
})

let dir: string
const saved = { ...process.env }
const backupNamed = (time: number) => {
  const path = join(dir, new Date(time).toISOString().replace(/[:.]/g, '-'))
  mkdirSync(path, { recursive: true })
  writeFileSync(join(path, 'manifest.json'), '{}')
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portal-backup-schedule-'))
  process.env.BACKUP_DIR = dir
  delete process.env.BACKUP_INTERVAL_HOURS
  delete process.env.BACKUP_KEEP
  Object.assign(state, { calls: 0, fail: false, pending: null })
  logged.length = 0
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(Date.parse('2026-12-10T02:00:00Z'))
})

afterEach(() => {
  vi.clearAllTimers()
  vi.useRealTimers()
  process.env = { ...saved }
  rmSync(dir, { recursive: true, force: true })
})

describe('when a scheduled backup is due', () => {
  it('is due with no backup, or when the newest is an interval old; not before, nor soon after a failure', () => {
    const now = Date.parse('2026-12-10T02:00:00Z')
    expect(backupDue({ newest: null, intervalMs: 24 * HOUR, now })).toBe(true)
    expect(backupDue({ newest: now - 24 * HOUR, intervalMs: 24 * HOUR, now })).toBe(true)
    expect(backupDue({ newest: now - 23 * HOUR, intervalMs: 24 * HOUR, now })).toBe(false)
    expect(backupDue({ newest: null, intervalMs: 24 * HOUR, now, lastFailure: now - 59 * 60_000 })).toBe(false)
    expect(backupDue({ newest: null, intervalMs: 24 * HOUR, now, lastFailure: now - HOUR })).toBe(true)
    // with a short interval, a failure waits that interval only
    expect(backupDue({ newest: null, intervalMs: 60_000, now, lastFailure: now - 60_000 })).toBe(true)
  })

  it('reads the interval, checking at most every 5 minutes, whatever the interval, and refuses what is not a number of hours', () => {
    expect(backupSchedule(undefined)).toEqual({ intervalMs: 24 * HOUR, checkMs: 300_000 })
    expect(backupSchedule('0')).toBeNull()
    expect(backupSchedule('0.001')).toEqual({ intervalMs: 3600, checkMs: 3600 })
    expect(backupSchedule('1000')).toEqual({ intervalMs: 1000 * HOUR, checkMs: 300_000 })
    for (const value of ['24h', '-1', 'Infinity', 'off']) {
      expect(() => backupSchedule(value)).toThrow(`BACKUP_INTERVAL_HOURS: "${value}" is not a number of hours (0 turns the scheduled backup off)`)
    }
  })

  it('takes the newest backup\'s time from its name, skipping folders not named as a backup is', () => {
    expect(newestBackupTime(dir)).toBeNull()
    backupNamed(Date.parse('2026-12-08T02:00:00.123Z'))
    mkdirSync(join(dir, 'zz-copied-by-hand'))
    writeFileSync(join(dir, 'zz-copied-by-hand', 'manifest.json'), '{}')
    expect(newestBackupTime(dir)).toBe(Date.parse('2026-12-08T02:00:00.123Z'))
  })
})

describe('the scheduled backup in the portal', () => {
  it('takes one minutes after a restart when the newest backup is older than the interval (a restart no longer resets the clock)', async () => {
    backupNamed(Date.now() - 25 * HOUR)
    plugin()
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(state.calls).toBe(1)
    expect(logged.map(l => l.event)).toEqual(['backup'])
    // the next one an interval after it, not before
    await vi.advanceTimersByTimeAsync(23 * HOUR)
    expect(state.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(HOUR + 5 * 60_000)
    expect(state.calls).toBe(2)
  })

  it('counts a backup taken meanwhile by npm run backup', async () => {
    backupNamed(Date.now() - 23 * HOUR)
    plugin()
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    backupNamed(Date.now())
    await vi.advanceTimersByTimeAsync(2 * HOUR)
    expect(state.calls).toBe(0)
  })

  it('does not run every millisecond when the interval is longer than Node\'s timer can hold (597 hours)', async () => {
    process.env.BACKUP_INTERVAL_HOURS = '600'
    plugin()
    await vi.advanceTimersByTimeAsync(1000)
    expect(state.calls).toBe(0)
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(state.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(599 * HOUR)
    expect(state.calls).toBe(1)
    await vi.advanceTimersByTimeAsync(HOUR + 5 * 60_000)
    expect(state.calls).toBe(2)
  })

  it('runs one at a time, and after a failure tries again an hour later, not at every check', async () => {
    let finish!: () => void
    state.pending = new Promise<void>((resolve) => { finish = resolve })
    plugin()
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(state.calls).toBe(1)
    state.fail = true
    finish()
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(logged.map(l => l.event)).toEqual(['backup.failed'])
    state.pending = null
    await vi.advanceTimersByTimeAsync(50 * 60_000)
    expect(state.calls).toBe(1)
    state.fail = false
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(state.calls).toBe(2)
    expect(logged.map(l => l.event)).toEqual(['backup.failed', 'backup'])
  })

  it('logs a BACKUP_DIR it cannot read as a failed backup, never throwing out of its timer (that would stop the portal)', async () => {
    const file = join(dir, 'not-a-folder')
    writeFileSync(file, '')
    process.env.BACKUP_DIR = file
    plugin()
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(logged).toEqual([expect.objectContaining({ event: 'backup.failed', message: expect.stringContaining('ENOTDIR') })])
    expect(state.calls).toBe(0)
  })

  it('stops the server at start on a malformed BACKUP_INTERVAL_HOURS or BACKUP_KEEP, naming it', () => {
    process.env.BACKUP_INTERVAL_HOURS = '24h'
    expect(() => plugin()).toThrow('BACKUP_INTERVAL_HOURS: "24h" is not a number of hours')
    process.env.BACKUP_INTERVAL_HOURS = '24'
    process.env.BACKUP_KEEP = '0'
    expect(() => plugin()).toThrow('BACKUP_KEEP: "0" is not a whole number of at least 1')
    // off is off: BACKUP_KEEP is not read
    process.env.BACKUP_INTERVAL_HOURS = '0'
    expect(() => plugin()).not.toThrow()
  })
})
