import { takeBackup } from '../services/backup'

/**
 * The scheduled backup: every BACKUP_INTERVAL_HOURS (default 24; 0 turns it off). The recovery
 * point is at most one interval; see the README.
 */
export default defineNitroPlugin(() => {
  const hours = Number(process.env.BACKUP_INTERVAL_HOURS ?? 24)
  if (!(hours > 0)) return
  const timer = setInterval(() => {
    takeBackup(useConnection())
      .then(m => console.info(JSON.stringify({ level: 'info', event: 'backup', name: m.name, cases: m.counts.cases })))
      .catch((error: Error) => console.error(JSON.stringify({ level: 'error', event: 'backup.failed', message: error.message })))
  }, hours * 3_600_000)
  timer.unref()
})
