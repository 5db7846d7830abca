/**
 * Receiving a file, as the upload endpoint does it, without a server: limits, content checks,
 * names, and nothing left on disk after a refusal.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UploadError } from '../../server/services/upload-limits'
import { extensionAgrees, receiveMultipart, removeOrphanedTempFiles, sanitizeFileName, sniffMime } from '../../server/services/upload-receive'
import { fileForm, sampleHtml, sampleJpeg, samplePdf, samplePng } from '../support/files'

let dir: string

async function requestOf(form: FormData) {
  const res = new Response(form)
  const body = Buffer.from(await res.arrayBuffer())
  return Object.assign(Readable.from([body]), { headers: { 'content-type': res.headers.get('content-type')! } })
}

async function refusedWith(form: FormData, max?: number): Promise<number> {
  try {
    await receiveMultipart(await requestOf(form), max)
  }
  catch (error) {
    if (error instanceof UploadError) return error.statusCode
    throw error
  }
  throw new Error('expected a refusal')
}

const tmpFiles = () => readdirSync(join(dir, 'tmp'))

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uploads-'))
  process.env.UPLOAD_DIR = dir
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

describe('a person uploading a material', () => {
  it.each([
    [samplePdf, '营业执照.pdf', 'application/pdf'],
    [samplePng, 'photo.PNG', 'image/png'],
    [sampleJpeg, 'scan.jpeg', 'image/jpeg'],
    [sampleJpeg, 'scan.jpg', 'image/jpeg'],
  ])('has a genuine file accepted with its size and SHA-256 (%#)', async (bytes, name, mime) => {
    const file = await receiveMultipart(await requestOf(fileForm(bytes, name)))
    expect(file).toMatchObject({ name, size: bytes.length, mime })
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(tmpFiles()).toHaveLength(1)
  })

  it('is refused a file over the limit, and nothing stays on disk', async () => {
    expect(await refusedWith(fileForm(Buffer.concat([samplePdf, Buffer.alloc(5000)]), 'big.pdf'), 4096)).toBe(413)
    expect(tmpFiles()).toEqual([])
  })

  it.each([
    [samplePng, 'photo.pdf'],
    [sampleHtml, 'page.png'],
    [samplePdf, 'noextension'],
    [Buffer.alloc(0), 'empty.pdf'],
  ])('is refused a disguised or unknown file (%#) with 415', async (bytes, name) => {
    expect(await refusedWith(fileForm(bytes, name))).toBe(415)
    expect(tmpFiles()).toEqual([])
  })

  it('is refused a request without the part `file` or with two files', async () => {
    expect(await refusedWith(fileForm(samplePdf, 'a.pdf', 'document'))).toBe(400)
    const two = fileForm(samplePdf, 'a.pdf')
    two.append('file', new Blob([samplePdf]), 'b.pdf')
    expect(await refusedWith(two)).toBe(400)
    expect(await refusedWith(new FormData())).toBe(400)
    expect(tmpFiles()).toEqual([])
  })
})

describe('file names and types', () => {
  it('keeps only the last part of a path, without control characters', () => {
    expect(sanitizeFileName('C:\\fakepath\\身份证.pdf')).toBe('身份证.pdf')
    expect(sanitizeFileName('../../etc/passwd.pdf')).toBe('passwd.pdf')
    expect(sanitizeFileName('a\u0000b\u202Ec\n.pdf')).toBe('abc.pdf')
    expect(sanitizeFileName('...')).toBe('file')
    const long = sanitizeFileName(`${'长'.repeat(300)}.pdf`)
    expect(Array.from(long)).toHaveLength(120)
    expect(long.endsWith('.pdf')).toBe(true)
  })

  it('judges the type by the content and wants the extension to agree', () => {
    expect(sniffMime(samplePdf)).toBe('application/pdf')
    expect(sniffMime(sampleHtml)).toBeNull()
    expect(extensionAgrees('x.JPG', 'image/jpeg')).toBe(true)
    expect(extensionAgrees('x.png', 'image/jpeg')).toBe(false)
  })

  it('clears temporary files left by an interrupted upload', async () => {
    await receiveMultipart(await requestOf(fileForm(samplePdf, 'a.pdf')))
    expect(removeOrphanedTempFiles()).toBe(1)
    expect(tmpFiles()).toEqual([])
  })
})
