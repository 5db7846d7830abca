/**
 * Per-address limits keep their own budgets: someone checking licences or tracking cases from a
 * shared address (an HR desk, a service hall behind one NAT) is slowed down in that, and is not
 * locked out of signing in.
 */
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { LOGIN_LIMIT_PER_MINUTE: '3', TRACK_LIMIT_PER_MINUTE: '3', VERIFY_LIMIT_PER_MINUTE: '3' } })
const TRACK = '/api/track?caseNo=SZ20260101000001&idNumber=440305199003072319'
const VERIFY = '/api/verify/AAAABBBBCCCCDDDD'

async function statuses(path: string, times: number): Promise<number[]> {
  const anyone = new Client(server.url)
  const out: number[] = []
  for (let i = 0; i < times; i++) out.push((await anyone.get(path)).status)
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
