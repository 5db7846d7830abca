/**
 * Uploading materials over HTTP, as a person's browser does: what is accepted, what is refused
 * and why, who can download a file, and that nothing refused stays on disk.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { fileForm, sampleHtml, sampleJpeg, samplePdf, samplePng } from '../support/files'
import { answersFor, CLERK_SERVICE, createDraft, demoPerson, submitOnline, uniquePdf, upload } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()

/** Stored files (not the tmp folder) under the server's UPLOAD_DIR. */
function storedFiles(): string[] {
  try {
    return readdirSync(join(server.server.dataDir, 'uploads')).filter(n => n !== 'tmp')
  }
  catch {
    return []
  }
}
const tmpFiles = () => {
  try { return readdirSync(join(server.server.dataDir, 'uploads', 'tmp')) }
  catch { return [] }
}

describe('a citizen uploading a material', () => {
  it('has a PDF, a PNG and a JPEG accepted, with size, type and SHA-256', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    for (const [bytes, name, mime] of [[samplePdf, '营业执照.pdf', 'application/pdf'], [samplePng, 'photo.png', 'image/png'], [sampleJpeg, 'scan.JPG', 'image/jpeg']] as const) {
      const res = await citizen.post('/api/uploads', fileForm(bytes, name))
      expect(res.status).toBe(201)
      expect(Object.keys(res.body).sort()).toEqual(['id', 'mime', 'name', 'sha256', 'size'])
      expect(res.body).toMatchObject({ name, size: bytes.length, mime })
      expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
  })

  it('downloads it back as an attachment that the browser will not sniff', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const up = await citizen.post('/api/uploads', fileForm(samplePdf, '申请表.pdf'))
    const res = await fetch(`${server.url}/api/uploads/${up.body.id}`, { headers: { cookie: citizen.cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('申请表.pdf')}`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await res.arrayBuffer()).equals(samplePdf)).toBe(true)
  })

  it('sees a name with path parts or a direction override cleaned', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const res = await citizen.post('/api/uploads', fileForm(samplePdf, '../../etc/\u202Epasswd.pdf'))
    expect(res.status).toBe(201)
    expect(res.body.name).toBe('passwd.pdf')
  })

  it('takes a file of exactly 10 MB, the limit, and refuses one byte more with 413', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const limit = 10 * 1024 * 1024
    const exact = Buffer.concat([samplePdf, Buffer.alloc(limit - samplePdf.length)])
    const taken = await citizen.post('/api/uploads', fileForm(exact, 'exact.pdf'))
    expect(taken.status).toBe(201)
    expect(taken.body.size).toBe(limit)
    const over = await citizen.post('/api/uploads', fileForm(Buffer.concat([exact, Buffer.alloc(1)]), 'over.pdf'))
    expect(over.status).toBe(413)
    expect(tmpFiles()).toEqual([])
  })

  it('is refused a file of 11 MB with 413, and nothing is left on disk', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const before = storedFiles().length
    const big = Buffer.concat([samplePdf, Buffer.alloc(11 * 1024 * 1024)])
    const res = await citizen.post('/api/uploads', fileForm(big, 'big.pdf'))
    expect(res.status).toBe(413)
    expect(storedFiles()).toHaveLength(before)
    expect(tmpFiles()).toEqual([])
  })

  it.each([
    ['a PNG named .pdf', samplePng, 'photo.pdf'],
    ['an HTML page named .png', sampleHtml, 'page.png'],
    ['a PDF without an extension', samplePdf, 'document'],
    ['an empty file', Buffer.alloc(0), 'empty.pdf'],
  ])('is refused %s with 415', async (_what, bytes, name) => {
    const citizen = await signedIn(server.url, 'citizen')
    const before = storedFiles().length
    const res = await citizen.post('/api/uploads', fileForm(bytes, name))
    expect(res.status).toBe(415)
    expect(storedFiles()).toHaveLength(before)
  })

  it('is refused a request that is not multipart (415), has no part `file` or two files (400)', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    expect((await citizen.post('/api/uploads', { file: 'x' })).status).toBe(415)
    expect((await citizen.post('/api/uploads', fileForm(samplePdf, 'a.pdf', 'document'))).status).toBe(400)
    const two = fileForm(samplePdf, 'a.pdf')
    two.append('file', new Blob([new Uint8Array(samplePdf)]), 'b.pdf')
    expect((await citizen.post('/api/uploads', two)).status).toBe(400)
  })

  it('cannot upload from another site, signed out, or as a manager', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    expect((await citizen.post('/api/uploads', fileForm(samplePdf, 'a.pdf'), { origin: 'https://evil.example' })).status).toBe(403)
    expect((await new Client(server.url).post('/api/uploads', fileForm(samplePdf, 'a.pdf'))).status).toBe(401)
    const manager = await signedIn(server.url, 'manager')
    expect((await manager.post('/api/uploads', fileForm(samplePdf, 'a.pdf'))).status).toBe(403)
  })
})

describe('someone else\'s material', () => {
  it('cannot be downloaded or deleted by another person or an unrelated clerk (404)', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const up = await citizen.post('/api/uploads', fileForm(samplePdf, 'mine.pdf'))
    // a manager only sees files some case holds: a person's library and drafts are theirs alone
    for (const who of ['citizen2', 'clerk', 'admin', 'manager']) {
      const other = await signedIn(server.url, who)
      expect((await other.get(`/api/uploads/${up.body.id}`)).status).toBe(404)
    }
    const citizen2 = await signedIn(server.url, 'citizen2')
    expect((await citizen2.request('DELETE', `/api/uploads/${up.body.id}`)).status).toBe(404)
    expect((await citizen.get('/api/uploads/not-an-id!')).status).toBe(404)
    expect((await citizen.get('/api/uploads/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404)
  })
})

describe('staff reading a person\'s case and its documents', () => {
  it('leaves an audit row for each case a clerk or manager opens and each document they download, none for the applicant', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const { caseNo, upload } = await submitOnline(citizen, demoPerson('citizen'), undefined, 'staff-read')
    const auditor = await signedIn(server.url, 'auditor')
    const rows = async (action: string, subject: string) => ((await auditor.get<{ items: { subject: string, actorRole: string }[] }>(`/api/audit?action=${action}&pageSize=100`)).body.items)
      .filter(r => r.subject === subject).map(r => r.actorRole).sort()
    expect((await citizen.get(`/api/cases/${caseNo}`)).status).toBe(200)
    expect((await citizen.get(`/api/uploads/${upload.id}`)).status).toBe(200)
    expect(await rows('case.read', caseNo)).toEqual([])
    expect(await rows('upload.read', upload.id)).toEqual([])
    for (const who of ['clerk', 'manager']) {
      const staff = await signedIn(server.url, who)
      expect((await staff.get(`/api/cases/${caseNo}`)).status).toBe(200)
      expect((await staff.get(`/api/uploads/${upload.id}`)).status).toBe(200)
    }
    expect(await rows('case.read', caseNo)).toEqual(['clerk', 'manager'])
    expect(await rows('upload.read', upload.id)).toEqual(['clerk', 'manager'])
  })

  it('audits the clerk opening a scan they took at the counter, an applicant\'s document like any other', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const scan = await clerk.post('/api/uploads', fileForm(samplePdf, '身份证扫描.pdf'))
    expect(scan.status).toBe(201)
    const intake = await clerk.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: demoPerson('citizen2'), answers: { cardBank: 'icbc', collectWay: 'branch', digitalPhotoReceiptFile: [scan.body.id] } })
    expect(intake.status).toBe(201)
    expect((await clerk.get(`/api/uploads/${scan.body.id}`)).status).toBe(200)
    const auditor = await signedIn(server.url, 'auditor')
    const reads = (await auditor.get<{ items: { subject: string, actorRole: string }[] }>('/api/audit?action=upload.read&pageSize=100')).body.items
    expect(reads.filter(r => r.subject === scan.body.id).map(r => r.actorRole)).toEqual(['clerk'])
  })

  it('gives staff the download under its name with the numbers in it masked, and the applicant the name whole', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const scan = await upload(citizen, uniquePdf('named-scan'), '赵敏440305199003072319身份证.pdf')
    const draft = await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, demoPerson('citizen'), [scan.id]))
    expect((await citizen.post(`/api/applications/${draft.id}/submit`)).status).toBe(201)
    const nameFor = async (client: Client) => {
      const res = await fetch(`${server.url}/api/uploads/${scan.id}`, { headers: { cookie: client.cookie } })
      expect(res.status).toBe(200)
      const header = res.headers.get('content-disposition')!
      return decodeURIComponent(header.slice(header.indexOf('UTF-8\'\'') + 7))
    }
    expect(await nameFor(citizen)).toBe('赵敏440305199003072319身份证.pdf')
    for (const who of ['clerk', 'manager']) {
      const staff = await signedIn(server.url, who)
      expect(await nameFor(staff)).toBe('赵敏440305********2319身份证.pdf')
    }
  })
})

describe('my materials', () => {
  it('lists what I uploaded, newest first, and lets me delete one no case uses', async () => {
    const citizen2 = await signedIn(server.url, 'citizen2')
    const a = await citizen2.post('/api/uploads', fileForm(samplePdf, 'first.pdf'))
    const b = await citizen2.post('/api/uploads', fileForm(samplePng, 'second.png'))
    const list = await citizen2.get<{ items: { id: string, name: string, size: number, usedInCases: number }[], retentionDays: number }>('/api/me/materials')
    expect(list.status).toBe(200)
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([a.body.id, b.body.id]))
    expect(list.body.items[0]).toMatchObject({ name: expect.any(String), size: expect.any(Number), usedInCases: 0 })
    // how long an unused one is kept (DRAFT_RETENTION_DAYS, default 30), for the page to say
    expect(list.body.retentionDays).toBe(30)
    expect((await citizen2.get('/api/me/materials?pageSize=0')).status).toBe(400)
    const before = storedFiles().length
    expect((await citizen2.request('DELETE', `/api/uploads/${a.body.id}`)).status).toBe(204)
    expect(storedFiles()).toHaveLength(before - 1)
    expect((await citizen2.get(`/api/uploads/${a.body.id}`)).status).toBe(404)
    const after = await citizen2.get('/api/me/materials')
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(a.body.id)
  })
})
