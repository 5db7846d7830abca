/**
 * TRUST_PROXY names the proxies whose X-Forwarded-* headers are believed. A client that reaches
 * the portal's port directly, not through one of them, cannot choose its address (and so a fresh
 * per-address budget) or claim HTTPS with a header; a malformed list stops the server at start.
 */
import { request } from 'node:http'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { CLERK_SERVICE, counterCase, demoPerson, syntheticIdNumber } from '../support/fixtures'
import { startServer, stopServer } from '../support/server'
import type { TestServer } from '../support/server'

const TRACK = '/api/track?caseNo=SZ20260101000001&idNumber=440305199003072319'
const LIMITS = { TRACK_LIMIT_PER_MINUTE: '3', TRACK_FAILURES_PER_DAY: '1000', BACKUP_INTERVAL_HOURS: '0' }

/**
 * The address in the audit row of a clerk opening a case page rendered on the server: the page's
 * render reads the case through the API in-process, and that read is audited.
 */
async function auditedAddressOfPageRead(server: TestServer, headers: Record<string, string>, serial: number): Promise<string[]> {
  const clerk = await signedIn(server.url, 'clerk')
  const caseNo = await counterCase(clerk, CLERK_SERVICE, { name: '钱代理', idNumber: syntheticIdNumber(serial), mobile: '13900007000' })
  const page = await clerk.get<string>(`/clerk/cases/${caseNo}`, headers)
  expect(page.status).toBe(200)
  expect(page.body).toContain(caseNo)
  const db = new Database(join(server.dataDir, 'portal.db'), { readonly: true })
  try {
    return db.prepare(`SELECT ip FROM audit_log WHERE action = 'case.read' AND subject = ? ORDER BY id`).pluck().all(caseNo) as string[]
  }
  finally {
    db.close()
  }
}

/** A GET with its Host header as written (fetch does not let a caller set Host). */
function statusWithHost(url: string, path: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    }).on('error', reject).end()
  })
}

async function statuses(url: string, times: number, forwardedFor: (i: number) => string): Promise<number[]> {
  const anyone = new Client(url)
  const out: number[] = []
  for (let i = 0; i < times; i++) out.push((await anyone.get(TRACK, { 'x-forwarded-for': forwardedFor(i) })).status)
  return out
}

describe('with the proxy at another address than the client\'s', () => {
  // the tests connect from 127.0.0.1: not the proxy the portal was told of
  let server: TestServer
  beforeAll(async () => { server = await startServer({ env: { ...LIMITS, TRUST_PROXY: '203.0.113.1, 10.8.0.0/16' } }) })
  afterAll(async () => { if (server) await stopServer(server) })

  it('counts the connection\'s own address, whatever X-Forwarded-For it writes', async () => {
    expect(await statuses(server.url, 4, i => `198.51.100.${i}`)).toEqual([404, 404, 404, 429])
  })

  it('does not take X-Forwarded-Proto from it: the session cookie is not marked Secure over plain HTTP', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': server.url, 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.getSetCookie().find(c => c.startsWith('portal_session='))
    expect(cookie).toBeDefined()
    expect(cookie).not.toMatch(/;\s*Secure/i)
  })

  it('takes a write from an https Origin it sees over plain HTTP (a TLS proxy it was not told of), as the same site', async () => {
    const host = new URL(server.url).host
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': `https://${host}` },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    expect(res.status).toBe(200)
  })

  it('never believes the client handed on to a render when the client writes it itself, an error page included', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const token = citizen.cookie.split('=')[1]!
    // a missing script is answered with the error page, rendered in-process before any middleware ran
    const page = await fetch(`${server.url}/_nuxt/no-such-chunk.js`, {
      headers: { 'accept': 'text/html', 'cookie': `__Host-portal_session=${token}`, 'x-portal-render-client': JSON.stringify({ ip: '6.6.6.6', https: true }) },
    })
    expect(page.status).toBe(404)
    expect(page.headers.get('strict-transport-security')).toBeNull()
    expect(await page.text()).not.toContain(demoPerson('citizen').name)
  })

  it('audits a page\'s reads at the connection\'s own address', async () => {
    expect(await auditedAddressOfPageRead(server, { 'x-forwarded-for': '198.51.100.77' }, 7001)).toEqual(['127.0.0.1'])
  })
})

describe('with the client\'s address among the proxies listed', () => {
  // 127.0.0.1, where the tests connect from, in a range of the list (TRUST_PROXY=1, a proxy on
  // this machine, is what the other API tests run behind)
  let server: TestServer
  beforeAll(async () => { server = await startServer({ env: { ...LIMITS, TRUST_PROXY: '10.0.0.5, 127.0.0.0/8', HEALTH_TOKEN: 'monitor-elsewhere-2026' } }) })
  afterAll(async () => { if (server) await stopServer(server) })

  it('tells a client elsewhere only that the database answers; a monitor on this machine, or one with HEALTH_TOKEN, the details', async () => {
    const health = (headers: Record<string, string>) => new Client(server.url).get<Record<string, unknown>>('/api/health', headers)
    const outside = await health({ 'x-forwarded-for': '198.51.100.7' })
    expect(outside.status).toBe(200)
    expect(outside.body).toEqual({ ok: true, database: 'ok' })
    expect((await health({ 'x-forwarded-for': '198.51.100.7', 'authorization': 'Bearer not-the-token-2026' })).body).toEqual({ ok: true, database: 'ok' })
    const monitor = await health({ 'x-forwarded-for': '198.51.100.7', 'authorization': 'Bearer monitor-elsewhere-2026' })
    expect(monitor.body).toMatchObject({ ok: true, database: 'ok', outbox: { backlog: expect.any(Number) }, backup: expect.any(Object), uploads: expect.any(Object) })
    expect((await health({})).body).toMatchObject({ outbox: { backlog: expect.any(Number) } })
  })

  it('counts the address the proxy appended, each client on its own budget', async () => {
    expect(await statuses(server.url, 4, i => `10.0.0.${i}, 203.0.113.9`)).toEqual([404, 404, 404, 429])
    expect(await statuses(server.url, 1, () => '203.0.113.10')).toEqual([404])
  })

  it('believes its X-Forwarded-Proto: the session cookie is the __Host- one, Secure, for the whole host only', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example' }
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': 'https://portal.example', ...https },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    expect(res.status).toBe(200)
    const cookies = res.headers.getSetCookie()
    expect(cookies.some(c => c.startsWith('portal_session='))).toBe(false)
    const cookie = cookies.find(c => c.startsWith('__Host-portal_session='))!
    expect(cookie).toMatch(/;\s*Secure/i)
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i)
    expect(cookie).not.toMatch(/;\s*Domain=/i)
    const token = cookie.split(';')[0]!.split('=')[1]!
    const me = (name: string, headers: Record<string, string>) => fetch(`${server.url}/api/auth/me`, { headers: { cookie: `${name}=${token}`, ...headers } })
    expect((await me('__Host-portal_session', https)).status).toBe(200)
    // the same token in a cookie without the prefix, as a subdomain could plant one, is no session over HTTPS
    expect((await me('portal_session', https)).status).toBe(401)
    // a page rendered on the server reads the person through the API in-process, with the same cookie
    const page = await fetch(`${server.url}/services/SZRS-0011`, { headers: { cookie: `__Host-portal_session=${token}`, ...https } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(demoPerson('citizen').name)

    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: `__Host-portal_session=${token}`, origin: 'https://portal.example', ...https } })
    expect(out.status).toBe(200)
    // the browser drops a __Host- cookie only when told so with Secure and Path=/
    const cleared = out.headers.getSetCookie().find(c => c.startsWith('__Host-portal_session='))
    expect(cleared).toMatch(/;\s*Max-Age=0/i)
    expect(cleared).toMatch(/;\s*Secure/i)
  })

  it('refuses a write over HTTPS from the same host\'s plain-HTTP page, which anyone on the way could have written', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example' }
    const login = (origin: string) => fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...https },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    const refused = await login('http://portal.example')
    expect(refused.status).toBe(403)
    expect(refused.headers.getSetCookie()).toEqual([])
    expect((await login('https://portal.example')).status).toBe(200)
  })

  it('audits a page\'s reads, made by its server render, at the address the proxy appended', async () => {
    expect(await auditedAddressOfPageRead(server, { 'x-forwarded-for': '10.0.0.1, 203.0.113.77' }, 7002)).toEqual(['203.0.113.77'])
  })
})

describe('without TRUST_PROXY, at the documented default limits', () => {
  // the defaults an acceptance run or a monitor on the server itself meets, not the raised ones
  // the other API tests run with
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ env: { LOGIN_LIMIT_PER_MINUTE: '30', REGISTER_LIMIT_PER_MINUTE: '10', TRACK_LIMIT_PER_MINUTE: '30', TRACK_FAILURES_PER_DAY: '1000', BACKUP_INTERVAL_HOURS: '0' } })
  })
  afterAll(async () => { if (server) await stopServer(server) })

  it('does not count a tool on this machine against the per-address budgets', async () => {
    // eleven registrations and thirty-one look-ups within the minute, one past each budget
    const anyone = new Client(server.url)
    const registered: number[] = []
    for (let i = 0; i < 11; i++) {
      const person = { name: `本机${i}`, idNumber: syntheticIdNumber(7100 + i), mobile: `1390710${String(i).padStart(4, '0')}` }
      registered.push((await anyone.post('/api/auth/register', { username: `local${i}`, password: `Reliable-local-${i}-2026`, ...person })).status)
    }
    expect(registered).toEqual(Array<number>(11).fill(201))
    const looked: number[] = []
    for (let i = 0; i < 31; i++) looked.push((await anyone.get(TRACK)).status)
    expect(looked).toEqual(Array<number>(31).fill(404))
  })

  it('counts a proxy on this machine it was not told of as one address, and names it in the log once', async () => {
    const looked = await statuses(server.url, 31, i => `198.51.100.${i}`)
    expect(looked.slice(0, 30)).toEqual(Array<number>(30).fill(404))
    expect(looked[30]).toBe(429)
    // a TLS terminator passing HTTP through adds no header, but asks for the portal's public name:
    // the same one address, its budget spent
    expect(await statusWithHost(server.url, TRACK, 'portal.example')).toBe(429)
    // a tool asking for the portal at this machine's own name is still not counted
    expect(await statusWithHost(server.url, TRACK, 'localhost')).toBe(404)
    expect(server.output.match(/"event":"proxy\.undeclared"/g)).toHaveLength(1)
  })
})

describe('a malformed TRUST_PROXY', () => {
  it('stops the server at start, naming the entry', async () => {
    await expect(startServer({ env: { TRUST_PROXY: '10.0.0.0/33', BACKUP_INTERVAL_HOURS: '0' } })).rejects.toThrow(/TRUST_PROXY: "10\.0\.0\.0\/33" is not an address or a CIDR range/)
  })
})
