import { takeBackup } from '../services/backup'

/**
 * The scheduled backup: every BACKUP_INTERVAL_HOURS (default 24; 0 turns it off; fractions are
 * allowed, for tests). The recovery point is at most one interval; see the README. One backup
 * runs at a time: a slow one is never overtaken by the next.
 */
export default defineNitroPlugin(() => {
  const hours = Number(process.env.BACKUP_INTERVAL_HOURS ?? 24)
  if (!(hours > 0)) return
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    takeBackup(useConnection())
      .then(m => logLine({ level: 'info', event: 'backup', name: m.name, cases: m.counts.cases, uploads: m.uploads.length }))
      .catch((error: Error) => logLine({ level: 'error', event: 'backup.failed', message: error.message }))
      .finally(() => { running = false })
  }, hours * 3_600_000)
  timer.unref()
})
