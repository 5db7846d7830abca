import { timingSafeEqual } from 'node:crypto'
import { statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { H3Event } from 'h3'
import { newestBackupAge } from '../services/backup'
import { calendarEntered } from '../services/calendar-admin'
import { legalEntitiesFreshness } from '../services/legal-entities'
import { uploadDir } from '../services/disk'
import { outboxBacklog } from '../services/outbox-sender'
import { minFreeUploadBytes } from '../services/upload-limits'

/** A file-system error's code (EACCES, ENOTDIR…), which names no person: what the monitor is told. */
const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown'

/**
 * Free bytes where uploads are stored: the upload directory, or, before the first upload made it,
 * the nearest directory above it, where it will be made (no directory is created by a health check).
 */
function freeBytesFor(dir: string): number {
  for (let at = dir; ; at = dirname(at)) {
    try {
      const fs = statfsSync(at)
      return fs.bavail * fs.bsize
    }
    catch (error) {
      if (codeOf(error) !== 'ENOENT' || dirname(at) === at) throw error
    }
  }
}

/** Upload space; an unreadable directory is reported as such, not as a database failure. */
function uploadSpace(): { freeBytes: number, low: boolean } | { freeBytes: null, low: null, error: string } {
  try {
    const freeBytes = freeBytesFor(uploadDir())
    // low where uploads are refused (UPLOAD_MIN_FREE_BYTES): the alert and the refusal agree
    return { freeBytes, low: freeBytes < minFreeUploadBytes() }
  }
  catch (error) {
    logLine({ level: 'error', event: 'health.uploads', message: codeOf(error) })
    return { freeBytes: null, low: null, error: codeOf(error) }
  }
}

function backupAge(): { newestAgeSeconds: number | null } | { newestAgeSeconds: null, error: string } {
  try {
    return { newestAgeSeconds: newestBackupAge() }
  }
  catch (error) {
    logLine({ level: 'error', event: 'health.backup', message: codeOf(error) })
    return { newestAgeSeconds: null, error: codeOf(error) }
  }
}

/** The loopback addresses, as TRUST_PROXY=1 names a proxy on this machine. */
const THIS_MACHINE = trustedProxies('1')

/**
 * Whether the caller is told the details: a monitor on this machine (a loopback address, as
 * clientIp resolves it behind a trusted proxy), or one elsewhere that sends `Authorization: Bearer`
 * with HEALTH_TOKEN. Free disk space, the backup's age and the backlog help whoever plans an
 * attack on the service as much as its operators; anyone else learns only that the database answers.
 */
function mayReadDetails(event: H3Event): boolean {
  const token = process.env.HEALTH_TOKEN
  if (token) {
    const given = Buffer.from(getRequestHeader(event, 'authorization') ?? '')
    const expected = Buffer.from(`Bearer ${token}`)
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true
  }
  return isTrustedPeer(clientIp(event), THIS_MACHINE)
}

/**
 * For monitoring: 200 `{ ok: true, database: 'ok', … }` when the database answers, 503 when it
 * does not. To a monitor that may read them (mayReadDetails), disk space, backup age, the outbox
 * backlog, whether next year's holidays are entered and when the legal-entity data was last loaded, for alerting, without personal data. A
 * directory that cannot be read says so in its own part (`error`: the file system's code), with
 * the database still 'ok': the monitor is told what is wrong, not that the database is down.
 */
export default defineApiHandler('public', (event) => {
  let database: { backlog: number, nextYear: number, nextYearEntered: boolean, legalEntities: ReturnType<typeof legalEntitiesFreshness> }
  try {
    const conn = useConnection()
    // deadlines reach into next year weeks ahead: its holidays must be entered before then
    const nextYear = Number(todayInShanghai().slice(0, 4)) + 1
    database = { backlog: outboxBacklog(conn), nextYear, nextYearEntered: calendarEntered(conn, nextYear), legalEntities: legalEntitiesFreshness(conn) }
  }
  catch (error) {
    logLine({ level: 'error', event: 'health.failed', message: (error as Error).message })
    setResponseStatus(event, 503)
    return { ok: false, database: 'unavailable' }
  }
  if (!mayReadDetails(event)) return { ok: true, database: 'ok' }
  return {
    ok: true,
    database: 'ok',
    uploads: uploadSpace(),
    backup: backupAge(),
    outbox: { backlog: database.backlog },
    calendar: { nextYear: database.nextYear, nextYearEntered: database.nextYearEntered },
    legalEntities: database.legalEntities,
  }
})
