/**
 * Accounts, sessions and the security baseline, as a person (or an attacker) meets them over
 * HTTP against the built server.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { AuditChainResult } from '../../server/services/audit'
import type { PublishedVersionsResult } from '../../server/services/published-versions-check'
import { describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../shared/utils/id-number'
import { makeUscc } from '../../shared/utils/uscc'
import { Client, signedIn } from '../support/client'
import { syntheticIdNumber, verifyMobile } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()
const api = () => new Client(server.url)

let serial = 0
/** A valid registration with a username and an ID number of its own (one person, one account). */
function newPerson(over: Record<string, unknown> = {}) {
  serial++
  return { username: `person${serial}`, password: 'a sentence I remember 2026', name: '赵六', idNumber: syntheticIdNumber(serial), mobile: '13800138000', ...over }
}

async function fieldErrorOf(over: Record<string, unknown>) {
  const res = await api().post('/api/auth/register', newPerson(over))
  expect(res.status).toBe(400)
  return res.body.data.fieldErrors as Record<string, string>
}

describe('a person registering', () => {
  it('gets an account, is signed in at once, and sees the ID number masked', async () => {
    const c = api()
    const res = await c.post('/api/auth/register', newPerson({ username: 'xiaoming', idNumber: makeIdNumber('11010519491231002').toLowerCase() }))
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ username: 'xiaoming' })
    const me = await c.get('/api/auth/me')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ username: 'xiaoming', role: 'citizen', idNumberMasked: '110105********002X' })
  })

  it('can register an organisation at the same time', async () => {
    const c = api()
    const uscc = makeUscc('91440300MA5D8K7Q2')
    expect((await c.post('/api/auth/register', newPerson({ organization: { name: '深圳市某某科技有限公司', uscc: uscc.toLowerCase() } }))).status).toBe(201)
    const orgs = await c.get('/api/me/organizations')
    expect(orgs.body).toMatchObject([{ name: '深圳市某某科技有限公司', uscc }])
  })

  it('is told exactly which ID number problem there is', async () => {
    const good = makeIdNumber('44030519900307231')
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1')
    expect(await fieldErrorOf({ idNumber: wrongCheck })).toEqual({ idNumber: 'validation.idNumber.checksum' })
    expect(await fieldErrorOf({ idNumber: makeIdNumber('44030519900230231') })).toEqual({ idNumber: 'validation.idNumber.birthDate' })
    expect(await fieldErrorOf({ idNumber: makeIdNumber('44030520990101231') })).toEqual({ idNumber: 'validation.idNumber.birthDate' })
    expect(await fieldErrorOf({ idNumber: '4403051990030723' })).toEqual({ idNumber: 'validation.idNumber.format' })
    // the first digit mistyped (4 → 0) and the check character made to match: no province starts with 04
    expect(await fieldErrorOf({ idNumber: makeIdNumber('04030519900307231') })).toEqual({ idNumber: 'validation.idNumber.region' })
  })

  it('is refused a bad mobile, a short or common password, and a wrongly typed or too long answer', async () => {
    expect(await fieldErrorOf({ mobile: '12800138000' })).toEqual({ mobile: 'validation.mobile' })
    expect(await fieldErrorOf({ mobile: '1380013800' })).toEqual({ mobile: 'validation.mobile' })
    expect(await fieldErrorOf({ password: 'short pass' })).toEqual({ password: 'validation.password.tooShort' })
    expect(await fieldErrorOf({ password: 'password1234' })).toEqual({ password: 'validation.password.common' })
    expect(await fieldErrorOf({ username: 12345 })).toEqual({ username: 'validation.invalidType' })
    expect(await fieldErrorOf({ name: '长'.repeat(51) })).toEqual({ name: 'validation.tooLong' })
    expect(await fieldErrorOf({ username: 'bad name!' })).toEqual({ username: 'validation.username' })
    const missing = await api().post('/api/auth/register', { username: 'nobody' })
    expect(missing.status).toBe(400)
    expect(Object.keys(missing.body.data.fieldErrors).sort()).toEqual(['idNumber', 'mobile', 'name', 'password'])
    expect((await api().post('/api/auth/register', [newPerson()])).status).toBe(400)
  })

  it('is refused an organisation code with I, O, S, V or Z, or a wrong check character', async () => {
    for (const letter of ['I', 'O', 'S', 'V', 'Z']) {
      const errors = await fieldErrorOf({ organization: { name: '某公司', uscc: `91440300MA5D8K7Q${letter}0` } })
      expect(errors).toEqual({ 'organization.uscc': 'validation.uscc.format' })
    }
    const good = makeUscc('91440300MA5D8K7Q2')
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1')
    expect(await fieldErrorOf({ organization: { name: '某公司', uscc: wrong } })).toEqual({ 'organization.uscc': 'validation.uscc.checksum' })
  })

  it('cannot open a second account with an ID number whose account has verified its mobile, and is pointed to the password reset', async () => {
    const first = newPerson({ idNumber: makeIdNumber('44030519851212109'), mobile: '13500135001' })
    const owner = api()
    expect((await owner.post('/api/auth/register', first)).status).toBe(201)
    // not yet verified: someone else may have typed the number, so it does not lock the person out
    const before = await api().post('/api/auth/register', newPerson({ idNumber: first.idNumber, mobile: '13500135002' }))
    expect(before.status).toBe(201)
    await verifyMobile(owner, server.server.dataDir, first.mobile)
    for (const idNumber of [first.idNumber, first.idNumber.toLowerCase(), '440305199003072319']) {
      const again = await api().post('/api/auth/register', newPerson({ idNumber }))
      expect(again.status).toBe(409)
      expect(again.body.data.fieldErrors).toEqual({ idNumber: 'validation.idNumberRegistered' })
      expect(again.body.message).toMatch(/reset the password/)
    }
  })

  it('cannot take a username that exists, whatever its case', async () => {
    for (const username of ['citizen', 'CITIZEN', 'Clerk']) {
      const res = await api().post('/api/auth/register', newPerson({ username }))
      expect(res.status).toBe(409)
      expect(res.body.data.fieldErrors).toEqual({ username: 'validation.usernameTaken' })
    }
  })
})

describe('signing in and out', () => {
  it('sets an HttpOnly, SameSite=Lax cookie, and the old cookie is dead after logout', async () => {
    const c = api()
    const res = await c.post('/api/auth/login', { username: 'citizen', password: 'portal-demo-2026' })
    expect(res.status).toBe(200)
    const cookie = res.headers.getSetCookie().find(h => h.startsWith('portal_session='))!
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    // a cookie of the browser session: closing the browser of a shared terminal signs out
    expect(cookie).not.toMatch(/Max-Age|Expires/i)
    const me = await c.get('/api/auth/me')
    expect(me.body.idNumberMasked).toBe('440305********2319')
    expect(JSON.stringify(me.body)).not.toContain('440305199003072319')
    const stolen = c.cookie
    expect((await c.post('/api/auth/logout')).status).toBe(200)
    const replay = await api().get('/api/auth/me', { cookie: stolen })
    expect(replay.status).toBe(401)
  })

  it('signing in as someone else on a signed-in browser ends the first account\'s session on the server', async () => {
    const c = api()
    await c.login('citizen')
    const first = c.cookie
    await c.login('citizen2')
    expect((await c.get('/api/auth/me')).body.username).toBe('citizen2')
    expect((await api().get('/api/auth/me', { cookie: first })).status).toBe(401)
  })

  it('refuses a wrong password with 401 and the same answer for an unknown user', async () => {
    expect((await api().post('/api/auth/login', { username: 'citizen', password: 'wrong password' })).status).toBe(401)
    expect((await api().post('/api/auth/login', { username: 'no-such-person', password: 'wrong password' })).status).toBe(401)
  })

  it('tells, at each wrong password, how many more are left before the lock, and a name nobody has exactly the same', async () => {
    const person = newPerson()
    expect((await api().post('/api/auth/register', person)).status).toBe(201)
    const answers = async (username: string) => {
      const out = []
      for (let i = 0; i < 4; i++) {
        const res = await api().post('/api/auth/login', { username, password: 'not it at all' })
        out.push({ status: res.status, body: res.body })
      }
      return out
    }
    const account = await answers(person.username)
    expect(account.map(a => a.status)).toEqual([401, 401, 401, 401])
    expect(account.map(a => a.body.data)).toEqual([{ attemptsLeft: 4 }, { attemptsLeft: 3 }, { attemptsLeft: 2 }, { attemptsLeft: 1 }])
    // the whole answer, message and all, is the same for a name no account has
    expect(await answers(`nobody-${serial}`)).toEqual(account)
  })

  it('locks an account after five wrong passwords, even against the right one, and says when to retry', async () => {
    const person = newPerson()
    await api().post('/api/auth/register', person)
    for (let i = 0; i < 4; i++) expect((await api().post('/api/auth/login', { username: person.username, password: 'not it at all' })).status).toBe(401)
    // the fifth is wrong like the others (the contract's 401), and says it locked the account
    const fifth = await api().post('/api/auth/login', { username: person.username, password: 'not it at all' })
    expect(fifth.status).toBe(401)
    expect(Date.parse(fifth.body.data.retryAt)).toBeGreaterThan(Date.now() + 14 * 60_000)
    expect(fifth.body.data.attemptsLeft).toBeUndefined()
    const right = await api().post('/api/auth/login', { username: person.username, password: person.password })
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
    expect(Date.parse(right.body.data.retryAt)).toBeGreaterThan(Date.now() + 14 * 60_000)
  })
})

describe('requests from elsewhere', () => {
  it('refuses a write from a foreign Origin', async () => {
    const res = await api().post('/api/auth/login', { username: 'citizen', password: 'portal-demo-2026' }, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
  })

  it('refuses a cross-site write without an Origin', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    expect(res.status).toBe(403)
  })

  it('refuses a body that is not JSON', async () => {
    const res = await api().post('/api/auth/register', 'username=x', { 'content-type': 'text/plain' })
    expect(res.status).toBe(415)
  })

  it('keeps API answers out of caches', async () => {
    const res = await api().get('/api/auth/me')
    expect(res.status).toBe(401)
    expect(res.headers.get('cache-control')).toContain('no-store')
  })

  it('keeps a public page rendered for a signed-in person (their name in its header) out of caches, and not one for a visitor', async () => {
    const person = await signedIn(server.url, 'citizen2')
    for (const path of ['/', '/services']) {
      const mine = await person.get(path)
      expect(mine.status, path).toBe(200)
      expect(mine.headers.get('cache-control'), path).toContain('no-store')
      expect(String(mine.body), path).toContain('李慧芳')
      expect((await api().get(path)).headers.get('cache-control') ?? '', path).not.toContain('no-store')
    }
  })

  it('keeps public tracking and its documents out of caches for anyone: what they show came from a look-up with an ID number', async () => {
    for (const path of ['/track', '/en/track', '/track-documents/SZ20260101000001/1', '/en/track-documents/SZ20260101000001/1']) {
      const res = await api().get(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('cache-control'), path).toContain('no-store')
    }
  })
})

describe('a person looking after their account', () => {
  it('sees their profile with the ID number and mobile masked', async () => {
    const c = await signedIn(server.url, 'citizen2')
    const res = await c.get('/api/me/profile')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ username: 'citizen2', idNumberMasked: '440304********002X', mobileMasked: '139****5678' })
    expect(JSON.stringify(res.body)).not.toMatch(/44030419881115002X|13912345678/)
    expect((await api().get('/api/me/profile')).status).toBe(401)
  })

  it('sees their sessions, ends another one, and cannot touch someone else\'s', async () => {
    const person = newPerson()
    const laptop = api()
    await laptop.post('/api/auth/register', person)
    const phone = await new Client(server.url).login(person.username, person.password)
    const list = await laptop.get('/api/me/sessions')
    expect(list.status).toBe(200)
    expect(list.body).toHaveLength(2)
    expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1)
    for (const s of list.body) expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'id', 'lastSeenAt', 'userAgent'])
    const other = list.body.find((s: { current: boolean }) => !s.current)
    const stranger = await signedIn(server.url, 'citizen')
    expect((await stranger.request('DELETE', `/api/me/sessions/${other.id}`)).status).toBe(404)
    expect((await phone.get('/api/auth/me')).status).toBe(200)
    expect((await laptop.request('DELETE', '/api/me/sessions/abc')).status).toBe(404)
    expect((await laptop.request('DELETE', `/api/me/sessions/${other.id}`)).status).toBe(200)
    expect((await phone.get('/api/auth/me')).status).toBe(401)
    expect((await laptop.request('DELETE', `/api/me/sessions/${other.id}`)).status).toBe(404)
  })

  it('hashes the published demo password cheaply, and a password a demo account chooses at the full cost', async () => {
    const hashOf = (username: string) => {
      const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
      try { return db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string }
      finally { db.close() }
    }
    // scrypt$N$r$p$salt$hash: the password everyone can read in the README needs no cost to guess
    expect(hashOf('manager').split('$').slice(0, 4)).toEqual(['scrypt', '4096', '8', '1'])
    const manager = await signedIn(server.url, 'manager')
    expect((await manager.post('/api/me/password', { currentPassword: 'portal-demo-2026', newPassword: 'a manager keeps this one secret' })).status).toBe(200)
    expect(hashOf('manager').split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 17), '8', '1'])
    expect((await api().post('/api/auth/login', { username: 'manager', password: 'a manager keeps this one secret' })).status).toBe(200)
  })

  it('changes the password, which signs out every other device', async () => {
    const person = newPerson()
    const laptop = api()
    await laptop.post('/api/auth/register', person)
    const phone = await new Client(server.url).login(person.username, person.password)
    const wrong = await laptop.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'another sentence to remember' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.data.fieldErrors).toEqual({ currentPassword: 'validation.password.currentWrong' })
    const weak = await laptop.post('/api/me/password', { currentPassword: person.password, newPassword: 'password1234' })
    expect(weak.body.data.fieldErrors).toEqual({ newPassword: 'validation.password.common' })
    // a copy of the laptop's cookie, taken before the change (the reason to change it)
    const copied = new Client(server.url)
    copied.cookie = laptop.cookie
    const ok = await laptop.post('/api/me/password', { currentPassword: person.password, newPassword: 'another sentence to remember' })
    expect(ok.status).toBe(200)
    expect((await phone.get('/api/auth/me')).status).toBe(401)
    expect((await copied.get('/api/auth/me')).status).toBe(401)
    // the laptop goes on under the new cookie the change set
    expect(laptop.cookie).not.toBe(copied.cookie)
    expect((await laptop.get('/api/auth/me')).status).toBe(200)
    expect((await api().post('/api/auth/login', { username: person.username, password: person.password })).status).toBe(401)
    expect((await api().post('/api/auth/login', { username: person.username, password: 'another sentence to remember' })).status).toBe(200)
  })

  it('adds an organisation once, with a valid code, as a citizen only', async () => {
    const c = await signedIn(server.url, 'citizen2')
    const org = { name: '某某商行', uscc: makeUscc('92440300MA5D8K7Q2') }
    const added = await c.post('/api/me/organizations', org)
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject(org)
    expect((await c.post('/api/me/organizations', org)).status).toBe(409)
    const bad = await c.post('/api/me/organizations', { name: '', uscc: 'ABC' })
    expect(bad.body.data.fieldErrors).toEqual({ name: 'validation.required', uscc: 'validation.uscc.format' })
    expect((await c.get('/api/me/organizations')).body).toContainEqual(expect.objectContaining(org))
    const clerk = await signedIn(server.url, 'clerk')
    expect((await clerk.post('/api/me/organizations', org)).status).toBe(403)
  })
})

describe('an auditor reading the audit log', () => {
  it('reads and filters the log, while a citizen is refused and a stranger must sign in', async () => {
    const auditor = await signedIn(server.url, 'auditor')
    const all = await auditor.get('/api/audit?pageSize=5')
    expect(all.status).toBe(200)
    expect(all.body.items.length).toBeGreaterThan(0)
    expect(all.body.items.length).toBeLessThanOrEqual(5)
    await signedIn(server.url, 'citizen')
    const logins = await auditor.get('/api/audit?action=auth.login&actor=citizen')
    expect(logins.body.items.length).toBeGreaterThan(0)
    // an action names its family too: auth.login also finds auth.login.failed, never auth.logout
    for (const i of logins.body.items) {
      expect(i.actorUsername).toBe('citizen')
      expect(i.action).toMatch(/^auth\.login(\.|$)/)
    }
    // an action as the log writes it, capitals and all: a password reset asked for is found by name
    const asked = await api().post('/api/auth/password-reset/request', { idNumber: syntheticIdNumber(7070), mobile: '13900007070' })
    expect(asked.status).toBeLessThan(500)
    const resets = await auditor.get<{ items: { action: string }[] }>('/api/audit?action=account.passwordReset')
    expect(resets.status).toBe(200)
    expect(resets.body.items.length).toBeGreaterThan(0)
    expect(resets.body.items.every(i => i.action.startsWith('account.passwordReset'))).toBe(true)
    expect((await auditor.get('/api/audit?action=1bad')).status).toBe(400)
    expect((await auditor.get('/api/audit?pageSize=0')).status).toBe(400)
    expect((await auditor.get('/api/audit?from=2026-13-01')).status).toBe(400)
    expect((await auditor.get('/api/audit?from=2026-03-02&to=2026-03-01')).status).toBe(400)
    expect((await (await signedIn(server.url, 'citizen')).get('/api/audit')).status).toBe(403)
    expect((await (await signedIn(server.url, 'admin')).get('/api/audit/verify')).status).toBe(403)
    expect((await api().get('/api/audit')).status).toBe(401)
  })

  it('sees the refused attempts and confirms the chain is intact', async () => {
    const auditor = await signedIn(server.url, 'auditor')
    expect((await (await signedIn(server.url, 'clerk')).get('/api/audit')).status).toBe(403)
    const denied = await auditor.get('/api/audit?action=access.denied&actor=clerk')
    expect(denied.body.items.some((i: { subject: string }) => i.subject === 'GET /api/audit')).toBe(true)
    const verify = await auditor.get<AuditChainResult & { published: PublishedVersionsResult }>('/api/audit/verify')
    expect(verify.status).toBe(200)
    expect(verify.body.firstBadId).toBeNull()
    expect(verify.body.checked).toBeGreaterThan(10)
    // and the published guides and forms against the hashes their publications recorded
    expect(verify.body.published).toMatchObject({ mismatches: [] })
    const rows = await auditor.get('/api/audit?pageSize=100')
    expect(JSON.stringify(rows.body)).not.toMatch(/440305199003072319|13800138000|portal-demo-2026/)
  })

  it('keeps personal numbers out of the log where a caller typed them: a refused path, an actor filtered on', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    // refused for the role before its parameters are looked at: the path is the audit row's subject
    expect((await citizen.post('/api/cases/440305199003072319/reveal', {})).status).toBe(403)
    const auditor = await signedIn(server.url, 'auditor')
    // an older username may be a mobile number: the filter is recorded in the audit.read row
    expect((await auditor.get('/api/audit?actor=13912345678')).status).toBe(200)
    const rows = await auditor.get<{ items: { action: string, subject: string | null, detail: unknown }[] }>('/api/audit?pageSize=100')
    const denied = rows.body.items.find(r => r.action === 'access.denied' && r.subject?.startsWith('POST /api/cases/'))
    expect(denied?.subject).toBe('POST /api/cases/440305********2319/reveal')
    expect(rows.body.items.some(r => r.action === 'audit.read' && (r.detail as { actor?: string } | null)?.actor === '139****5678')).toBe(true)
    expect(JSON.stringify(rows.body)).not.toMatch(/440305199003072319|13912345678/)
  })
})
