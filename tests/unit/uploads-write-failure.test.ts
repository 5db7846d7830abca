/**
 * An upload whose file cannot be written (the volume filled up after the free-space check, a
 * quota, an I/O error) is answered 507 at once and leaves nothing behind. It used to get no answer
 * at all for a file larger than one chunk: busboy stops reading once its file stream is gone, and
 * never closes. The write stream is made to fail as a full disk does (ENOSPC on write).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UploadError } from '../../server/services/upload-limits'
import { receiveMultipart } from '../../server/services/upload-receive'
import { fileForm, samplePdf } from '../support/files'

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  /** A temporary upload file on a volume with no room left: every write fails as the kernel's would. */
  const createWriteStream = ((path: string, options: object) => {
    const stream = fs.createWriteStream(path, options)
    if (!String(path).endsWith('.part')) return stream
    const noSpace = (_: unknown, __: unknown, callback?: (error: Error) => void) => {
      const done = typeof __ === 'function' ? __ as (error: Error) => void : callback!
      done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }))
    }
    Object.assign(stream as WriteStream & { _writev: unknown }, { _write: noSpace, _writev: noSpace })
    return stream
  }) as typeof fs.createWriteStream
  return { ...fs, default: { ...fs, createWriteStream }, createWriteStream }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uploads-write-failure-'))
  process.env.UPLOAD_DIR = dir
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

/** The multipart body as a request stream, in 16 KB chunks as a socket delivers them. */
async function requestOf(form: FormData) {
  const res = new Response(form)
  const body = Buffer.from(await res.arrayBuffer())
  const chunks = Array.from({ length: Math.ceil(body.length / 16_384) }, (_, i) => body.subarray(i * 16_384, (i + 1) * 16_384))
  return Object.assign(Readable.from(chunks), { headers: { 'content-type': res.headers.get('content-type')! } })
}

async function refusalOf(promise: Promise<unknown>): Promise<UploadError> {
  try {
    await promise
  }
  catch (error) {
    if (error instanceof UploadError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('an upload the disk cannot take', () => {
  it.each([
    ['a 1 MB file', Buffer.concat([samplePdf, Buffer.alloc(1024 * 1024)])],
    ['a small file', samplePdf],
  ])('%s is refused 507 at once, not left waiting, and no temporary file stays', async (_what, bytes) => {
    const refusal = await refusalOf(receiveMultipart(await requestOf(fileForm(bytes, 'scan.pdf'))))
    expect([refusal.statusCode, refusal.reason]).toEqual([507, 'validation.storageFull'])
    await vi.waitFor(() => expect(readdirSync(join(dir, 'tmp'))).toEqual([]))
  })
})
