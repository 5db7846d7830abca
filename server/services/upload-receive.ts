/**
 * Receiving an upload: the multipart body streamed to a temporary file in UPLOAD_DIR/tmp with the
 * byte limit counted on what actually arrives, judged by its content (magic bytes) against an
 * allow-list and its name's extension, fsynced before it is handed on (uploads.ts, storeUpload).
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import Busboy from 'busboy'
import { CONTROL_CHARS } from '../../shared/utils/validators'
import { fsyncDirectory, fsyncFile, uploadDir } from './disk'
import { maxUploadBytes, MULTIPART_OVERHEAD_BYTES, UploadError, volumeFull } from './upload-limits'

export const ALLOWED_MIME = ['application/pdf', 'image/jpeg', 'image/png'] as const
export type AllowedMime = typeof ALLOWED_MIME[number]

const EXTENSIONS: Record<AllowedMime, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
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

/** Removes a file that may not be there. */
export async function removeQuietly(path: string) {
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
