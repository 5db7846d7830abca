/**
 * When the portal takes its scheduled backup: BACKUP_INTERVAL_HOURS read into an interval and a
 * check period, and whether a backup is due (server/plugins/backup.ts runs the timer).
 */

/** How often the portal looks whether its scheduled backup is due: a missed one is taken within this. */
const BACKUP_CHECK_MS = 5 * 60_000

/**
 * BACKUP_INTERVAL_HOURS (default 24; 0 turns the scheduled backup off; fractions are allowed, for
 * tests) as the interval and how often to check it, or null when off. The timer only ever holds the
 * check (at most 5 minutes): Node runs a timer over 2^31-1 ms (597 hours) every millisecond.
 * A value that is not a number of hours is refused rather than read as "off".
 */
export function backupSchedule(value = process.env.BACKUP_INTERVAL_HOURS): { intervalMs: number, checkMs: number } | null {
  const hours = value === undefined || value.trim() === '' ? 24 : Number(value)
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`BACKUP_INTERVAL_HOURS: ${JSON.stringify(value)} is not a number of hours (0 turns the scheduled backup off)`)
  if (hours === 0) return null
  const intervalMs = hours * 3_600_000
  return { intervalMs, checkMs: Math.max(1000, Math.min(intervalMs, BACKUP_CHECK_MS)) }
}

/**
 * Whether the scheduled backup is due at `now`: there is no backup, or the newest is an interval
 * old. Counted from the newest backup, not from the process start, so a portal restarted more often
 * than the interval still takes one. After a failed attempt the next waits an hour (or the interval,
 * if shorter): a backup copies every upload, and a lasting fault must not repeat that every check.
 */
export function backupDue(p: { newest: number | null, intervalMs: number, now: number, lastFailure?: number | null }): boolean {
  if (p.lastFailure != null && p.now - p.lastFailure < Math.min(p.intervalMs, 3_600_000)) return false
  return p.newest === null || p.now - p.newest >= p.intervalMs
}
