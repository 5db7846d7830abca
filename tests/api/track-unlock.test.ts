/**
 * Anyone who knows a case number can lock its public tracking for the day with five wrong ID
 * numbers; the applicant then gets through with a code sent by SMS to the mobile recorded on the
 * case. What the applicant sees: the case, with a code read from their phone (here the SMS's
 * outbox row), once. What a stranger sees: the same 202 whether or not the pair matched or the
 * case's codes ran out, and a wrong code answered as a wrong pair, which never spends or adds to
 * the day's failed look-ups. No code reaches the audit log or the server's log.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { CLERK_SERVICE, counterCase, syntheticIdNumber } from '../support/fixtures'
import type { Person } from '../support/fixtures'
import { useTestServer } from '../support/server'
import { smsTo } from '../support/sms'
import { makeIdNumber } from '../../shared/utils/id-number'

// the sender runs (every second), so that the server's log shows what it writes about each SMS
const t = useTestServer({ env: { TRUST_PROXY: '1', OUTBOX_INTERVAL_SECONDS: '1', BACKUP_INTERVAL_HOURS: '0' } })

let nextAddress = 1
/** A fresh IPv4 address per request, so that the per-address limit never answers first. */
const fresh = () => ({ 'x-forwarded-for': `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}` })
const anyone = () => new Client(t.url)
const track = (body: unknown, headers = fresh()) => anyone().post('/api/track', body, headers)
const askCode = (body: unknown, headers = fresh()) => anyone().post('/api/track/code', body, headers)
const unlock = (body: unknown, headers = fresh()) => anyone().post('/api/track/unlock', body, headers)

const TEMPLATE = 'case.trackCode'
let serial = 7700
function newPerson(): Person {
  serial++
  return { name: '柜台办', idNumber: syntheticIdNumber(serial), mobile: `137${String(serial).padStart(8, '0')}` }
}
/** Same region, birth year and check character as the person's, another birth date: what a guesser tries. */
const guesses = (p: Person) => [1, 2, 3, 4, 5].map(n => makeIdNumber(`${p.idNumber.slice(0, 6)}1980010${n}${p.idNumber.slice(14, 17)}`))
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

/** The codes sent by SMS to the person for tracking, oldest first, as their phone shows them. */
function codesTo(p: Person, caseNo?: string): string[] {
  return smsTo(t.server.dataDir, p.mobile).filter(s => s.template === TEMPLATE && (!caseNo || s.params.caseNo === caseNo)).map(s => String(s.params.code))
}

/** Asks for a code for the right pair and waits for its SMS (the request answers before it looks): the new code. */
async function newCode(p: Person, caseNo: string): Promise<string> {
  const before = codesTo(p, caseNo).length
  expect((await askCode({ caseNo, idNumber: p.idNumber })).status).toBe(202)
  await expect.poll(() => codesTo(p, caseNo).length).toBe(before + 1)
  return codesTo(p, caseNo).at(-1)!
}

function readDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
  try { return fn(db) }
  finally { db.close() }
}
const trackCodeSms = () => readDb(db => db.prepare('SELECT recipient, params FROM outbox WHERE template = ? ORDER BY id').all(TEMPLATE) as { recipient: string, params: string }[])
const auditOf = (action: string) => readDb(db => db.prepare('SELECT subject, detail FROM audit_log WHERE action = ? ORDER BY id').all(action) as { subject: string, detail: string | null }[])

/** Five wrong ID numbers from five addresses: the case number now answers 429, the right pair too. */
async function lockOut(caseNo: string, p: Person): Promise<void> {
  const statuses = []
  for (const g of guesses(p)) statuses.push((await track({ caseNo, idNumber: g })).status)
  expect(statuses).toEqual([404, 404, 404, 404, 404])
  const right = await track({ caseNo, idNumber: p.idNumber })
  expect(right.status).toBe(429)
  expect(right.body).toMatchObject({ data: { reason: 'trackLocked' } })
}

let clerk: Client
beforeAll(async () => { clerk = await new Client(t.url).login('clerk') })

describe('the applicant locked out by a stranger', () => {
  it('asks for a code, reads it in the SMS to the mobile on the case, and sees the case as a look-up shows it, once', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    const before = await track({ caseNo, idNumber: p.idNumber })
    expect(before.status).toBe(200)
    await lockOut(caseNo, p)

    const asked = await askCode({ caseNo, idNumber: p.idNumber })
    expect(asked.status).toBe(202)
    expect(asked.body).toEqual({ sent: true, minutes: 10 })
    await expect.poll(() => codesTo(p, caseNo).length).toBe(1)
    const [code] = codesTo(p, caseNo)
    expect(code).toMatch(/^\d{6}$/)
    // the SMS went to the mobile the counter recorded on the case, and to no one else
    const recorded = readDb(db => db.prepare('SELECT applicant_mobile AS m FROM cases WHERE case_no = ?').get(caseNo) as { m: string }).m
    expect(recorded).toBe(p.mobile)
    expect(trackCodeSms().filter(s => (JSON.parse(s.params) as { caseNo: string }).caseNo === caseNo).map(s => s.recipient)).toEqual([recorded])

    // the ID number typed with a lower-case x and the case number in lower case, as the look-up allows
    const opened = await unlock({ caseNo: caseNo.toLowerCase(), idNumber: p.idNumber.toLowerCase(), code })
    expect(opened.status).toBe(200)
    expect(opened.headers.get('cache-control')).toBe('no-store')
    expect(opened.body).toEqual(before.body)
    expect((await unlock({ caseNo, idNumber: p.idNumber, code })).status).toBe(404)
    // the lock stands for the public look-up: the code let the applicant through, it did not lift it
    expect((await track({ caseNo, idNumber: p.idNumber })).status).toBe(429)
    expect(auditOf('track.code').filter(r => r.subject === caseNo)).toEqual([{ subject: caseNo, detail: null }])
    expect(auditOf('track.unlock').filter(r => r.subject === caseNo)).toEqual([{ subject: caseNo, detail: null }])
    // the second try with the used code: a failure like any other, audited
    expect(auditOf('track.unlock.failed').filter(r => r.subject === caseNo).map(r => JSON.parse(r.detail!))).toEqual([{ reason: 'wrongCode' }])
  })

  it('gets through a lock of the ID number too (walked across case numbers)', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    for (let n = 1; n <= 5; n++) expect((await track({ caseNo: `${caseNo.slice(0, 10)}${String(990_000 + n)}`, idNumber: p.idNumber })).status).toBe(404)
    expect((await track({ caseNo, idNumber: p.idNumber })).status).toBe(429)
    expect((await unlock({ caseNo, idNumber: p.idNumber, code: await newCode(p, caseNo) })).status).toBe(200)
  })
})

describe('a wrong code', () => {
  it('answers 404 as a wrong pair does; the fifth voids the code; none of it counts into the day\'s failures', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    const code = await newCode(p, caseNo)
    const wrongPair = await unlock({ caseNo, idNumber: guesses(p)[0], code: otherCode(code) })
    expect(wrongPair.status).toBe(404)
    const wrongCodes = []
    // the wrong pair did not count against the code (a stranger's try): five of the applicant's own do
    for (let n = 0; n < 5; n++) wrongCodes.push(await unlock({ caseNo, idNumber: p.idNumber, code: otherCode(code) }))
    for (const res of wrongCodes) {
      expect(res.status).toBe(404)
      expect(res.body).toEqual(wrongPair.body)
    }
    // the fifth wrong try voided it: the right code no longer opens the case
    expect((await unlock({ caseNo, idNumber: p.idNumber, code })).status).toBe(404)
    // more wrong tries than a day's failures allow: the look-up is still not locked, so none was counted
    for (const g of guesses(p)) expect((await unlock({ caseNo, idNumber: g, code: otherCode(code) })).status).toBe(404)
    expect((await track({ caseNo, idNumber: p.idNumber })).status).toBe(200)
    // and a new code works
    expect((await unlock({ caseNo, idNumber: p.idNumber, code: await newCode(p, caseNo) })).status).toBe(200)
  })

  it('is checked before the ID number: a right code with a wrong pair is spent, so a code is no way to try ID numbers', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    const code = await newCode(p, caseNo)
    const wrongPair = await unlock({ caseNo, idNumber: guesses(p)[1], code })
    expect(wrongPair.status).toBe(404)
    expect((await unlock({ caseNo, idNumber: p.idNumber, code })).status).toBe(404)
    expect(auditOf('track.unlock.failed').filter(r => r.subject === caseNo).map(r => JSON.parse(r.detail!))).toEqual([{ reason: 'wrongPair' }, { reason: 'wrongCode' }])
  })

  it('costs the same whatever is wrong: every failed try is written and audited, with or without a live code', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    // no code was ever asked for this case: a stranger's try still writes its audit row, as a wrong code against a live one does
    expect((await unlock({ caseNo, idNumber: guesses(p)[2], code: '000000' })).status).toBe(404)
    const code = await newCode(p, caseNo)
    expect((await unlock({ caseNo, idNumber: guesses(p)[2], code: otherCode(code) })).status).toBe(404)
    expect(auditOf('track.unlock.failed').filter(r => r.subject === caseNo)).toHaveLength(2)
    const attempts = () => readDb(db => db.prepare('SELECT attempts FROM track_codes WHERE case_no = ?').pluck().all(caseNo))
    // a stranger's wrong code (a wrong pair) does not count against the applicant's code
    expect(attempts()).toEqual([0])
    // the applicant's own mistyped code does
    expect((await unlock({ caseNo, idNumber: p.idNumber, code: otherCode(code) })).status).toBe(404)
    expect(attempts()).toEqual([1])
  })

  it('is not voided by a stranger who knows only the case number, however many codes they try', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    const code = await newCode(p, caseNo)
    for (let i = 0; i < 6; i++) expect((await unlock({ caseNo, idNumber: guesses(p)[i % 3]!, code: otherCode(code) })).status).toBe(404)
    expect((await unlock({ caseNo, idNumber: p.idNumber, code })).status).toBe(200)
  })

  it('for another case: a code sent for case A does not open case B of the same applicant', async () => {
    const p = newPerson()
    const a = await counterCase(clerk, CLERK_SERVICE, p)
    const b = await counterCase(clerk, CLERK_SERVICE, p)
    const codeA = await newCode(p, a)
    expect((await unlock({ caseNo: b, idNumber: p.idNumber, code: codeA })).status).toBe(404)
    const opened = await unlock({ caseNo: a, idNumber: p.idNumber, code: codeA })
    expect(opened.status).toBe(200)
    expect(opened.body).toMatchObject({ caseNo: a })
  })
})

describe('asking for a code', () => {
  it('answers the same to a wrong pair, a right pair and a case whose codes ran out, and sends nothing for the wrong pair or a fourth in the hour', async () => {
    const p = newPerson()
    const caseNo = await counterCase(clerk, CLERK_SERVICE, p)
    const other = newPerson()
    const otherCase = await counterCase(clerk, CLERK_SERVICE, other)
    const sentBefore = trackCodeSms().length
    const wrong = await askCode({ caseNo, idNumber: guesses(p)[0] })
    const unknown = await askCode({ caseNo: `${caseNo.slice(0, 10)}999999`, idNumber: p.idNumber })
    const rights = []
    for (let n = 0; n < 4; n++) rights.push(await askCode({ caseNo, idNumber: p.idNumber }))
    // the requests are looked at in the order they came: once a later one's SMS is out, all of these were
    await newCode(other, otherCase)
    // three codes an hour for a case: the fourth answer is the same and sends nothing; the wrong pairs sent nothing
    expect(codesTo(p, caseNo)).toHaveLength(3)
    expect(trackCodeSms()).toHaveLength(sentBefore + 4)
    expect(auditOf('track.code').filter(r => r.subject === caseNo)).toHaveLength(3)
    for (const res of [wrong, unknown, ...rights]) {
      expect(res.status).toBe(202)
      expect(res.body).toEqual(wrong.body)
      expect(res.headers.get('content-type')).toBe(wrong.headers.get('content-type'))
    }
    expect(JSON.stringify(wrong.body)).not.toContain(p.mobile.slice(-4))
  })
})

describe('malformed requests', () => {
  const id = syntheticIdNumber(7999)
  const caseNo = 'SZ20260101000001'

  it('are refused with field errors in the keys the page shows', async () => {
    for (const send of [askCode, unlock]) {
      const extra = send === unlock ? { code: '123456' } : {}
      expect((await send({ caseNo: 'abc', idNumber: id, ...extra })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { caseNo: 'validation.query.caseNo' } } })
      expect((await send({ caseNo, ...extra })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { idNumber: 'validation.required' } } })
      expect((await send({ caseNo: [caseNo], idNumber: 440304, ...extra })).body).toMatchObject({ statusCode: 400, data: { fieldErrors: { caseNo: 'validation.invalidType', idNumber: 'validation.invalidType' } } })
      expect((await send([caseNo, id])).status).toBe(400)
    }
    const code = async (value: unknown) => (await unlock({ caseNo, idNumber: id, code: value })).body
    expect(await code(undefined)).toMatchObject({ statusCode: 400, data: { fieldErrors: { code: 'validation.required' } } })
    expect(await code('12345')).toMatchObject({ statusCode: 400, data: { fieldErrors: { code: 'validation.resetCode' } } })
    expect(await code('12345a')).toMatchObject({ statusCode: 400, data: { fieldErrors: { code: 'validation.resetCode' } } })
    expect(await code(123456)).toMatchObject({ statusCode: 400, data: { fieldErrors: { code: 'validation.invalidType' } } })
  })

  it('are refused when the body is not JSON or comes from another site', async () => {
    for (const path of ['/api/track/code', '/api/track/unlock']) {
      expect((await anyone().post(path, `caseNo=${caseNo}&idNumber=${id}&code=123456`, { ...fresh(), 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
      expect((await anyone().post(path, '{"caseNo": ', fresh())).status).toBe(400)
      expect((await anyone().post(path, { caseNo, idNumber: id, code: '123456' }, { ...fresh(), origin: 'https://evil.example' })).status).toBe(403)
    }
  })
})

describe('the codes', () => {
  it('appear in no audit row and no line of the server\'s log, the SMS included', async () => {
    const codes = trackCodeSms().map(s => String((JSON.parse(s.params) as { code: string }).code))
    expect(codes.length).toBeGreaterThan(5)
    // the sender has written its line about every one of them
    await expect.poll(() => readDb(db => (db.prepare('SELECT count(*) AS n FROM outbox WHERE template = ? AND sent_at IS NULL').get(TEMPLATE) as { n: number }).n), { timeout: 20_000 }).toBe(0)
    expect(t.server.output).toContain(`"template":"${TEMPLATE}"`)
    // every column but the chain's HMAC, whose hex digits say nothing
    const audit = readDb(db => JSON.stringify(db.prepare('SELECT at, actor_id, actor_role, action, subject, detail, ip FROM audit_log').all()))
    expect(audit).toContain('track.unlock')
    // a code as a number of its own, not six digits inside a case number or a time
    const standalone = (code: string) => new RegExp(`(?<!\\d)${code}(?!\\d)`)
    expect(codes.filter(c => standalone(c).test(audit))).toEqual([])
    expect(codes.filter(c => standalone(c).test(t.server.output))).toEqual([])
  })
})
