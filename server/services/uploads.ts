/**
 * Uploaded materials: received into a temporary file (upload-receive.ts), stored under UPLOAD_DIR
 * with a random name after that file is fsynced and renamed (and the directory fsynced, so the
 * new name survives a power cut too), within the owner's quota (upload-quota.ts). Never served
 * statically: downloads go through `findUploadForDownload`, which asks who may see it.
 */
import { randomBytes } from 'node:crypto'
import { rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import { writeAudit } from './audit'
import { HELD_BY_A_CASE, heldByCase } from './case-corrections'
import { fsyncDirectory, uploadDir } from './disk'
import { quotaExceeded } from './upload-limits'
import { withinQuota } from './upload-quota'
import type { ReceivedFile } from './upload-receive'
import { removeQuietly } from './upload-receive'

export interface UploadInfo { id: string, name: string, size: number, mime: string, sha256: string }

/**
 * Moves a received file to its random final name and records it, with the audit row. The row is
 * written only once the rename is on disk (the README promises uploads are fsynced before they
 * are recorded). The quota is checked again in the row's transaction, where two uploads at once
 * cannot both take the last place; past it the file goes and UploadError 429 is thrown.
 */
export async function storeUpload(conn: Connection, file: ReceivedFile, owner: { id: number, role: Role }, ip?: string | null): Promise<UploadInfo> {
  const id = randomBytes(16).toString('base64url')
  const storedName = randomBytes(24).toString('hex')
  await rename(file.tmpPath, join(uploadDir(), storedName))
  let stored: boolean
  try {
    await fsyncDirectory(uploadDir())
    stored = conn.sqlite.transaction(() => {
      if (!withinQuota(conn, owner, file.size, ip)) return false
      conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(id, owner.id, file.name, file.size, file.mime, file.sha256, storedName)
      writeAudit(conn, { actorId: owner.id, actorRole: owner.role, action: 'upload.create', subject: id, detail: { size: file.size, mime: file.mime }, ip })
      return true
    }).immediate()
  }
  catch (error) {
    await removeQuietly(join(uploadDir(), storedName))
    throw error
  }
  if (!stored) {
    await removeQuietly(join(uploadDir(), storedName))
    throw quotaExceeded()
  }
  return { id, name: file.name, size: file.size, mime: file.mime, sha256: file.sha256 }
}

interface UploadRow extends UploadInfo { ownerId: number, storedName: string, createdAt: string }

const uploadColumns = `u.id, u.owner_id AS ownerId, u.name, u.size, u.mime, u.sha256, u.stored_name AS storedName, u.created_at AS createdAt`

/**
 * A staff member's own upload is theirs only while no case of another department holds it. The
 * scans a clerk makes at the counter (applicants' ID cards) are the department's evidence once
 * attached: a clerk moved to another department or role (npm run user:role) keeps no access to
 * them through having made them, nor through a scan a correction replaced (still that case's
 * record, case-corrections.ts). SQL over `u` (the upload), `@role` and `@dept`.
 */
export const OWN_STILL = `(@role = 'citizen' OR NOT ${heldByCase('c.department_code IS NOT @dept')})`

/**
 * The upload if this person may download it: its owner (a staff member's, see OWN_STILL), a
 * manager (of a file some case holds: a person's library and drafts are theirs alone), a clerk of
 * the department of a case it is attached to, or the applicant of such a case (a counter case
 * linked to their account shows its materials, the clerk's scans, which the applicant does not
 * own). A file a correction replaced counts as the case's as much as its current materials.
 * Anyone else gets null (a 404, as if it did not exist).
 */
export function findUploadForDownload(conn: Connection, id: string, user: { id: number, role: Role, departmentCode: string | null }): (UploadRow & { path: string }) | null {
  const row = conn.sqlite.prepare(`SELECT ${uploadColumns} FROM uploads u WHERE u.id = ? AND (
      (u.owner_id = @user AND ${OWN_STILL})
      OR (@role = 'manager' AND ${HELD_BY_A_CASE})
      OR (@role = 'clerk' AND ${heldByCase('c.department_code = @dept')})
      OR (@role = 'citizen' AND ${heldByCase('c.applicant_id = @user')}))`)
    .get(id, { user: user.id, role: user.role, dept: user.departmentCode ?? '' }) as UploadRow | undefined
  return row ? { ...row, path: join(uploadDir(), row.storedName) } : null
}

/** Whether an upload is part of a case, now or replaced by a correction (then it is evidence and may no longer be deleted). */
export function isAttachedToCase(conn: Connection, id: string): boolean {
  return !!conn.sqlite.prepare(`SELECT 1 FROM uploads u WHERE u.id = ? AND ${HELD_BY_A_CASE}`).get(id)
}

/** The upload ids an application's answers (JSON) name: a file field's answer is a list of them. */
export function uploadIdsInAnswers(answers: string): Set<string> {
  const ids = new Set<string>()
  for (const v of Object.values(JSON.parse(answers) as Record<string, unknown>)) {
    if (Array.isArray(v)) for (const id of v) if (typeof id === 'string') ids.add(id)
  }
  return ids
}

/**
 * The cases whose submitted application, of this owner, names the upload. A correction that
 * replaces a file takes it out of the case's materials, but the application as it was sent still
 * names it: it is part of the record, as the account's closing and the drafts cleanup keep it
 * (docs/privacy.md).
 */
export function casesNamingUpload(conn: Connection, ownerId: number, id: string): string[] {
  // instr() only narrows the rows to parse: the answers decide
  const rows = conn.sqlite.prepare(`SELECT coalesce(case_no, id) AS caseNo, answers FROM applications
    WHERE user_id = ? AND status <> 'draft' AND instr(answers, ?) > 0`).all(ownerId, JSON.stringify(id)) as { caseNo: string, answers: string }[]
  return rows.filter(r => uploadIdsInAnswers(r.answers).has(id)).map(r => r.caseNo)
}

/**
 * Deletes one of the owner's uploads that no case uses, and takes it out of the owner's drafts.
 * Returns 'gone' when it is not theirs, 'attached' when a case holds it or a submitted application
 * names it; the file is removed by the caller after the transaction (`removeStoredFile`).
 */
export function deleteUpload(conn: Connection, id: string, owner: { id: number, role: Role }, ip?: string | null): { storedName: string } | 'gone' | 'attached' {
  const row = conn.sqlite.prepare('SELECT stored_name AS storedName FROM uploads WHERE id = ? AND owner_id = ?').get(id, owner.id) as { storedName: string } | undefined
  if (!row) return 'gone'
  if (isAttachedToCase(conn, id) || casesNamingUpload(conn, owner.id, id).length) return 'attached'
  const drafts = conn.sqlite.prepare(`SELECT id, answers FROM applications WHERE user_id = ? AND status = 'draft' AND instr(answers, ?) > 0`).all(owner.id, id) as { id: string, answers: string }[]
  const save = conn.sqlite.prepare('UPDATE applications SET answers = ? WHERE id = ?')
  for (const d of drafts) {
    const answers = JSON.parse(d.answers) as Record<string, unknown>
    for (const [key, value] of Object.entries(answers)) {
      if (Array.isArray(value)) answers[key] = value.filter(v => v !== id)
    }
    save.run(JSON.stringify(answers), d.id)
  }
  forgetUpload(conn, id)
  writeAudit(conn, { actorId: owner.id, actorRole: owner.role, action: 'upload.delete', subject: id, ip })
  return { storedName: row.storedName }
}

/**
 * Deletes an upload's row; true when there was one. A copy of an e-licence (shared-materials.ts)
 * is also the licence's remembered PDF (results.upload_id): the licence forgets it first, or the
 * foreign key refuses the delete (a 500 for the person, a failed batch for the cleanup).
 */
export function forgetUpload(conn: Connection, id: string): boolean {
  conn.sqlite.prepare('UPDATE results SET upload_id = NULL WHERE upload_id = ?').run(id)
  return conn.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(id).changes === 1
}

/**
 * The ones among `ids` that are copies of an e-licence no longer valid (revoked, or expired
 * before `today`): a copy made while it was valid must not be handed in as proof afterwards.
 */
export function copiesOfInvalidResults(conn: Connection, ids: readonly string[], today: string): Set<string> {
  const stmt = conn.sqlite.prepare('SELECT 1 FROM results WHERE upload_id = ? AND (revoked_at IS NOT NULL OR valid_until < ?)')
  return new Set([...new Set(ids)].filter(id => stmt.get(id, today) !== undefined))
}

/** Removes a stored file; a file already gone is not an error. */
export async function removeStoredFile(storedName: string): Promise<void> {
  await removeQuietly(join(uploadDir(), storedName))
}

/** `usedInCases`: the cases holding the file or whose submitted application names it (then it cannot be deleted). */
export interface MaterialItem extends UploadInfo { createdAt: string, usedInCases: number }

/** "My materials": a person's earlier uploads, newest first, to attach again without uploading twice. */
export function listMaterials(conn: Connection, owner: number | { id: number, role: Role, departmentCode: string | null }, page = 1, pageSize = 50): { items: MaterialItem[], total: number, page: number, pageSize: number } {
  const who = typeof owner === 'number' ? { id: owner, role: 'citizen' as Role, departmentCode: null } : owner
  const ownerId = who.id
  const params = { owner: ownerId, role: who.role, dept: who.departmentCode ?? '' }
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM uploads u WHERE u.owner_id = @owner AND ${OWN_STILL}`).get(params) as { n: number }).n
  const rows = conn.sqlite.prepare(`SELECT u.id, u.name, u.size, u.mime, u.sha256, u.created_at AS createdAt
    FROM uploads u WHERE u.owner_id = @owner AND ${OWN_STILL} ORDER BY u.created_at DESC, u.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: pageSize, offset: (page - 1) * pageSize }) as Omit<MaterialItem, 'usedInCases'>[]
  const holding = (id: string) => (conn.sqlite.prepare(`SELECT case_no AS caseNo FROM case_materials WHERE upload_id = @id
    UNION SELECT case_no FROM case_superseded_materials WHERE upload_id = @id`).all({ id }) as { caseNo: string }[]).map(m => m.caseNo)
  // the same test as deleteUpload's, so the page offers Delete exactly where it would succeed
  const items = rows.map(u => ({ ...u, usedInCases: new Set([...holding(u.id), ...casesNamingUpload(conn, ownerId, u.id)]).size }))
  return { items, total, page, pageSize }
}

/**
 * Uploads of one owner by id (the ones that exist and are theirs). `createdAt` is when the
 * document came to be: for a copy of an e-licence (results.upload_id), the licence's issue date,
 * since the copy is made when first picked, perhaps after the application began, and submission
 * tells a material from the person's library (older than the application) by it.
 */
export function ownUploads(conn: Connection, ownerId: number, ids: readonly string[]): Map<string, { size: number, createdAt: string }> {
  const out = new Map<string, { size: number, createdAt: string }>()
  const stmt = conn.sqlite.prepare(`SELECT u.size, min(u.created_at, coalesce((SELECT min(r.issued_at) FROM results r WHERE r.upload_id = u.id), u.created_at)) AS createdAt
    FROM uploads u WHERE u.id = ? AND u.owner_id = ?`)
  for (const id of new Set(ids)) {
    const row = stmt.get(id, ownerId) as { size: number, createdAt: string } | undefined
    if (row) out.set(id, row)
  }
  return out
}
