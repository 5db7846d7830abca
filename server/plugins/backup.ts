import { backupDue, backupKeep, backupSchedule, newestBackupTime, takeBackup } from '../services/backup'

/**
 * The scheduled backup: one whenever the newest backup is BACKUP_INTERVAL_HOURS old (default 24;
 * 0 turns it off), looked at every few minutes rather than timed from the process start, so a
 * portal restarted more often than the interval still takes one (and one taken by `npm run backup`
 * counts). The recovery point is at most one interval; see the README. One backup runs at a time:
 * a slow one is never overtaken by the next. A malformed BACKUP_INTERVAL_HOURS or BACKUP_KEEP stops
 * the server at start, naming it, rather than turning the backups off or pruning them all.
 */
export default defineNitroPlugin(() => {
  const schedule = backupSchedule()
  if (!schedule) return
  backupKeep()
  let running = false
  let lastFailure: number | null = null
  const check = async () => {
    if (running) return
    running = true
    try {
      if (!backupDue({ newest: newestBackupTime(), intervalMs: schedule.intervalMs, now: Date.now(), lastFailure })) return
      const m = await takeBackup(useConnection())
      lastFailure = null
      logLine({ level: 'info', event: 'backup', name: m.name, cases: m.counts.cases, uploads: m.uploads.length })
    }
    catch (error) { // an unreadable BACKUP_DIR too: logged, never thrown out of the timer
      lastFailure = Date.now()
      logLine({ level: 'error', event: 'backup.failed', message: (error as Error).message })
    }
    finally { running = false }
  }
  setInterval(() => void check(), schedule.checkMs).unref()
})
