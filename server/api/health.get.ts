import { statfsSync, mkdirSync } from 'node:fs'
import { newestBackupAge, uploadDir } from '../services/backup'
import { calendarEntered } from '../services/calendar-admin'
import { outboxBacklog } from '../services/outbox-sender'
import { minFreeUploadBytes } from '../services/uploads'

/**
 * For monitoring: 200 `{ ok: true, … }` when the database answers, 503 when it does not. Disk
 * space, backup age, the outbox backlog and whether next year's holidays are entered are reported
 * for alerting, without personal data.
 */
export default defineApiHandler('public', (event) => {
  try {
    const conn = useConnection()
    const backlog = outboxBacklog(conn)
    mkdirSync(uploadDir(), { recursive: true })
    const fs = statfsSync(uploadDir())
    const freeBytes = fs.bavail * fs.bsize
    // deadlines reach into next year weeks ahead: its holidays must be entered before then
    const nextYear = Number(todayInShanghai().slice(0, 4)) + 1
    return {
      ok: true,
      database: 'ok',
      // low where uploads are refused (UPLOAD_MIN_FREE_BYTES): the alert and the refusal agree
      uploads: { freeBytes, low: freeBytes < minFreeUploadBytes() },
      backup: { newestAgeSeconds: newestBackupAge() },
      outbox: { backlog },
      calendar: { nextYear, nextYearEntered: calendarEntered(conn, nextYear) },
    }
  }
  catch (error) {
    logLine({ level: 'error', event: 'health.failed', message: (error as Error).message })
    setResponseStatus(event, 503)
    return { ok: false, database: 'unavailable' }
  }
})
