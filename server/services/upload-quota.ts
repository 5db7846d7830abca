/**
 * Room for uploads: each citizen's quota of files no case holds, and the free space the upload
 * volume keeps for the database beside it.
 */
import { mkdirSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import { writeAudit } from './audit'
import { HELD_BY_A_CASE } from './case-corrections'
import { uploadDir } from './disk'
import { minFreeUploadBytes, uploadQuota } from './upload-limits'

/**
 * The quota for a role, or null for none. Only citizens have one: anyone can register, and one
 * account looping 10 MB uploads filled the volume the database lives on. Clerks have none: their
 * accounts are made by an administrator and answer for their actions, and a counter scans the ID
 * cards and forms of many people a day, so a limit sized for one person would stop the counter
 * while people queue (their scans no case took are removed after DRAFT_RETENTION_DAYS anyway).
 */
export function quotaFor(role: Role): { files: number, bytes: number } | null {
  return role === 'citizen' ? uploadQuota() : null
}

/**
 * What counts against the quota: the owner's uploads no case holds (the library and drafts, what
 * "My materials" lets them delete). A case's materials are government records the person can
 * neither delete nor be blamed for keeping, so years of applications never lock anyone out.
 */
export function quotaUse(conn: Connection, ownerId: number): { files: number, bytes: number } {
  return conn.sqlite.prepare(`SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes FROM uploads u
    WHERE owner_id = ? AND NOT ${HELD_BY_A_CASE}`).get(ownerId) as { files: number, bytes: number }
}

/**
 * Whether one more file of `size` bytes (0 when not yet known: the check before reading the body)
 * stays within the owner's quota. A refusal is audited `upload.refused.quota` with the counts,
 * never the file's name; inside the caller's transaction when there is one.
 */
export function withinQuota(conn: Connection, owner: { id: number, role: Role }, size: number, ip?: string | null): boolean {
  const quota = quotaFor(owner.role)
  if (!quota) return true
  const use = quotaUse(conn, owner.id)
  // an empty file is refused anyway, so a full byte quota leaves room for nothing
  if (use.files + 1 <= quota.files && use.bytes + Math.max(size, 1) <= quota.bytes) return true
  writeAudit(conn, { actorId: owner.id, actorRole: owner.role, action: 'upload.refused.quota', detail: { files: use.files, bytes: use.bytes, size: size || null }, ip })
  return false
}

/**
 * Whether the upload volume has UPLOAD_MIN_FREE_BYTES free or more for this process. The quota
 * is per account and accounts cost nothing, so without this uploads could fill the volume, which
 * often holds the database too: every submission then failed with SQLITE_FULL. Checked before a
 * file is read; a file (10 MB by default) is small beside the floor, which leaves the database room.
 */
export async function uploadVolumeHasRoom(): Promise<boolean> {
  const dir = uploadDir()
  mkdirSync(dir, { recursive: true })
  const { bavail, bsize } = await statfs(dir)
  return bavail * bsize >= minFreeUploadBytes()
}
