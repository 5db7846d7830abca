/**
 * What one person can make the portal read and keep: a file sent in chunks past the limit is
 * refused while it is still being sent (the rest is never read), one account cannot fill the
 * disk with uploads nobody uses, and many accounts together cannot either: below a floor of free
 * space no upload is taken. Small limits here (1 MB a file, 3 files or 2 MB an account) keep the
 * test fast; the defaults are 10 MB, 500 files and 1 GiB, and 500 MB kept free.
 */
import { once } from 'node:events'
import { existsSync, readdirSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { fileForm, samplePdf } from '../support/files'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { UPLOAD_MAX_BYTES: String(1024 * 1024), UPLOAD_QUOTA_FILES: '3', UPLOAD_QUOTA_BYTES: String(2 * 1024 * 1024) } })

// the directory is made by the first upload that gets that far: none at all is nothing stored
const storedFiles = () => existsSync(join(server.server.dataDir, 'uploads')) ? readdirSync(join(server.server.dataDir, 'uploads')).filter(n => n !== 'tmp') : []
const tmpFiles = () => {
  try { return readdirSync(join(server.server.dataDir, 'uploads', 'tmp')) }
  catch { return [] }
}

interface ChunkedOutcome { status: number | null, body: string, written: number, closedByServer: boolean, connection?: string }

/**
 * Sends one multipart part `file` (a PDF's first bytes, then zeros) in chunks, with no
 * Content-Length, as `curl -T -` or a streaming client does: `total` bytes at most, then it waits
 * without ever finishing the body. Only a server that answers and stops reading before the body's
 * end answers at all; one that reads to the end keeps the client writing all of `total`, then waits.
 */
async function sendChunked(cookie: string, total: number, waitMs = 5000, base = server.url, agent: Agent | false = false): Promise<ChunkedOutcome> {
  const boundary = 'limit-test-boundary'
  const req = request(`${base}/api/uploads`, {
    method: 'POST',
    agent,
    headers: { 'origin': base, cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
  })
  const outcome: ChunkedOutcome = { status: null, body: '', written: 0, closedByServer: false }
  req.on('response', (res) => {
    outcome.status = res.statusCode ?? null
    outcome.connection = res.headers.connection
    res.on('data', (d: Buffer) => { outcome.body += d.toString() })
    res.on('error', () => undefined)
  })
  let closed = false
  // the server closing while we still write (EPIPE, ECONNRESET) ends it as well as a normal close
  const ended = new Promise<void>((resolve) => {
    req.on('error', () => resolve())
    req.on('close', () => resolve())
  }).then(() => { closed = true })
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`)
  req.write(samplePdf)
  const chunk = Buffer.alloc(64 * 1024)
  while (!closed && outcome.written < total) {
    const more = req.write(chunk)
    outcome.written += chunk.length
    if (!more) await Promise.race([once(req, 'drain'), ended])
  }
  await Promise.race([ended, new Promise(resolve => setTimeout(resolve, waitMs))])
  outcome.closedByServer = closed
  if (!closed) req.destroy()
  return outcome
}

describe('a file sent in chunks, with no Content-Length', () => {
  it('is refused with 413 before the body ends, the connection closed, and nothing of it stays on disk', async () => {
    const citizen = await signedIn(server.url, 'citizen2')
    const before = storedFiles().length
    // twice the 1 MB limit, then the client waits: the old server went on reading for the end
    const res = await sendChunked(citizen.cookie, 2 * 1024 * 1024)
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 413, message: 'upload.tooLarge' })
    expect(res.closedByServer).toBe(true)
    // also from a client that keeps connections alive, as browsers do: kept alive, the paused
    // connection waited for its keep-alive timeout and was reset
    const keepAlive = new Agent({ keepAlive: true })
    try {
      expect((await sendChunked(citizen.cookie, 2 * 1024 * 1024, 5000, server.url, keepAlive)).connection).toBe('close')
    }
    finally { keepAlive.destroy() }
    expect(storedFiles()).toHaveLength(before)
    await expect.poll(tmpFiles).toEqual([])
    // the server is still there for the next request
    expect((await citizen.get('/api/me/materials')).status).toBe(200)
  })

  it('is not read past the limit: a client sending 64 MB is cut off within a few socket buffers', async () => {
    const citizen = await signedIn(server.url, 'citizen2')
    // the old server read all 64 MB (busboy drained the part after truncating it) before its 413
    const res = await sendChunked(citizen.cookie, 64 * 1024 * 1024, 0)
    expect(res.closedByServer).toBe(true)
    expect(res.written).toBeLessThan(32 * 1024 * 1024)
    await expect.poll(tmpFiles).toEqual([])
  })
})

describe('what one account keeps', () => {
  it('refuses a citizen\'s upload past UPLOAD_QUOTA_FILES with 429 form.file.errors.quota, audited without the name, until one is deleted', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await citizen.post('/api/uploads', fileForm(samplePdf, `scan-${i}.pdf`))
      expect(res.status).toBe(201)
      ids.push(res.body.id)
    }
    const before = storedFiles().length
    const refused = await citizen.post('/api/uploads', fileForm(samplePdf, '身份证-secret.pdf'))
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({ message: 'form.file.errors.quota', data: { reason: 'form.file.errors.quota' } })
    expect(storedFiles()).toHaveLength(before)

    const auditor = await signedIn(server.url, 'auditor')
    const rows = (await auditor.get<{ items: { actorRole: string, detail: unknown }[] }>('/api/audit?action=upload.refused.quota')).body.items
    expect(rows.length).toBeGreaterThan(0)
    expect(rows[0]!.actorRole).toBe('citizen')
    expect(JSON.stringify(rows)).not.toContain('secret')

    // already at the limit: answered at once, without waiting for a body that is still coming
    const early = await sendChunked(citizen.cookie, 0)
    expect(early.status).toBe(429)
    expect(early.closedByServer).toBe(true)

    expect((await citizen.request('DELETE', `/api/uploads/${ids[0]}`)).status).toBe(204)
    expect((await citizen.post('/api/uploads', fileForm(samplePdf, 'again.pdf'))).status).toBe(201)
  })

  it('counts the bytes too: a file that would take the account past UPLOAD_QUOTA_BYTES is refused and not kept', async () => {
    const citizen2 = await signedIn(server.url, 'citizen2')
    const big = () => fileForm(Buffer.concat([samplePdf, Buffer.alloc(900 * 1024)]), 'big.pdf')
    expect((await citizen2.post('/api/uploads', big())).status).toBe(201)
    expect((await citizen2.post('/api/uploads', big())).status).toBe(201)
    const before = storedFiles().length
    const refused = await citizen2.post('/api/uploads', big())
    expect(refused.status).toBe(429)
    expect(refused.body.message).toBe('form.file.errors.quota')
    expect(storedFiles()).toHaveLength(before)
    expect(tmpFiles()).toEqual([])
  })

  it('does not stop a clerk scanning at the counter for many applicants', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    for (let i = 0; i < 5; i++) {
      expect((await clerk.post('/api/uploads', fileForm(samplePdf, `counter-${i}.pdf`))).status).toBe(201)
    }
  })
})

describe('when the upload volume is short of space', () => {
  // a floor above any real disk's free space: the volume counts as full
  const full = useTestServer({ env: { UPLOAD_MIN_FREE_BYTES: String(Number.MAX_SAFE_INTEGER) } })
  const filesIn = (dir: string) => {
    try { return readdirSync(dir) }
    catch { return [] }
  }

  it('refuses every upload with 507 validation.storageFull before reading it, and stores nothing', async () => {
    const uploads = join(full.server.dataDir, 'uploads')
    for (const username of ['citizen', 'clerk']) {
      const client = await signedIn(full.url, username)
      const refused = await client.post('/api/uploads', fileForm(samplePdf, 'scan.pdf'))
      expect(refused.status).toBe(507)
      expect(refused.body).toMatchObject({ message: 'validation.storageFull', data: { reason: 'validation.storageFull' } })
    }
    // answered while the body is still coming: not a byte of it is kept, even for a while
    const citizen = await signedIn(full.url, 'citizen')
    const early = await sendChunked(citizen.cookie, 0, 5000, full.url)
    expect(early.status).toBe(507)
    expect(early.closedByServer).toBe(true)
    expect(filesIn(uploads).filter(n => n !== 'tmp')).toEqual([])
    expect(filesIn(join(uploads, 'tmp'))).toEqual([])
    expect((await citizen.get<{ total: number }>('/api/me/materials')).body.total).toBe(0)
  })
})
