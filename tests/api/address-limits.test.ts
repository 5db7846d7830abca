/**
 * Per-address limits keep their own budgets: someone checking licences or tracking cases from a
 * shared address (an HR desk, a service hall behind one NAT) is slowed down in that, and is not
 * locked out of signing in.
 */
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { useTestServer } from '../support/server'

// As behind the one reverse proxy TRUST_PROXY=1 declares; requests without X-Forwarded-For are
// counted by their own address.
// one case number is looked up again and again here: its daily lock (tests/api/track-limits.test.ts) is not what this tests
const server = useTestServer({ env: { LOGIN_LIMIT_PER_MINUTE: '3', TRACK_LIMIT_PER_MINUTE: '3', VERIFY_LIMIT_PER_MINUTE: '3', REAUTH_LIMIT_PER_MINUTE: '3', TRACK_FAILURES_PER_DAY: '1000', TRUST_PROXY: '1' } })
const TRACK = '/api/track?caseNo=SZ20260101000001&idNumber=440305199003072319'
const VERIFY = '/api/verify/AAAABBBBCCCCDDDD'

async function statuses(path: string, times: number, forwardedFor?: (i: number) => string): Promise<number[]> {
  const anyone = new Client(server.url)
  const out: number[] = []
  for (let i = 0; i < times; i++) out.push((await anyone.get(path, forwardedFor ? { 'x-forwarded-for': forwardedFor(i) } : {})).status)
  return out
}

describe('one address using up one budget', () => {
  it('tracking and verifying are limited each on its own, and signing in still works', async () => {
    expect(await statuses(TRACK, 4)).toEqual([404, 404, 404, 429])
    expect(await statuses(VERIFY, 4)).toEqual([404, 404, 404, 429])
    const login = await new Client(server.url).post('/api/auth/login', { username: 'citizen', password: 'portal-demo-2026' })
    expect(login.status).toBe(200)
  })
})

describe('an account asking for its own password again and again', () => {
  it('is limited per address, whether the password is right or not, and signing in still works', async () => {
    const me = await new Client(server.url).login('citizen2', 'portal-demo-2026')
    const asked: number[] = []
    // right passwords count towards no lock: each would take a place at the server's hashing gate
    for (let i = 0; i < 4; i++) asked.push((await me.post('/api/me/data-export', { password: 'portal-demo-2026' })).status)
    expect(asked).toEqual([200, 200, 200, 429])
    // the budget is shared by every request that asks for the password again
    expect((await me.post('/api/me/password', { currentPassword: 'portal-demo-2026', newPassword: 'another sentence to remember' })).status).toBe(429)
    expect((await new Client(server.url).post('/api/auth/login', { username: 'citizen', password: 'portal-demo-2026' })).status).toBe(200)
  })
})

describe('behind the reverse proxy', () => {
  it('counts the address the proxy appended, not the ones the client wrote before it', async () => {
    // the proxy appends 203.0.113.9, where the client connected from, to whatever the client sent
    expect(await statuses(TRACK, 4, i => `10.0.0.${i}, 203.0.113.9`)).toEqual([404, 404, 404, 429])
    // another client behind the same proxy has its own budget
    expect(await statuses(TRACK, 1, () => '203.0.113.10')).toEqual([404])
  })
})
