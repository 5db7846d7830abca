/**
 * Removing what people left behind: drafts untouched for DRAFT_RETENTION_DAYS (default 30), and
 * uploads older than that which no case and no remaining application uses. Files attached to a
 * case are evidence and are never removed here.
 */
import type { Connection } from '../../db/client'
import { writeAudit } from './audit'
import { removeStoredFile } from './uploads'

/** DRAFT_RETENTION_DAYS, a positive number of days (default 30). */
export function draftRetentionDays(): number {
  const n = Number(process.env.DRAFT_RETENTION_DAYS)
  return Number.isFinite(n) && n > 0 ? n : 30
}

export interface CleanupResult { drafts: number, uploads: number }

/** Upload ids named in any remaining application's answers, whatever its status. */
function referencedUploads(conn: Connection, ownerIds: number[]): Set<string> {
  const used = new Set<string>()
  const stmt = conn.sqlite.prepare('SELECT answers FROM applications WHERE user_id = ?')
  for (const owner of ownerIds) {
    for (const { answers } of stmt.all(owner) as { answers: string }[]) {
      for (const v of Object.values(JSON.parse(answers) as Record<string, unknown>)) {
        if (Array.isArray(v)) for (const id of v) if (typeof id === 'string') used.add(id)
      }
    }
  }
  return used
}

/**
 * Deletes stale drafts and unattached stale uploads in one transaction, then their files. Returns
 * how many of each went. Safe to run while people work: only rows older than the cutoff qualify.
 */
export async function removeStaleDrafts(conn: Connection, now = new Date(), days = draftRetentionDays()): Promise<CleanupResult> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString()
  const files: string[] = []
  const result = conn.sqlite.transaction((): CleanupResult => {
    const drafts = conn.sqlite.prepare(`DELETE FROM applications WHERE status = 'draft' AND updated_at < ?`).run(cutoff).changes
    const candidates = conn.sqlite.prepare(`SELECT id, owner_id AS ownerId, stored_name AS storedName FROM uploads u
      WHERE u.created_at < ? AND NOT EXISTS (SELECT 1 FROM case_materials m WHERE m.upload_id = u.id)`)
      .all(cutoff) as { id: string, ownerId: number, storedName: string }[]
    const used = referencedUploads(conn, [...new Set(candidates.map(c => c.ownerId))])
    const remove = conn.sqlite.prepare('DELETE FROM uploads WHERE id = ?')
    let uploads = 0
    for (const c of candidates) {
      if (used.has(c.id)) continue
      remove.run(c.id)
      files.push(c.storedName)
      uploads++
    }
    if (drafts || uploads) writeAudit(conn, { actorRole: 'system', action: 'drafts.cleanup', detail: { drafts, uploads, days } })
    return { drafts, uploads }
  }).immediate()
  for (const f of files) await removeStoredFile(f)
  return result
}
