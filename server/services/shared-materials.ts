/**
 * The shared library (Article 9: papers the government issued are never asked for twice). A
 * person's valid e-licences can fill a later application's file field. An answer to a file field
 * is a list of upload ids, so picking an e-licence makes (once) an upload owned by the holder that
 * holds the e-licence PDF; the application's submit then marks it 'shared', since the licence
 * existed before the application (ownUploads dates the copy by the licence's issue).
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Connection } from '../../db/client'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { uploadDir, writeFileDurably } from './disk'
import { renderResultPdf } from './result-pdf'
import { findHeldResult, holderNumberShown, listMyResults, ResultConflict, resultStatus, verificationUrl } from './results'
import type { ResultActor } from './results'

export interface SharedMaterial {
  kind: 'result'
  code: string
  name: string
  /** its English title, else its item's English name (English pages) */
  nameEn: string
  serviceName: string
  number: string
  issuedAt: string
  validUntil: string | null
  /** the upload made from it, once it was reused */
  uploadId: string | null
}

/** The caller's e-licences that can be reused now (valid: neither revoked nor expired). */
export function listSharedMaterials(conn: Connection, user: ResultActor, now = new Date()): SharedMaterial[] {
  const held = listMyResults(conn, user, now).filter(r => r.status === 'valid')
  // the remembered copy only when it is the caller's own (see existingUpload)
  const uploadOf = conn.sqlite.prepare(`SELECT u.id FROM results r JOIN uploads u ON u.id = r.upload_id WHERE r.code = ? AND u.owner_id = ?`)
  return held.map(r => ({
    kind: 'result', code: r.code, name: r.resultName ?? r.service.name, nameEn: r.resultNameEn || r.service.nameEn, serviceName: r.service.name, number: r.number,
    issuedAt: r.issuedAt, validUntil: r.validUntil, uploadId: (uploadOf.get(r.code, user.id) as { id: string } | undefined)?.id ?? null,
  }))
}

export interface AttachedUpload { id: string, name: string, size: number, mime: string, sha256: string }

/** A revoked or expired e-licence cannot fill an application (409). */
export class SharedMaterialUnavailable extends ResultConflict {}

/**
 * The copy the licence remembers, when it is the caller's. Another account's copy (the licence of
 * an unlinked counter case changes hands when its only matching account closes and another person
 * registers) is not handed over: an application may only name its own uploads, and the other
 * person's file is theirs.
 */
function existingUpload(conn: Connection, code: string, ownerId: number): AttachedUpload | null {
  return (conn.sqlite.prepare(`SELECT u.id, u.name, u.size, u.mime, u.sha256 FROM results r JOIN uploads u ON u.id = r.upload_id
    WHERE r.code = ? AND u.owner_id = ?`).get(code, ownerId) as AttachedUpload | undefined) ?? null
}

/** Writes bytes to a temporary file, fsyncs it and renames it into place, like every upload (uploads.ts). */
async function storeFile(bytes: Buffer, storedName: string): Promise<void> {
  const dir = uploadDir()
  const tmpDir = join(dir, 'tmp')
  mkdirSync(tmpDir, { recursive: true })
  // the new name on disk before a row names it
  await writeFileDurably(join(dir, storedName), bytes, tmpDir)
}

/**
 * The upload carrying this e-licence for its holder, made on first use. Null when the caller does
 * not hold it (a 404); SharedMaterialUnavailable when it is revoked or expired (a 409).
 */
export async function attachResult(conn: Connection, code: string, user: ResultActor, ip: string | null, now = new Date()): Promise<AttachedUpload | null> {
  const r = findHeldResult(conn, code, user)
  if (!r) return null
  const status = resultStatus(r, shanghaiDateOf(now))
  if (status !== 'valid') throw new SharedMaterialUnavailable(`This e-licence is ${status} and cannot be reused`)
  const existing = existingUpload(conn, code, user.id)
  if (existing) return existing
  const pdf = renderResultPdf({
    code: r.code, number: r.number, caseNo: r.caseNo, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn,
    resultName: r.resultName, resultNameEn: r.resultNameEn, departmentName: r.departmentName, departmentNameEn: r.departmentNameEn,
    holderName: r.holderName, holderIdNumberMasked: holderNumberShown(r.holderKind, r.holderIdNumber), holderKind: r.holderKind, issuedDate: shanghaiDateOf(new Date(r.issuedAt)),
    // stored and handed to clerks: never an address taken from the request (verificationUrl)
    validUntil: r.validUntil, status, verifyUrl: verificationUrl(r.code),
  }, now)
  const file: AttachedUpload = {
    id: randomBytes(16).toString('base64url'), name: `${r.resultName ?? r.serviceName}-${r.number}.pdf`,
    size: pdf.length, mime: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex'),
  }
  const storedName = randomBytes(24).toString('hex')
  await storeFile(pdf, storedName)
  const stored = join(uploadDir(), storedName)
  let outcome: AttachedUpload
  try {
    outcome = conn.sqlite.transaction(() => {
      // two clicks at once: the first to commit wins, the other returns its upload
      const raced = existingUpload(conn, code, user.id)
      if (raced) return raced
      // dated now, when the copy was made: backdated to the issue date, a licence older than
      // DRAFT_RETENTION_DAYS gave a copy the next cleanup deleted at once. Submission still counts
      // it as older than the application: ownUploads dates a licence's copy by the licence.
      conn.sqlite.prepare('INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(file.id, user.id, file.name, file.size, file.mime, file.sha256, storedName, now.toISOString())
      conn.sqlite.prepare('UPDATE results SET upload_id = ? WHERE code = ?').run(file.id, code)
      writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'result.share', subject: code, detail: { uploadId: file.id }, ip })
      return file
    }).immediate()
  }
  catch (error) {
    await unlink(stored).catch(() => undefined)
    throw error
  }
  if (outcome !== file) await unlink(stored).catch(() => undefined)
  return outcome
}
