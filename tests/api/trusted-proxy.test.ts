/**
 * TRUST_PROXY names the proxies whose X-Forwarded-* headers are believed. A client that reaches
 * the portal's port directly, not through one of them, cannot choose its address (and so a fresh
 * per-address budget) or claim HTTPS with a header; a malformed list stops the server at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { startServer, stopServer } from '../support/server'
import type { TestServer } from '../support/server'

const TRACK = '/api/track?caseNo=SZ20260101000001&idNumber=440305199003072319'
const LIMITS = { TRACK_LIMIT_PER_MINUTE: '3', TRACK_FAILURES_PER_DAY: '1000', BACKUP_INTERVAL_HOURS: '0' }

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
})

describe('with the client\'s address among the proxies listed', () => {
  // 127.0.0.1, where the tests connect from, in a range of the list (TRUST_PROXY=1, a proxy on
  // this machine, is what the other API tests run behind)
  let server: TestServer
  beforeAll(async () => { server = await startServer({ env: { ...LIMITS, TRUST_PROXY: '10.0.0.5, 127.0.0.0/8' } }) })
  afterAll(async () => { if (server) await stopServer(server) })

  it('counts the address the proxy appended, each client on its own budget', async () => {
    expect(await statuses(server.url, 4, i => `10.0.0.${i}, 203.0.113.9`)).toEqual([404, 404, 404, 429])
    expect(await statuses(server.url, 1, () => '203.0.113.10')).toEqual([404])
  })

  it('believes its X-Forwarded-Proto: the session cookie is Secure', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': 'https://portal.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example' },
      body: JSON.stringify({ username: 'citizen', password: 'portal-demo-2026' }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie().find(c => c.startsWith('portal_session='))).toMatch(/;\s*Secure/i)
  })
})

describe('a malformed TRUST_PROXY', () => {
  it('stops the server at start, naming the entry', async () => {
    await expect(startServer({ env: { TRUST_PROXY: '10.0.0.0/33', BACKUP_INTERVAL_HOURS: '0' } })).rejects.toThrow(/TRUST_PROXY: "10\.0\.0\.0\/33" is not an address or a CIDR range/)
  })
})
