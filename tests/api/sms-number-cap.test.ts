/**
 * Over HTTP, the flood the security review found: one address registers account after account
 * with a stranger's mobile (any mobile and any well-formed ID number are accepted) and has each
 * ask for a verification code, then asks for password resets to the same number. The number gets
 * 5 codes in the hour and no more; the verification says when to try again, and the password
 * reset answers as it always does, so nobody learns whether the number has an account. The
 * number's holder, who proved it theirs, still gets a password-reset code: theirs are counted apart.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { syntheticIdNumber } from '../support/fixtures'
import { useTestServer } from '../support/server'
import { latestMobileCode, smsTo } from '../support/sms'

const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })

const VICTIM = '13800138000'

/** A fresh account with the victim's mobile, signed in, as the flood makes them. */
async function squatter(serial: number): Promise<{ client: Client, idNumber: string }> {
  const client = new Client(t.url)
  const idNumber = syntheticIdNumber(serial)
  const res = await client.post('/api/auth/register', { username: `x${serial}-${randomBytes(2).toString('hex')}`, password: `Flooding-${randomBytes(6).toString('hex')}`, name: '张三', idNumber, mobile: VICTIM })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
  return { client, idNumber }
}

describe('codes to one mobile number, however many accounts ask', () => {
  it('sends 5 in an hour, then answers 429 with when to try again; the password reset answers 202 as ever and sends nothing', async () => {
    const accounts = []
    for (let i = 0; i < 6; i++) accounts.push(await squatter(8800 + i))
    for (const { client } of accounts.slice(0, 5)) expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)

    const capped = await accounts[5]!.client.post<{ data: { reason: string, retryAt: string } }>('/api/me/mobile/verification', {})
    expect(capped).toMatchObject({ status: 429, body: { data: { reason: 'hourlyLimit' } } })
    expect(Date.parse(capped.body.data.retryAt)).toBeGreaterThan(Date.now() + 50 * 60_000)
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(50 * 60)

    // a reset for an account with the number, and for a number no account has: the same answer
    const anonymous = new Client(t.url)
    const forAccount = await anonymous.post('/api/auth/password-reset/request', { idNumber: accounts[5]!.idNumber, mobile: VICTIM })
    const forNobody = await anonymous.post('/api/auth/password-reset/request', { idNumber: syntheticIdNumber(8899), mobile: '13700137000' })
    expect(forAccount).toMatchObject({ status: 202, body: { sent: true } })
    expect(forNobody).toMatchObject({ status: forAccount.status, body: forAccount.body })

    expect(smsTo(t.server.dataDir, VICTIM).map(s => s.template)).toEqual(Array(5).fill('account.mobileVerify'))
  })

  it('still sends the holder, who proved the number theirs, a password-reset code once strangers have used up its hour', async () => {
    const HOLDER = '13900139001'
    const register = async (serial: number) => {
      const client = new Client(t.url)
      const idNumber = syntheticIdNumber(serial)
      const res = await client.post('/api/auth/register', { username: `h${serial}-${randomBytes(2).toString('hex')}`, password: `Holding-${randomBytes(6).toString('hex')}`, name: '张三', idNumber, mobile: HOLDER })
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
      return { client, idNumber }
    }
    const holder = await register(8900)
    expect((await holder.client.post('/api/me/mobile/verification', {})).status).toBe(202)
    expect((await holder.client.post('/api/me/mobile/verification/confirm', { code: latestMobileCode(t.server.dataDir, HOLDER) })).status).toBe(200)
    const strangers = []
    for (let i = 1; i <= 5; i++) strangers.push(await register(8900 + i))
    for (const { client } of strangers.slice(0, 4)) expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)
    expect((await strangers[4]!.client.post('/api/me/mobile/verification', {})).status).toBe(429)

    expect((await new Client(t.url).post('/api/auth/password-reset/request', { idNumber: holder.idNumber, mobile: HOLDER })).status).toBe(202)
    expect(smsTo(t.server.dataDir, HOLDER).map(s => s.template)).toEqual([...Array(5).fill('account.mobileVerify'), 'account.passwordReset'])
  })
})
