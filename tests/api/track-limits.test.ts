/**
 * Public tracking as a guesser meets it: the masked ID number printed on an e-licence leaves only
 * the birth date to guess, so a case number answers 429 for the rest of the day after five failed
 * look-ups, from however many addresses, and so does an ID number tried against many case
 * numbers. The applicant still sees the case signed in. The portal's page asks with POST, so the
 * ID number stays out of URLs; and an IPv6 client is one client for all of its /64.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { CLERK_SERVICE, counterCase, demoPerson, submitOnline, syntheticIdNumber } from '../support/fixtures'
import { useTestServer } from '../support/server'
import { makeIdNumber } from '../../shared/utils/id-number'

// behind the one trusted proxy: each request says where it came from in X-Forwarded-For
const t = useTestServer({ env: { TRACK_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1', OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0' } })

let nextAddress = 1
/** A fresh IPv4 address per request, so that the per-address limit never answers first. */
const fresh = () => ({ 'x-forwarded-for': `198.51.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}` })
const anyone = () => new Client(t.url)
const getTrack = (caseNo: string, idNumber: string, headers: Record<string, string> = fresh()) =>
  anyone().get(`/api/track?caseNo=${caseNo}&idNumber=${idNumber}`, headers)
const postTrack = (body: unknown, headers: Record<string, string> = fresh()) => anyone().post('/api/track', body, headers)

function lockRows(): { subject: string, detail: string }[] {
  const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
  try {
    return db.prepare('SELECT subject, detail FROM audit_log WHERE action = \'track.locked\'').all() as { subject: string, detail: string }[]
  }
  finally { db.close() }
}

let clerk: Client
beforeAll(async () => { clerk = await new Client(t.url).login('clerk') })

describe('the tracking page\'s POST', () => {
  it('answers exactly as the GET: the case for the right pair, 404 for a wrong one', async () => {
    const person = { name: '邮递员', idNumber: syntheticIdNumber(501), mobile: '13900005010' }
    const caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    const got = await getTrack(caseNo, person.idNumber)
    const posted = await postTrack({ caseNo: ` ${caseNo.toLowerCase()}`, idNumber: person.idNumber.toLowerCase() })
    expect(got.status).toBe(200)
    expect(posted.status).toBe(200)
    expect(posted.headers.get('cache-control')).toBe('no-store')
    expect(posted.body).toEqual(got.body)
    expect((await postTrack({ caseNo, idNumber: syntheticIdNumber(502) })).status).toBe(404)
    expect((await getTrack(caseNo, syntheticIdNumber(502))).status).toBe(404)
  })

  it('refuses malformed input with the same field errors, another site, and a body that is not JSON', async () => {
    const id = syntheticIdNumber(503)
    expect((await postTrack({ caseNo: 'abc', idNumber: id })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { caseNo: 'validation.query.caseNo' } } })
    expect((await getTrack('abc', id)).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { caseNo: 'validation.query.caseNo' } } })
    expect((await postTrack({ caseNo: 'SZ20260101000001', idNumber: '12345' })).body).toMatchObject({ data: { fieldErrors: { idNumber: 'validation.idNumber.format' } } })
    expect((await postTrack({ caseNo: 'SZ20260101000001' })).body).toMatchObject({ data: { fieldErrors: { idNumber: 'validation.required' } } })
    expect((await postTrack({ caseNo: ['SZ20260101000001'], idNumber: id })).body).toMatchObject({ data: { fieldErrors: { caseNo: 'validation.invalidType' } } })
    expect((await postTrack({ caseNo: 'SZ20260101000001', idNumber: id }, { ...fresh(), origin: 'https://evil.example' })).status).toBe(403)
    expect((await postTrack(`caseNo=SZ20260101000001&idNumber=${id}`, { ...fresh(), 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
  })
})

describe('guessing the ID number of one case', () => {
  it('locks the case number after five failures from five addresses, the right pair too, and the applicant still sees it signed in', async () => {
    const citizen = await new Client(t.url).login('citizen')
    const me = demoPerson('citizen')
    const { caseNo } = await submitOnline(citizen, me, CLERK_SERVICE, 'track-lock')
    // the masked number on the licence: the same region and sequence, birth dates guessed, each
    // with its own check character (one that does not fit is refused as a typo, see below)
    const guesses = [1, 2, 3, 4, 5].map(n => makeIdNumber(`${me.idNumber.slice(0, 6)}1980010${n}${me.idNumber.slice(14, 17)}`))
    const failed = []
    for (const [i, g] of guesses.entries()) failed.push((i % 2 ? await getTrack(caseNo, g) : await postTrack({ caseNo, idNumber: g })).status)
    expect(failed).toEqual([404, 404, 404, 404, 404])

    const right = await postTrack({ caseNo, idNumber: me.idNumber })
    expect(right.status).toBe(429)
    expect(right.body).toMatchObject({ statusCode: 429, data: { reason: 'trackLocked' } })
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(86_400)
    expect((await getTrack(caseNo, me.idNumber)).status).toBe(429)
    expect((await citizen.get(`/api/cases/${caseNo}`)).status).toBe(200)

    const rows = lockRows().filter(r => r.subject === caseNo)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.detail).not.toContain(me.idNumber.slice(0, 6))
  })
})

describe('a mistyped ID number', () => {
  it('is told as a typo (a wrong check character, a birth date that cannot be) and costs none of the day\'s failures', async () => {
    const person = { name: '打错字', idNumber: syntheticIdNumber(504), mobile: '13900005040' }
    const caseNo = await counterCase(clerk, CLERK_SERVICE, person)
    const wrongCheck = `${person.idNumber.slice(0, 17)}${person.idNumber[17] === '0' ? '1' : '0'}`
    for (let n = 0; n < 6; n++) {
      expect((await postTrack({ caseNo, idNumber: wrongCheck })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { idNumber: 'validation.idNumber.checksum' } } })
    }
    const unborn = makeIdNumber(`${person.idNumber.slice(0, 6)}20991231${person.idNumber.slice(14, 17)}`)
    expect((await getTrack(caseNo, unborn)).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { idNumber: 'validation.idNumber.birthDate' } } })
    expect((await postTrack({ caseNo, idNumber: person.idNumber })).status).toBe(200)
  })
})

describe('walking case numbers with one ID number', () => {
  it('locks the ID number after five failures: its own case then answers 429 too', async () => {
    const citizen2 = await new Client(t.url).login('citizen2')
    const person = demoPerson('citizen2')
    const { caseNo } = await submitOnline(citizen2, person, CLERK_SERVICE, 'track-walk')
    const walked = [1, 2, 3, 4, 5].map(n => `${caseNo.slice(0, 10)}${String(900_000 + n)}`)
    const failed = []
    for (const c of walked) failed.push((await postTrack({ caseNo: c, idNumber: person.idNumber })).status)
    expect(failed).toEqual([404, 404, 404, 404, 404])
    expect((await postTrack({ caseNo, idNumber: person.idNumber })).status).toBe(429)
    const audited = JSON.stringify(lockRows())
    expect(audited).toMatch(/"?idNumber:[0-9a-f]{32}/)
    expect(audited).not.toContain(person.idNumber)
  })
})

describe('an IPv6 client', () => {
  // a made-up case number and ID number per request: only the per-address limit can answer 429
  let serial = 600
  const lookUp = (address: string) => getTrack(`SZ20260102${String(serial).padStart(6, '0')}`, syntheticIdNumber(serial++), { 'x-forwarded-for': address })

  it('has one budget for its whole /64, and a neighbouring /64 has its own', async () => {
    const statuses = []
    for (const a of ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:ffff:1:2:3', '2001:db8:7:1::abcd']) statuses.push((await lookUp(a)).status)
    expect(statuses).toEqual([404, 404, 404, 429])
    expect((await lookUp('2001:db8:7:2::1')).status).toBe(404)
  })

  it('writing an IPv4 address as IPv4-mapped IPv6 spends the same budget', async () => {
    const statuses = []
    for (const a of ['203.0.113.77', '::ffff:203.0.113.77', '203.0.113.77', '::ffff:cb00:714d']) statuses.push((await lookUp(a)).status)
    expect(statuses).toEqual([404, 404, 404, 429])
  })
})
