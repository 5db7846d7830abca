/**
 * A person downloading their data and closing their account over HTTP, against the built server:
 * the password asked for again (and counted like a sign-in), the file's headers, the refusal while
 * a case is open, and a closed account that signs in no more, answering like a wrong password.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { getCase, submitOnline, syntheticIdNumber } from '../support/fixtures'
import type { Person } from '../support/fixtures'
import { useTestServer } from '../support/server'

const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0' } })

interface Account { client: Client, username: string, password: string, person: Person }

let serial = 7000
/** A fresh citizen of this file's own, signed in: the lock and the closing touch nobody else. */
async function newAccount(): Promise<Account> {
  serial++
  const person: Person = { name: `测试${serial}`, idNumber: syntheticIdNumber(serial), mobile: `137${String(serial).padStart(8, '0')}` }
  const username = `pd${serial}-${randomBytes(3).toString('hex')}`
  const password = `Personal-data-${randomBytes(6).toString('hex')}`
  const client = new Client(t.url)
  const res = await client.post('/api/auth/register', { username, password, ...person })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
  return { client, username, password, person }
}

describe('downloading my data', () => {
  it('answers a JSON attachment, not cached, with my details unmasked and my case in it', async () => {
    const a = await newAccount()
    const { caseNo } = await submitOnline(a.client, a.person, undefined, 'export')
    const res = await a.client.post('/api/me/data-export', { password: a.password })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body.profile).toMatchObject({ username: a.username, name: a.person.name, idNumber: a.person.idNumber, mobile: a.person.mobile })
    expect(res.body.cases.map((c: { caseNo: string }) => c.caseNo)).toEqual([caseNo])
    expect(res.body.uploads).toHaveLength(1)
  })

  it('refuses a wrong password on the field, and five wrong ones lock the account like sign-in does', async () => {
    const a = await newAccount()
    const wrong = await a.client.post('/api/me/data-export', { password: 'not my password' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.data.fieldErrors).toEqual({ password: 'account.privacy.wrongPassword' })
    // closing and signing in count towards the same five
    expect((await a.client.post('/api/me/close', { password: 'not my password', confirm: true })).status).toBe(400)
    expect((await a.client.post('/api/me/data-export', { password: 'not my password' })).status).toBe(400)
    expect((await new Client(t.url).post('/api/auth/login', { username: a.username, password: 'not my password' })).status).toBe(401)
    const fifth = await a.client.post('/api/me/data-export', { password: 'not my password' })
    expect(fifth.status).toBe(429)
    expect(typeof fifth.body.data.retryAt).toBe('string')
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0)
    // locked: even the right password waits, here and at sign-in
    expect((await a.client.post('/api/me/data-export', { password: a.password })).status).toBe(429)
    expect((await new Client(t.url).post('/api/auth/login', { username: a.username, password: a.password })).status).toBe(429)
  })

  it('asks for the password before anything: an empty body is 400 on the field', async () => {
    const a = await newAccount()
    const res = await a.client.post('/api/me/data-export', {})
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ password: 'validation.required' })
  })
})

describe('who may call them', () => {
  it('refuses a request from another site with 403, whatever the password', async () => {
    const a = await newAccount()
    const evil = { origin: 'https://evil.example' }
    expect((await a.client.post('/api/me/data-export', { password: a.password }, evil)).status).toBe(403)
    expect((await a.client.post('/api/me/close', { password: a.password, confirm: true }, evil)).status).toBe(403)
    expect((await a.client.get('/api/auth/me')).status).toBe(200)
  })

  it('refuses staff roles with 403 and nobody signed in with 401', async () => {
    const clerk = await new Client(t.url).login('clerk')
    const admin = await new Client(t.url).login('admin')
    for (const path of ['/api/me/data-export', '/api/me/close']) {
      expect((await clerk.post(path, { password: 'portal-demo-2026', confirm: true })).status).toBe(403)
      expect((await admin.post(path, { password: 'portal-demo-2026', confirm: true })).status).toBe(403)
      expect((await new Client(t.url).post(path, { password: 'x', confirm: true })).status).toBe(401)
    }
    expect((await clerk.get('/api/auth/me')).status).toBe(200)
  })
})

describe('closing my account', () => {
  it('needs the box ticked', async () => {
    const a = await newAccount()
    const res = await a.client.post('/api/me/close', { password: a.password })
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ confirm: 'account.privacy.close.confirmRequired' })
  })

  it('is refused with 409 and the case numbers while a case is open; after withdrawing it, the account closes and signs in no more', async () => {
    const a = await newAccount()
    const phone = await new Client(t.url).login(a.username, a.password)
    const { caseNo } = await submitOnline(a.client, a.person, undefined, 'close')

    const refused = await a.client.post('/api/me/close', { password: a.password, confirm: true })
    expect(refused.status).toBe(409)
    expect(refused.body.data.openCases).toEqual([caseNo])
    expect((await a.client.get('/api/auth/me')).status).toBe(200)

    const { version } = await getCase(a.client, caseNo)
    expect((await a.client.post(`/api/cases/${caseNo}/transitions`, { action: 'withdraw', version })).status).toBe(200)
    const closed = await a.client.post('/api/me/close', { password: a.password, confirm: true })
    expect(closed.status).toBe(200)
    expect(closed.body).toEqual({ ok: true })
    // the cookie is cleared, and the session behind it and every other one is gone on the server
    const cleared = closed.headers.getSetCookie().find(c => c.startsWith('portal_session='))
    expect(cleared).toMatch(/^portal_session=;|Max-Age=0/)
    expect((await phone.get('/api/auth/me')).status).toBe(401)

    // signing in answers exactly as a wrong password does: nobody learns the account existed
    const right = await new Client(t.url).post('/api/auth/login', { username: a.username, password: a.password })
    const unknown = await new Client(t.url).post('/api/auth/login', { username: `nobody-${randomBytes(4).toString('hex')}`, password: a.password })
    expect(right.status).toBe(401)
    expect(right.body).toEqual(unknown.body)
    // the username stays taken
    const again = await new Client(t.url).post('/api/auth/register', { username: a.username, password: a.password, ...a.person })
    expect(again.status).toBe(409)
  })
})
