/**
 * The first working day after a holiday, at nine: more people sign in at once than passwords can
 * be hashed (two at a time, eight waiting; server/services/passwords.ts). The rest are told at
 * once that the portal is busy and when to try again, rather than queuing until the proxy times
 * out; nothing of a refused sign-in is checked or audited (that it counts towards no lock is
 * tests/unit/accounts-login.test.ts's).
 */
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { useTestServer } from '../support/server'

// many sign-ins from one address in a moment: above the per-address limit, which answers 429 first
const server = useTestServer({ env: { LOGIN_LIMIT_PER_MINUTE: '1000' } })

describe('more sign-ins at once than passwords can be hashed', () => {
  it('answers the surplus 503 with Retry-After and the reason to show, and audits only the sign-ins it checked', async () => {
    // thirty names nobody has: five wrong passwords under one name lock it, as an account's would
    const attempts = Array.from({ length: 30 }, (_, i) => new Client(server.url).post('/api/auth/login', { username: `nobody-signs-in-as-this-${i}`, password: 'not-the-password' }))
    const answers = await Promise.all(attempts)
    const busy = answers.filter(a => a.status === 503)
    const checked = answers.filter(a => a.status === 401)
    expect(busy.length + checked.length).toBe(30)
    // two hashing and eight waiting at most: the thirty arrive while the first hashes run (scrypt
    // takes a tenth of a second or more), so some are turned away, however slow the machine
    expect(busy.length).toBeGreaterThan(0)
    for (const b of busy) {
      expect(b.headers.get('retry-after')).toBe('2')
      expect(b.body).toMatchObject({ statusCode: 503, message: 'account.busy', data: { reason: 'account.busy', retryAfterSeconds: 2 } })
    }

    const auditor = await signedIn(server.url, 'auditor')
    const failed = (await auditor.get<{ total: number }>('/api/audit?action=auth.login.failed&pageSize=100')).body
    expect(failed.total).toBe(checked.length)
    // and the portal signs people in again once the surplus is gone
    expect((await new Client(server.url).post('/api/auth/login', { username: 'citizen', password: 'portal-demo-2026' })).status).toBe(200)
  })
})
