/**
 * Removing what people left behind: drafts untouched for DRAFT_RETENTION_DAYS (default 30), and
 * uploads older than that which no case and no remaining application uses. Files attached to a
 * case are evidence and are never removed here, nor are those a correction replaced: they are
 * still part of the case's record (case-corrections.ts).
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { writeAudit } from './audit'
import { HELD_BY_A_CASE } from './case-corrections'
import { forgetUpload, isAttachedToCase, removeStoredFile, uploadIdsInAnswers } from './uploads'

/** DRAFT_RETENTION_DAYS, a positive number of days (default 30). */
export function draftRetentionDays(): number {
  const n = Number(process.env.DRAFT_RETENTION_DAYS)
  return Number.isFinite(n) && n > 0 ? n : 30
}

export interface CleanupResult { drafts: number, uploads: number }

/** Upload ids named in any remaining application's answers, whatever its status. */
export function referencedUploads(conn: Connection, ownerIds: number[]): Set<string> {
  const used = new Set<string>()
  const stmt = conn.sqlite.prepare('SELECT answers FROM applications WHERE user_id = ?')
  for (const owner of ownerIds) {
    for (const { answers } of stmt.all(owner) as { answers: string }[]) {
      for (const id of uploadIdsInAnswers(answers)) used.add(id)
    }
  }
  return used
}

/**
 * Uploads (by rowid) looked at per step. Every run reads the whole table (an upload's age and
 * whether a case holds it are on two tables); at the benchmark's full size (184,000 uploads) that
 * was one transaction holding the JavaScript thread 0.2 s, and 1.1 s on a cold cache at start:
 * every request waited that long, once an hour. In steps of a thousand the pass costs the same
 * (0.19 s in all) but holds the thread a few milliseconds at a time, and requests run in between.
 */
export const UPLOADS_PER_STEP = 1000

interface Candidate { id: string, ownerId: number, storedName: string }

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * Deletes stale drafts, then unattached stale uploads step by step, each step in a short write
 * transaction of its own with its audit row, then their files. Returns how many of each went.
 * Safe to run while people work: only rows older than the cutoff qualify, and whether a case or a
 * remaining application uses an upload is checked again inside the step that deletes it.
 */
export async function removeStaleDrafts(conn: Connection, now = new Date(), days = draftRetentionDays(), step = UPLOADS_PER_STEP): Promise<CleanupResult> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString()
  const drafts = writeTransaction(conn, () => {
    const n = conn.sqlite.prepare(`DELETE FROM applications WHERE status = 'draft' AND updated_at < ?`).run(cutoff).changes
    if (n) writeAudit(conn, { actorRole: 'system', action: 'drafts.cleanup', detail: { drafts: n, uploads: 0, days } })
    return n
  })
  // Steps over ranges of rowid, so that only the candidates are read into JavaScript; an upload
  // added after the last rowid seen at the start is too young to go anyway.
  const { last } = conn.sqlite.prepare('SELECT coalesce(max(rowid), 0) AS last FROM uploads').get() as { last: number }
  const range = conn.sqlite.prepare(`SELECT id, owner_id AS ownerId, stored_name AS storedName FROM uploads u
    WHERE rowid > ? AND rowid <= ? AND created_at < ? AND NOT ${HELD_BY_A_CASE}`)
  let uploads = 0
  for (let from = 0; from < last; from += step) {
    const candidates = range.all(from, from + step, cutoff) as Candidate[]
    if (candidates.length) {
      const files = writeTransaction(conn, () => removeUnused(conn, candidates, days))
      for (const f of files) await removeStoredFile(f)
      uploads += files.length
    }
    await nextTurn()
  }
  return { drafts, uploads }
}

/** Deletes the candidates no case and no remaining application uses; the stored names of those that went. */
function removeUnused(conn: Connection, candidates: Candidate[], days: number): string[] {
  const used = referencedUploads(conn, [...new Set(candidates.map(c => c.ownerId))])
  const gone = candidates.filter(c => !used.has(c.id) && !isAttachedToCase(conn, c.id) && forgetUpload(conn, c.id))
  if (gone.length) writeAudit(conn, { actorRole: 'system', action: 'drafts.cleanup', detail: { drafts: 0, uploads: gone.length, days } })
  return gone.map(c => c.storedName)
}
