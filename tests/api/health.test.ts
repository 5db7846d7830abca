/**
 * The operator's monitoring story: /api/health says whether the database answers, how much room
 * uploads have, how old the newest backup is and how many notifications wait, without anything
 * personal, and a directory it cannot read as that directory's problem, not the database's; and a
 * failed request leaves one JSON line in the log, without bodies or queries.
 */
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { counterCase, demoPerson, CLERK_SERVICE, CLERK2_SERVICE } from '../support/fixtures'
import { listBackups, verifyBackup } from '../../server/services/backup'
import { maskIdNumber } from '../../shared/utils/mask'
import { startServer, stopServer, useTestServer } from '../support/server'

// outbox delivery off (the backlog must stay put); a scheduled backup every 3.6 s
const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0.001' } })

// a server whose backup and upload directories cannot be read: each is a path through a plain file
const scratch = mkdtempSync(join(tmpdir(), 'portal-health-'))
const aFile = join(scratch, 'not-a-directory')
writeFileSync(aFile, '')
const unreadable = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0', BACKUP_DIR: aFile, UPLOAD_DIR: join(aFile, 'uploads') } })
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Health {
  ok: boolean
  database: string
  uploads: { freeBytes: number | null, low: boolean | null, error?: string }
  backup: { newestAgeSeconds: number | null, error?: string }
  outbox: { backlog: number }
  calendar: { nextYear: number, nextYearEntered: boolean }
  legalEntities: { loaded: boolean, lastLoadAt: string | null }
}

const pendingOutbox = () => {
  const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
  try { return (db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n }
  finally { db.close() }
}

describe('health for monitoring', () => {
  it('reports the database, upload space, backup age and outbox backlog, to anyone, uncached', async () => {
    const res = await new Client(t.url).get<Health>('/api/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('no-store')
    expect(res.body.ok).toBe(true)
    expect(res.body.database).toBe('ok')
    expect(res.body.uploads.freeBytes).toBeGreaterThan(0)
    expect(typeof res.body.uploads.low).toBe('boolean')
    // null until the first scheduled backup, then its age in seconds
    expect(res.body.backup.newestAgeSeconds === null || res.body.backup.newestAgeSeconds >= 0).toBe(true)
    expect(res.body.outbox.backlog).toBe(pendingOutbox())
    // whether next year's holidays are entered (2025 and 2026 are built in)
    const nextYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() + 1
    expect(res.body.calendar).toEqual({ nextYear, nextYearEntered: nextYear <= 2026 })
    // the demo's legal-entity data is seeded, never loaded from the console
    expect(res.body.legalEntities).toEqual({ loaded: true, lastLoadAt: null })
  })

  it('tells a directory it cannot read apart from the database: 200, the database ok, the part that failed named', async () => {
    const res = await new Client(unreadable.url).get<Health>('/api/health')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      ok: true, database: 'ok',
      uploads: { freeBytes: null, low: null, error: 'ENOTDIR' },
      backup: { newestAgeSeconds: null, error: 'ENOTDIR' },
      outbox: { backlog: expect.any(Number) },
    })
    // the working server's parts carry no error
    const fine = (await new Client(t.url).get<Health>('/api/health')).body
    expect(fine.uploads.error).toBeUndefined()
    expect(fine.backup.error).toBeUndefined()
  })

  it('measures the space of an upload directory not made yet where it will be made, and does not make it', async () => {
    const dir = join(scratch, 'uploads-to-come')
    const later = await startServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0', UPLOAD_DIR: dir } })
    try {
      const res = await new Client(later.url).get<Health>('/api/health')
      expect(res.body.uploads).toEqual({ freeBytes: expect.any(Number), low: expect.any(Boolean) })
      expect(res.body.uploads.freeBytes).toBeGreaterThan(0)
      expect(existsSync(dir)).toBe(false)
    }
    finally { await stopServer(later) }
  })

  it('runs the scheduled backup inside the server, verified, and reports its age', async () => {
    let age: number | null = null
    for (let i = 0; i < 100 && age === null; i++) {
      age = (await new Client(t.url).get<Health>('/api/health')).body.backup.newestAgeSeconds
      if (age === null) await new Promise(r => setTimeout(r, 300))
    }
    expect(age).not.toBeNull()
    expect(age!).toBeLessThan(60)
    const dir = join(t.server.dataDir, 'backups')
    const newest = listBackups(dir).at(-1)!
    expect(await verifyBackup(join(dir, newest))).toEqual({ ok: true, problems: [] })
    expect(t.server.output).toContain('"event":"backup"')
  })

  it('counts the notifications still waiting in the outbox', async () => {
    const before = (await new Client(t.url).get<Health>('/api/health')).body.outbox.backlog
    const clerk = await new Client(t.url).login('clerk')
    // a counter case for a person with a mobile queues an SMS receipt (outbox delivery is off here)
    await counterCase(clerk, CLERK_SERVICE, demoPerson('citizen2'))
    const after = (await new Client(t.url).get<Health>('/api/health')).body
    expect(after.outbox.backlog).toBe(pendingOutbox())
    expect(after.outbox.backlog).toBeGreaterThan(before)
  })

  it('answers HEAD as GET, without a body, as uptime monitors ask', async () => {
    const head = (path: string) => fetch(`${t.url}${path}`, { method: 'HEAD' })
    const health = await head('/api/health')
    expect(health.status).toBe(200)
    expect(health.headers.get('content-type')).toMatch(/application\/json/)
    expect(health.headers.get('cache-control')).toBe('no-store')
    expect(await health.text()).toBe('')
    expect((await head(`/api/services/${CLERK_SERVICE}`)).status).toBe(200)
    expect((await head('/api/services/NO-SUCH-ITEM')).status).toBe(404)
    // as GET would: whoever is not signed in is not let in by asking for headers only
    expect((await head('/api/auth/me')).status).toBe(401)
  })

  it('writes no audit row for a HEAD on a case or its page: the read that shows nothing is not recorded as one', async () => {
    const clerk = await new Client(t.url).login('clerk')
    const caseNo = await counterCase(clerk, CLERK_SERVICE, demoPerson('citizen2'))
    const reads = () => {
      const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
      try { return (db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'case.read' AND subject = ?`).get(caseNo) as { n: number }).n }
      finally { db.close() }
    }
    const head = await clerk.request('HEAD', `/api/cases/${caseNo}`)
    expect(head.status).toBe(200)
    expect(reads()).toBe(0)
    // nor for the case's page asked with HEAD, whose render reads the case in-process
    expect((await clerk.request('HEAD', `/clerk/cases/${caseNo}`)).status).toBe(200)
    expect(reads()).toBe(0)
    expect((await clerk.get(`/api/cases/${caseNo}`)).status).toBe(200)
    expect(reads()).toBe(1)
    expect((await clerk.get(`/clerk/cases/${caseNo}`)).status).toBe(200)
    expect(reads()).toBe(2)
  })

  it('audits a refused HEAD as the HEAD it was', async () => {
    const citizen = await new Client(t.url).login('citizen')
    expect((await citizen.request('HEAD', '/api/audit')).status).toBe(403)
    const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
    try {
      const row = db.prepare(`SELECT subject FROM audit_log WHERE action = 'access.denied' ORDER BY id DESC LIMIT 1`).get() as { subject: string }
      expect(row.subject).toBe('HEAD /api/audit')
    }
    finally { db.close() }
  })

  it('says nothing personal: no names, ID numbers, mobiles or usernames', async () => {
    const text = JSON.stringify((await new Client(t.url).get('/api/health')).body)
    const p = demoPerson('citizen2')
    for (const secret of [p.name, p.idNumber, p.mobile, 'citizen', 'clerk']) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/)
  })
})

describe('structured failure logs', () => {
  it('logs a failed request as one JSON line with method, path and status, and no query, body or cookie', async () => {
    const citizen = await new Client(t.url).login('citizen')
    const p = demoPerson('citizen')
    const marker = `needle${Date.now()}`
    // a 400 whose body and query carry personal data
    const res = await citizen.post(`/api/applications?idNumber=${p.idNumber}&m=${marker}`, { serviceCode: 'no such code!', answers: { idNumber: p.idNumber, mobile: p.mobile, note: marker } })
    expect(res.status).toBe(400)
    // a 404 through the public tracking endpoint, whose query holds an ID number
    const tracked = await new Client(t.url).get(`/api/track?caseNo=SZ20260105000001&idNumber=${p.idNumber}`)
    expect(tracked.status).toBe(404)
    // an ID number typed where a service code goes: it reaches both the path and the message
    const misplaced = await new Client(t.url).get(`/api/services/${p.idNumber}`)
    expect(misplaced.status).toBe(404)
    // all three logged: the lines reach this process through pipes, a moment later
    const logged = ['/api/applications', '/api/track', `/api/services/${maskIdNumber(p.idNumber)}`]
    await expect.poll(() => logged.filter(path => t.server.output.includes(`"path":"${path}"`))).toEqual(logged)

    const lines = t.server.output.split('\n').filter(l => l.includes('"request.failed"'))
    const entries = lines.map(l => JSON.parse(l) as Record<string, unknown>)
    const post = entries.find(e => e.path === '/api/applications' && e.method === 'POST')
    expect(post).toMatchObject({ event: 'request.failed', method: 'POST', path: '/api/applications', status: 400 })
    expect(typeof post!.message).toBe('string')
    expect(entries.find(e => e.path === '/api/track')).toMatchObject({ method: 'GET', status: 404 })
    expect(entries.find(e => e.path === `/api/services/${maskIdNumber(p.idNumber)}`)).toMatchObject({ method: 'GET', status: 404, level: 'warn' })
    const all = t.server.output
    for (const secret of [p.idNumber, p.mobile, marker, citizen.cookie.split('=')[1]!]) expect(all).not.toContain(secret)
  })

  it('answers a refused API request with no-store JSON that does not repeat the address, and logs no ID number typed into a path', async () => {
    const p = demoPerson('citizen2')
    const anyone = new Client(t.url)
    const tracked = await anyone.get(`/api/track?caseNo=SZ20260105000001&idNumber=${p.idNumber}`)
    expect(tracked.status).toBe(404)
    expect(tracked.headers.get('cache-control')).toBe('no-store')
    expect(tracked.body).toMatchObject({ statusCode: 404, message: expect.any(String) })
    expect(tracked.body).not.toHaveProperty('url')
    expect(JSON.stringify(tracked.body)).not.toContain(p.idNumber)
    // an address no endpoint or page has, with an ID number in it
    const api = await anyone.get(`/api/track/${p.idNumber}`)
    expect(api.status).toBe(404)
    expect(api.headers.get('content-type')).toContain('application/json')
    expect(api.headers.get('cache-control')).toBe('no-store')
    const page = await fetch(`${t.url}/track/${p.idNumber}`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(404)
    expect(await page.text()).toContain('<html')
    expect((await fetch(`${t.url}/en/track/${p.mobile}`)).status).toBe(404)
    // JSON asked of a page's address (a script, curl): the same answer as the API's, where the
    // framework's repeated the address and its query and let a cache keep it (no-cache)
    const asJson = await anyone.get(`/track/${p.mobile}?idNumber=${p.idNumber}`, { accept: 'application/json' })
    expect(asJson.status).toBe(404)
    expect(asJson.headers.get('cache-control')).toBe('no-store')
    expect(asJson.body).not.toHaveProperty('url')
    expect(JSON.stringify(asJson.body)).not.toContain(p.idNumber)
    expect(JSON.stringify(asJson.body)).not.toContain(p.mobile)
    // the API's 404 logged (its line reaches this process through a pipe), so the log is read whole
    await expect.poll(() => t.server.output).toContain(`"path":"/api/track/${maskIdNumber(p.idNumber)}"`)
    for (const secret of [p.idNumber, p.mobile]) expect(t.server.output).not.toContain(secret)
  })

  it('logs a server fault by its path only: the query of the failed request stays out of every log line', async () => {
    const p = demoPerson('citizen')
    const marker = `needle${Date.now()}`
    // a fault no request can cause: the item's stored form is no longer JSON
    const db = new Database(join(t.server.dataDir, 'portal.db'))
    try { db.prepare(`UPDATE form_versions SET definition = '{' WHERE id = (SELECT form_version_id FROM services WHERE code = ?)`).run(CLERK2_SERVICE) }
    finally { db.close() }
    const anyone = new Client(t.url)
    const api = await anyone.get(`/api/services/${CLERK2_SERVICE}?idNumber=${p.idNumber}&m=${marker}`)
    expect(api.status).toBe(500)
    // the client learns that it failed, not the fault's own words
    expect(api.body).toMatchObject({ statusCode: 500, message: 'Server Error' })
    await expect.poll(() => t.server.output).toContain(`"path":"/api/services/${CLERK2_SERVICE}"`)

    const faults = t.server.output.split('\n').filter(l => l.includes('"request.failed"')).map(l => JSON.parse(l) as Record<string, unknown>)
    expect(faults.find(e => e.path === `/api/services/${CLERK2_SERVICE}`)).toMatchObject({ level: 'error', status: 500 })
    // the one line of an unhandled error carries where in the code it came from
    expect(faults.find(e => e.path === `/api/services/${CLERK2_SERVICE}`)?.stack).toEqual(expect.arrayContaining([expect.stringMatching(/^at /)]))
    // and the framework prints nothing of its own about it (the error object whole)
    expect(t.server.output).not.toContain('[request error]')
    for (const secret of [p.idNumber, marker]) expect(t.server.output).not.toContain(secret)
  })
})
