/**
 * Over HTTP: a person served at the counter whose name, ID number and mobile someone else typed
 * into a registration gets their cases and licences to nobody but themselves. An account sees
 * counter cases and licences only after proving the mobile with the code sent to it, and then
 * also the ones received before.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import type { Person } from '../support/fixtures'
import { counterCase, getCase, RESULT_SERVICE, syntheticIdNumber } from '../support/fixtures'
import { useTestServer } from '../support/server'
import { latestMobileCode, smsTo } from '../support/sms'

const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0' } })

let serial = 8300
/** A fresh person's details, and a registration with them (signed in); `password` for the data export. */
async function register(person: Person): Promise<{ client: Client, password: string }> {
  const password = `Verifiable-${randomBytes(6).toString('hex')}`
  const client = new Client(t.url)
  const res = await client.post('/api/auth/register', { username: `mobile${serial}-${randomBytes(2).toString('hex')}`, password, ...person })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
  return { client, password }
}
function newPerson(): Person {
  serial++
  return { name: '钱核验', idNumber: syntheticIdNumber(serial), mobile: `135${String(serial).padStart(8, '0')}` }
}

/** A counter case of the person, accepted and approved by the clerk: its licence's code. */
async function counterLicence(clerk: Client, person: Person): Promise<{ caseNo: string, code: string }> {
  const caseNo = await counterCase(clerk, RESULT_SERVICE, person)
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version })).status).toBe(200)
  }
  const seen = await clerk.get<{ result: { code: string } }>(`/api/cases/${caseNo}`)
  return { caseNo, code: seen.body.result.code }
}

const heldCodes = async (client: Client) => (await client.get<{ code: string }[]>('/api/me/results')).body.map(r => r.code).sort()

describe('a person back on the page with the code in hand (a phone reloads it on return from the SMS app)', () => {
  it('finds in the profile until when the code sent works and when another may be asked, never the code, and nothing once verified', async () => {
    type Pending = { expiresAt: string, nextCodeAt: string | null } | null
    const person = newPerson()
    const { client } = await register(person)
    const pending = async () => (await client.get<{ mobileCodePending: Pending }>('/api/me/profile')).body.mobileCodePending
    expect(await pending()).toBeNull()
    const before = Date.now()
    expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)
    const profile = await client.get('/api/me/profile')
    const first = profile.body.mobileCodePending as NonNullable<Pending>
    // ten minutes from when it was sent
    expect(Date.parse(first.expiresAt)).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000)
    expect(Date.parse(first.expiresAt)).toBeLessThanOrEqual(Date.now() + 10 * 60_000)
    expect(first.nextCodeAt).toBeNull()
    expect(JSON.stringify(profile.body)).not.toContain(latestMobileCode(t.server.dataDir, person.mobile))

    // the hour's third code: the next may be asked an hour after the first, as a fourth is told
    for (let i = 0; i < 2; i++) expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)
    const third = (await pending())!
    expect(Date.parse(third.nextCodeAt!)).toBeGreaterThanOrEqual(before + 60 * 60_000 - 1000)
    const refused = await client.post('/api/me/mobile/verification', {})
    expect(refused).toMatchObject({ status: 429, body: { data: { reason: 'hourlyLimit', retryAt: third.nextCodeAt } } })

    // the code received verifies; nothing is pending after
    expect((await client.post('/api/me/mobile/verification/confirm', { code: latestMobileCode(t.server.dataDir, person.mobile) })).status).toBe(200)
    expect((await client.get('/api/me/profile')).body).toMatchObject({ mobileVerified: true, mobileCodePending: null })
  })
})

describe('an account sees nothing from the counter until its mobile is verified', () => {
  it('registered with the person\'s details, it gets neither their licence nor their next case; verified by the code, both and the earlier one', async () => {
    const clerk = await signedIn(t.url, 'clerk')
    const person = newPerson()
    const before = await counterLicence(clerk, person)
    const { client, password } = await register(person)
    expect((await client.get('/api/auth/me')).body).toMatchObject({ mobileVerified: false, mobileMasked: `135****${person.mobile.slice(-4)}` })
    expect((await client.get('/api/me/profile')).body).toMatchObject({ mobileVerified: false })
    const after = await counterLicence(clerk, person)
    expect(await heldCodes(client)).toEqual([])
    expect((await client.get(`/api/cases/${after.caseNo}`)).status).toBe(404)
    expect((await client.post(`/api/me/shared-materials/results/${before.code}/attach`)).status).toBe(404)

    const asked = await client.post('/api/me/mobile/verification', {})
    expect(asked).toMatchObject({ status: 202, body: { sent: true, minutes: 10 } })
    const code = latestMobileCode(t.server.dataDir, person.mobile)
    expect(code).toMatch(/^\d{6}$/)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    expect((await client.post('/api/me/mobile/verification/confirm', { code: wrong })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { code: 'validation.resetCodeInvalid' } } })
    expect(await client.post('/api/me/mobile/verification/confirm', { code })).toMatchObject({ status: 200, body: { mobileVerified: true } })

    expect((await client.get('/api/auth/me')).body).toMatchObject({ mobileVerified: true })
    expect((await client.get('/api/me/profile')).body).toMatchObject({ mobileVerified: true })
    // the rule is read at each look: the licences of both unlinked counter cases are theirs now
    expect(await heldCodes(client)).toEqual([before.code, after.code].sort())
    expect((await client.post(`/api/me/shared-materials/results/${before.code}/attach`)).status).toBe(200)
    const copy = await client.post<{ profile: { mobileVerifiedAt: string | null }, cases: { caseNo: string }[] }>('/api/me/data-export', { password })
    expect(copy.body.profile.mobileVerifiedAt).toEqual(expect.any(String))
    expect(copy.body.cases.map(c => c.caseNo).sort()).toEqual([before.caseNo, after.caseNo].sort())
    // and the next counter case is linked to the account at intake
    const next = await counterCase(clerk, RESULT_SERVICE, person)
    expect((await client.get(`/api/cases/${next}`)).status).toBe(200)
    // verified once is enough
    expect(await client.post('/api/me/mobile/verification', {})).toMatchObject({ status: 409, body: { data: { reason: 'alreadyVerified' } } })
  })
})

describe('the code is worth little to a guesser', () => {
  it('three codes an hour, then 429 saying when; five wrong tries void the code', async () => {
    const person = newPerson()
    const { client } = await register(person)
    for (let i = 0; i < 3; i++) expect((await client.post('/api/me/mobile/verification', {})).status).toBe(202)
    const capped = await client.post<{ data: { reason: string, retryAt: string } }>('/api/me/mobile/verification', {})
    expect(capped).toMatchObject({ status: 429, body: { data: { reason: 'hourlyLimit' } } })
    expect(Date.parse(capped.body.data.retryAt)).toBeGreaterThan(Date.now() + 50 * 60_000)
    expect(smsTo(t.server.dataDir, person.mobile).filter(s => s.template === 'account.mobileVerify')).toHaveLength(3)
    const code = latestMobileCode(t.server.dataDir, person.mobile)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    for (let i = 0; i < 5; i++) expect((await client.post('/api/me/mobile/verification/confirm', { code: wrong })).status).toBe(400)
    expect((await client.post('/api/me/mobile/verification/confirm', { code })).status).toBe(400)
    expect((await client.get('/api/auth/me')).body).toMatchObject({ mobileVerified: false })
  })
})
