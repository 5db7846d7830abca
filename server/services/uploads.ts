/**
 * Uploaded materials: streamed to disk with the byte limit counted on what actually arrives,
 * judged by their content (magic bytes) against an allow-list, stored under UPLOAD_DIR with a
 * random name after a temporary file is fsynced and renamed (and the directory fsynced, so the
 * new name survives a power cut too). Never served statically: downloads go through
 * `findUploadForDownload`, which asks who may see it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { rename, statfs, unlink } from 'node:fs/promises'
import type { IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import Busboy from 'busboy'
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import { CONTROL_CHARS } from '../../shared/utils/validators'
import { writeAudit } from './audit'
import { HELD_BY_A_CASE, heldByCase } from './case-corrections'
import { fsyncDirectory, fsyncFile, uploadDir } from './disk'

// still imported from here by upload-orphans.ts
export { uploadDir } from './disk'

export const ALLOWED_MIME = ['application/pdf', 'image/jpeg', 'image/png'] as const
export type AllowedMime = typeof ALLOWED_MIME[number]

const EXTENSIONS: Record<AllowedMime, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
}

const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : fallback
}

/** UPLOAD_MAX_BYTES: the largest single file (default 10 MB). */
export const maxUploadBytes = () => positive(process.env.UPLOAD_MAX_BYTES, 10 * 1024 * 1024)
/** APPLICATION_MAX_BYTES: all files of one application together (default 50 MB). */
export const maxApplicationBytes = () => positive(process.env.APPLICATION_MAX_BYTES, 50 * 1024 * 1024)
/** Room for the multipart framing around the file (boundaries, part headers, a long UTF-8 name). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024
/** The largest upload request body, framing included: past it the request is refused whatever its framing. */
export const maxUploadRequestBytes = () => maxUploadBytes() + MULTIPART_OVERHEAD_BYTES

/** Refusals the handler turns into HTTP statuses; `reason` is a message key. */
export class UploadError extends Error {
  constructor(readonly statusCode: 400 | 413 | 415 | 429 | 507, readonly reason: string) {
    super(reason)
  }
}

/** The type the content itself declares, by its first bytes; null when it is none we accept. */
export function sniffMime(head: Uint8Array): AllowedMime | null {
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b)
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2D])) return 'application/pdf' // %PDF-
  if (starts([0xFF, 0xD8, 0xFF])) return 'image/jpeg'
  if (starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return 'image/png'
  return null
}

/** Whether the name's extension is one the content type is known by (a PNG named .pdf is not). */
export function extensionAgrees(name: string, mime: AllowedMime): boolean {
  const dot = name.lastIndexOf('.')
  if (dot < 0) return false
  return EXTENSIONS[mime].includes(name.slice(dot + 1).toLowerCase())
}

const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/

/**
 * The name shown to people: the last path part only (a browser may send `C:\fakepath\x.pdf`,
 * an attacker `../../x`), no control characters, at most 120 characters, never empty or dot-only.
 */
export function sanitizeFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? ''
  // bidirectional overrides would let `gpj.exe` display as `exe.jpg`
  const cleaned = Array.from(last).filter(c => !CONTROL_CHARS.test(c) && !BIDI.test(c)).join('').replace(/["<>|:*?]/g, '_').trim()
  const chars = Array.from(cleaned.replace(/^\.+/, ''))
  if (chars.length === 0) return 'file'
  if (chars.length <= 120) return chars.join('')
  // keep the extension when shortening, so the name still says what it is
  const dot = cleaned.lastIndexOf('.')
  const ext = dot > 0 ? Array.from(cleaned.slice(dot)).slice(0, 10).join('') : ''
  return chars.slice(0, 120 - Array.from(ext).length).join('') + ext
}

export interface ReceivedFile { tmpPath: string, name: string, size: number, sha256: string, mime: AllowedMime }

/** Counts and hashes bytes as they pass, keeping the first few for the type check. */
class Meter extends Transform {
  size = 0
  head = Buffer.alloc(0)
  readonly hash = createHash('sha256')
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    this.size += chunk.length
    this.hash.update(chunk)
    if (this.head.length < 16) this.head = Buffer.concat([this.head, chunk.subarray(0, 16 - this.head.length)])
    done(null, chunk)
  }
}

async function removeQuietly(path: string) {
  await unlink(path).catch(() => undefined)
}

/** Removes a temporary file once its stream has closed: a stream still opening would create it again after the unlink. */
async function removeWhenClosed(out: WriteStream, path: string): Promise<void> {
  if (!out.closed) await new Promise(resolve => out.once('close', resolve))
  await removeQuietly(path)
}

/**
 * Reads a multipart request with exactly one part named `file` into UPLOAD_DIR/tmp. Throws
 * UploadError: 413 past `maxBytes`, 415 for content that is not allowed or disagrees with its
 * extension, 400 otherwise. On any refusal the temporary file is gone.
 *
 * A 413 comes as soon as the file passes `maxBytes`, or the whole body passes it with the
 * framing's allowance, whatever the framing: a body sent in chunks has no Content-Length for the
 * middleware to judge, and draining it after busboy had stopped keeping the bytes read a 200 MB
 * part to the end before answering. The request is then left unread and paused, for the handler
 * to answer and close its connection (closeUnreadRequest), so the rest is never read.
 */
export async function receiveMultipart(req: Readable & { headers: IncomingHttpHeaders }, maxBytes = maxUploadBytes()): Promise<ReceivedFile> {
  const tmpDir = join(uploadDir(), 'tmp')
  mkdirSync(tmpDir, { recursive: true })
  let bb: Busboy.Busboy
  try {
    // busboy cuts a file off (truncated, 'limit') once it has `fileSize` bytes: one more than the
    // most allowed, so that a file of exactly 10 MB, which is not over 10 MB, is taken
    bb = Busboy({ headers: req.headers, limits: { fileSize: maxBytes + 1, files: 1, fields: 5, fieldNameSize: 100 }, defParamCharset: 'utf8' })
  }
  catch {
    throw new UploadError(400, 'upload.malformed')
  }
  const maxTotal = maxBytes + MULTIPART_OVERHEAD_BYTES
  return new Promise<ReceivedFile>((resolvePromise, reject) => {
    let writing: Promise<ReceivedFile | UploadError> | null = null
    let problem: UploadError | null = null
    let fileStream: Readable | null = null
    let received = 0
    let settled = false
    const count = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxTotal) stopReading(new UploadError(413, 'upload.tooLarge'))
    }
    /** Refuses at once: nothing more is read, the part being written is cut off and its file removed. */
    function stopReading(refusal: UploadError) {
      if (settled) return
      problem = refusal
      req.off('data', count)
      req.unpipe(bb)
      req.pause()
      // after busboy's current write: destroyed from inside its own 'limit' event, it goes on
      // with the chunk it was parsing and throws
      setImmediate(() => {
        fileStream?.destroy(new Error(refusal.reason))
        bb.destroy()
      })
      settle()
    }
    bb.on('file', (fieldName, file, info) => {
      if (fieldName !== 'file' || writing) {
        problem ??= new UploadError(400, 'upload.onePart')
        file.resume()
        return
      }
      fileStream = file
      file.on('limit', () => stopReading(new UploadError(413, 'upload.tooLarge')))
      const tmpPath = join(tmpDir, `${randomBytes(16).toString('hex')}.part`)
      const meter = new Meter()
      const out = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 })
      writing = pipeline(file, meter, out).then(async () => {
        if (file.truncated || meter.size > maxBytes) return new UploadError(413, 'upload.tooLarge')
        const name = sanitizeFileName(info.filename ?? '')
        const mime = sniffMime(meter.head)
        if (!mime || !extensionAgrees(name, mime)) return new UploadError(415, 'upload.type')
        await fsyncFile(tmpPath)
        await fsyncDirectory(tmpDir)
        return { tmpPath, name, size: meter.size, sha256: meter.hash.digest('hex'), mime }
      }, (error: NodeJS.ErrnoException) => {
        // the file could not be written (the volume filled up since the check before reading, a
        // quota, an I/O error): nobody's fault, try later. busboy stops reading once its file
        // stream is gone and would never close, so the refusal must stop the request itself.
        // Only the file system's errors carry a syscall; a body cut off is busboy's, and malformed
        if (error.syscall !== undefined) {
          stopReading(volumeFull())
          return volumeFull()
        }
        return new UploadError(400, 'upload.malformed')
      }).then(async (r) => {
        if (r instanceof UploadError) await removeWhenClosed(out, tmpPath)
        return r
      })
    })
    bb.on('field', () => { problem ??= new UploadError(400, 'upload.onePart') })
    bb.on('filesLimit', () => { problem ??= new UploadError(400, 'upload.onePart') })
    bb.on('error', () => { problem ??= new UploadError(400, 'upload.malformed'); settle() })
    bb.on('close', () => settle())
    async function settle() {
      if (settled) return
      settled = true
      const result = writing ? await writing : new UploadError(400, 'upload.missing')
      // a refusal that stopped the reading outranks what the cut-off part then looked like
      if (problem?.statusCode === 413) {
        if (!(result instanceof UploadError)) await removeQuietly(result.tmpPath)
        return reject(problem)
      }
      if (result instanceof UploadError) return reject(result)
      if (problem) {
        await removeQuietly(result.tmpPath)
        return reject(problem)
      }
      resolvePromise(result)
    }
    req.on('aborted', () => {
      problem ??= new UploadError(400, 'upload.malformed')
      bb.destroy()
      settle()
    })
    req.on('data', count)
    req.pipe(bb)
  })
}

export interface UploadInfo { id: string, name: string, size: number, mime: string, sha256: string }

/** UPLOAD_QUOTA_FILES and UPLOAD_QUOTA_BYTES: what one citizen's account may keep that no case holds (default 500 files, 1 GiB). */
export const uploadQuota = () => ({ files: positive(process.env.UPLOAD_QUOTA_FILES, 500), bytes: positive(process.env.UPLOAD_QUOTA_BYTES, 1024 ** 3) })

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

/** The refusal of an upload past the account's quota (429: the person must delete unused files first). */
export const quotaExceeded = () => new UploadError(429, 'form.file.errors.quota')

/** UPLOAD_MIN_FREE_BYTES: the free space the upload volume keeps; below it uploads are refused (default 500 MB, when /api/health reports it low). */
export const minFreeUploadBytes = () => positive(process.env.UPLOAD_MIN_FREE_BYTES, 500 * 1024 * 1024)

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

/** The refusal of an upload while the volume is short of space (507 Insufficient Storage: nobody's fault, try later). */
export const volumeFull = () => new UploadError(507, 'validation.storageFull')

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

/** Temporary files left by uploads a crash interrupted; run at start, before any upload. */
export function removeOrphanedTempFiles(dir = join(uploadDir(), 'tmp')): number {
  let removed = 0
  try {
    for (const name of readdirSync(dir)) {
      rmSync(join(dir, name), { force: true, recursive: true })
      removed++
    }
  }
  catch { /* no tmp folder yet: nothing to clean */ }
  return removed
}
