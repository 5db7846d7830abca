/**
 * A person who forgot their password resets it over HTTP with a code sent by SMS, while someone
 * probing learns nothing about who is registered and cannot guess codes without limit.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { syntheticIdNumber } from '../support/fixtures'
import { useTestServer } from '../support/server'
import { latestResetCode, smsTo } from '../support/sms'

// the default budget of 5 a minute per address; each test speaks from its own address, as
// behind the one reverse proxy TRUST_PROXY=1 declares
const t = useTestServer({ env: { RESET_LIMIT_PER_MINUTE: '5', TRUST_PROXY: '1', OUTBOX_INTERVAL_SECONDS: '0' } })
let lastAddress = 0
const fromNewAddress = () => ({ 'x-forwarded-for': `203.0.113.${++lastAddress}` })

interface Account { username: string, password: string, idNumber: string, mobile: string, client: Client }
let serial = 8100
/** A fresh citizen of this file's own, registered (and so signed in) through the API. */
async function newAccount(): Promise<Account> {
  serial++
  const a = { username: `reset${serial}`, password: `Forgettable-${randomBytes(6).toString('hex')}`, idNumber: syntheticIdNumber(serial), mobile: `136${String(serial).padStart(8, '0')}` }
  const client = new Client(t.url)
  const res = await client.post('/api/auth/register', { ...a, name: '忘记密' })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
  return { ...a, client }
}

describe('asking for a code', () => {
  it('answers the same 202 whether or not the details match an account, and only a match gets an SMS', async () => {
    const a = await newAccount()
    const headers = fromNewAddress()
    const match = await new Client(t.url).post('/api/auth/password-reset/request', { idNumber: a.idNumber, mobile: a.mobile }, headers)
    const noMatch = await new Client(t.url).post('/api/auth/password-reset/request', { idNumber: a.idNumber, mobile: '13500009999' }, headers)
    const nobody = await new Client(t.url).post('/api/auth/password-reset/request', { idNumber: syntheticIdNumber(8999), mobile: '13500009998' }, headers)
    for (const res of [match, noMatch, nobody]) {
      expect(res.status).toBe(202)
      expect(res.body).toEqual({ sent: true })
    }
    expect(latestResetCode(t.server.dataDir, a.mobile)).toMatch(/^\d{6}$/)
    expect(smsTo(t.server.dataDir, '13500009999')).toEqual([])
    expect(smsTo(t.server.dataDir, '13500009998')).toEqual([])
  })

  it('checks the ID number and mobile as registration does', async () => {
    const res = await new Client(t.url).post('/api/auth/password-reset/request', { idNumber: '4403051990030723', mobile: '1380013800' }, fromNewAddress())
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ idNumber: 'validation.idNumber.format', mobile: 'validation.mobile' })
  })
})

describe('setting a new password with the code', () => {
  it('refuses a wrong code and a stranger alike, and a weak new password by its field', async () => {
    const a = await newAccount()
    const headers = fromNewAddress()
    const anyone = new Client(t.url)
    await anyone.post('/api/auth/password-reset/request', { idNumber: a.idNumber, mobile: a.mobile }, headers)
    const code = latestResetCode(t.server.dataDir, a.mobile)
    const wrong = await anyone.post('/api/auth/password-reset/confirm', { idNumber: a.idNumber, mobile: a.mobile, code: String((Number(code) + 1) % 1_000_000).padStart(6, '0'), newPassword: 'my brand new sentence' }, headers)
    const stranger = await anyone.post('/api/auth/password-reset/confirm', { idNumber: syntheticIdNumber(8998), mobile: '13500009997', code, newPassword: 'my brand new sentence' }, headers)
    for (const res of [wrong, stranger]) {
      expect(res.status).toBe(400)
      expect(res.body.data).toEqual({ fieldErrors: { code: 'validation.resetCodeInvalid' } })
    }
    expect(stranger.body).toEqual(wrong.body)
    const weak = await anyone.post('/api/auth/password-reset/confirm', { idNumber: a.idNumber, mobile: a.mobile, code, newPassword: 'password1234' }, headers)
    expect(weak.status).toBe(400)
    expect(weak.body.data.fieldErrors).toEqual({ newPassword: 'validation.password.common' })
  })

  it('sets it with the right code: the old password and the old session stop working, the new one signs in', async () => {
    const a = await newAccount()
    const headers = fromNewAddress()
    const anyone = new Client(t.url)
    await anyone.post('/api/auth/password-reset/request', { idNumber: a.idNumber, mobile: a.mobile }, headers)
    const newPassword = `Remembered-again-${randomBytes(4).toString('hex')}`
    const res = await anyone.post('/api/auth/password-reset/confirm', { idNumber: a.idNumber, mobile: a.mobile, code: latestResetCode(t.server.dataDir, a.mobile), newPassword }, headers)
    expect(res.status).toBe(200)
    expect((await a.client.get('/api/auth/me')).status).toBe(401)
    expect((await new Client(t.url).post('/api/auth/login', { username: a.username, password: a.password })).status).toBe(401)
    expect((await new Client(t.url).post('/api/auth/login', { username: a.username, password: newPassword })).status).toBe(200)
    expect(smsTo(t.server.dataDir, a.mobile).map(s => s.template)).toEqual(['account.passwordReset', 'account.passwordChanged'])
  })
})

describe('one address trying too often', () => {
  it('is stopped after 5 requests a minute, asking and confirming together; another address is not', async () => {
    const headers = fromNewAddress()
    const anyone = new Client(t.url)
    const ask = () => anyone.post('/api/auth/password-reset/request', { idNumber: syntheticIdNumber(8997), mobile: '13500009996' }, headers)
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await ask()).status)
    statuses.push((await anyone.post('/api/auth/password-reset/confirm', { idNumber: syntheticIdNumber(8997), mobile: '13500009996', code: '123456', newPassword: 'my brand new sentence' }, headers)).status)
    const sixth = await ask()
    expect([...statuses, sixth.status]).toEqual([202, 202, 202, 202, 400, 429])
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await anyone.post('/api/auth/password-reset/confirm', {}, headers)).status).toBe(429)
    expect((await anyone.post('/api/auth/password-reset/request', { idNumber: syntheticIdNumber(8997), mobile: '13500009996' }, fromNewAddress())).status).toBe(202)
  })
})
