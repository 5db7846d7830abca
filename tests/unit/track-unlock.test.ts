/**
 * The applicant's way through a day's tracking lock that a stranger set: a code by SMS to the
 * mobile recorded on the case, kept as the account codes are (sms-codes.ts, now owned by a case
 * number in track_codes). Asking tells nobody whether the pair matched; a code opens only its own
 * case, once, for ten minutes and five wrong tries, and neither step touches the day's failures.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCounterCase } from '../../server/services/counter'
import { CODE_MINUTES, hourlyCapUntil, issueCode, liveCode, MAX_CODES_PER_HOUR } from '../../server/services/sms-codes'
import { forgetOldTrackCodes, requestTrackCode, TRACK_CODE_TEMPLATE, trackWithCode } from '../../server/services/track-unlock'
import { trackWithLimits } from '../../server/services/tracking'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const QIAN = { name: '钱小红', idNumber: '440304199001010011', mobile: '13912340001' }
/** Same region and check character as ZHAO's, another birth date: what a guesser tries. */
const guess = (n: number) => `110105${19490101 + n}002X`

function counterCaseOf(conn: Connection, applicant: typeof ZHAO, now: Date): string {
  const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  return writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }, now)).caseNo
}

// The daily counters live as long as the module: every test counts on a day of its own.
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}+08:00`)
const later = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000)

interface Sms { recipient: string, template: string, dedupeKey: string, params: { caseNo: string, code: string, minutes: number } }
function smsOf(conn: Connection): Sms[] {
  return (conn.sqlite.prepare('SELECT recipient, template, dedupe_key AS dedupeKey, params FROM outbox WHERE template = ? ORDER BY id').all(TRACK_CODE_TEMPLATE) as (Omit<Sms, 'params'> & { params: string })[])
    .map(r => ({ ...r, params: JSON.parse(r.params) as Sms['params'] }))
}
const lastCode = (conn: Connection) => smsOf(conn).at(-1)!.params.code
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const audit = (conn: Connection) => conn.sqlite.prepare(`SELECT action, subject, detail FROM audit_log WHERE action LIKE 'track.%' ORDER BY id`).all() as { action: string, subject: string, detail: string | null }[]

/** Five wrong ID numbers: what anyone who knows the case number can do. */
function lockCase(conn: Connection, caseNo: string, now: Date) {
  for (let n = 0; n < 5; n++) trackWithLimits(conn, caseNo, guess(n), '198.51.100.9', now)
  expect(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, now)).toEqual({ locked: true })
}

describe('asking for a code', () => {
  it('sends one to the case\'s mobile only for the right pair, keeps only its salted hash, and audits it without the code', () => {
    const conn = freshDatabase()
    const now = at('2031-01-01')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    expect(requestTrackCode(conn, { caseNo, idNumber: guess(0) }, '203.0.113.1', now)).toBe('noMatch')
    expect(requestTrackCode(conn, { caseNo: 'SZ20310101999999', idNumber: ZHAO.idNumber }, '203.0.113.1', now)).toBe('noMatch')
    expect(smsOf(conn)).toEqual([])
    expect(audit(conn)).toEqual([])

    // the X typed in lower case, the case number too, spaces around both
    expect(requestTrackCode(conn, { caseNo: ` ${caseNo.toLowerCase()} `, idNumber: ZHAO.idNumber.toLowerCase() }, '203.0.113.1', now)).toBe('sent')
    const [sms] = smsOf(conn)
    expect(sms).toMatchObject({ recipient: ZHAO.mobile, params: { caseNo, minutes: CODE_MINUTES } })
    expect(sms!.params.code).toMatch(/^\d{6}$/)
    expect(sms!.dedupeKey).toMatch(new RegExp(`^case:${caseNo}:track:\\d+:sms$`))
    const rows = conn.sqlite.prepare('SELECT case_no AS caseNo, code_hash AS codeHash, salt FROM track_codes').all() as { caseNo: string, codeHash: string, salt: string }[]
    expect(rows).toHaveLength(1)
    expect(rows[0]!.caseNo).toBe(caseNo)
    expect(JSON.stringify(rows)).not.toContain(sms!.params.code)
    const audited = audit(conn)
    expect(audited).toEqual([{ action: 'track.code', subject: caseNo, detail: null }])
    expect(JSON.stringify(audited)).not.toContain(sms!.params.code)
    expect(JSON.stringify(audited)).not.toContain(ZHAO.mobile)
  })

  it('sends nothing for a case without a mobile, and at most three codes an hour for one case', () => {
    const conn = freshDatabase()
    const now = at('2031-01-02')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    const other = counterCaseOf(conn, QIAN, now)
    conn.sqlite.prepare('UPDATE cases SET applicant_mobile = NULL WHERE case_no = ?').run(other)
    expect(requestTrackCode(conn, { caseNo: other, idNumber: QIAN.idNumber }, null, now)).toBe('noMobile')

    const asked = [0, 1, 2, 3].map(m => requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, later(now, m)))
    expect(asked).toEqual(['sent', 'sent', 'sent', 'hourlyLimit'])
    expect(smsOf(conn)).toHaveLength(MAX_CODES_PER_HOUR)
    expect(audit(conn).map(r => r.action)).toEqual(['track.code', 'track.code', 'track.code'])
    // an hour after the first, a fourth may go
    expect(requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, later(now, 60))).toBe('sent')
  })
})

describe('looking up with the code', () => {
  it('shows the case while it is locked, once, and audits the unlock', () => {
    const conn = freshDatabase()
    const now = at('2031-02-01')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    lockCase(conn, caseNo, now)
    requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
    const code = lastCode(conn)
    const opened = trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code }, '203.0.113.5', later(now, 1))
    expect(opened).toMatchObject({ found: { caseNo, status: 'submitted' } })
    expect(trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code }, '203.0.113.5', later(now, 2))).toEqual({ notFound: true })
    // the second try, with the used code, is a failure like any other
    expect(audit(conn).filter(r => r.action.startsWith('track.unlock'))).toEqual([
      { action: 'track.unlock', subject: caseNo, detail: null },
      { action: 'track.unlock.failed', subject: caseNo, detail: JSON.stringify({ reason: 'wrongCode' }) },
    ])
    // the lock itself stands: the code was the way through, not a reset
    expect(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, now)).toEqual({ locked: true })
  })

  it('refuses a wrong code as a wrong pair, voids the code at the fifth, and counts nothing into the day\'s failures', () => {
    const conn = freshDatabase()
    const now = at('2031-02-02')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
    const code = lastCode(conn)
    for (let n = 0; n < 5; n++) expect(trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code: otherCode(code) }, null, now)).toEqual({ notFound: true })
    expect(trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code }, null, now)).toEqual({ notFound: true })
    // every failed try is audited, the one after the code was voided too: each costs the same write
    expect(audit(conn).filter(r => r.action === 'track.unlock.failed')).toHaveLength(6)
    // wrong pairs with wrong codes, many times: nothing found, nothing counted into the day's look-ups
    requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
    const fresh = lastCode(conn)
    for (let n = 0; n < 4; n++) expect(trackWithCode(conn, { caseNo, idNumber: guess(n), code: otherCode(fresh) }, null, now)).toEqual({ notFound: true })
    // a wrong pair's wrong code does not count against the code: a stranger cannot void it
    expect((conn.sqlite.prepare('SELECT attempts FROM track_codes WHERE used_at IS NULL AND voided_at IS NULL').get() as { attempts: number }).attempts).toBe(0)
    // ten failed tries with codes, yet the day's look-ups are untouched
    expect(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, now)).toMatchObject({ found: { caseNo } })
    expect(trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code: fresh }, null, now)).toMatchObject({ found: { caseNo } })
  })

  it('is compared before the ID number: the right code with a wrong pair is spent, so a code is no way to try ID numbers', () => {
    const conn = freshDatabase()
    const now = at('2031-02-04')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
    const code = lastCode(conn)
    expect(trackWithCode(conn, { caseNo, idNumber: guess(0), code }, null, now)).toEqual({ notFound: true })
    expect(trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code }, null, now)).toEqual({ notFound: true })
    expect(audit(conn).filter(r => r.action === 'track.unlock.failed').map(r => r.detail)).toEqual([
      JSON.stringify({ reason: 'wrongPair' }), JSON.stringify({ reason: 'wrongCode' }),
    ])
  })

  it('opens only the case it was sent for, and not after ten minutes or a newer code', () => {
    const conn = freshDatabase()
    const now = at('2031-02-03')
    const a = counterCaseOf(conn, ZHAO, now)
    const b = counterCaseOf(conn, ZHAO, now)
    requestTrackCode(conn, { caseNo: a, idNumber: ZHAO.idNumber }, null, now)
    const codeA = lastCode(conn)
    expect(trackWithCode(conn, { caseNo: b, idNumber: ZHAO.idNumber, code: codeA }, null, now)).toEqual({ notFound: true })
    expect(trackWithCode(conn, { caseNo: a, idNumber: ZHAO.idNumber, code: codeA }, null, later(now, CODE_MINUTES))).toEqual({ notFound: true })

    requestTrackCode(conn, { caseNo: a, idNumber: ZHAO.idNumber }, null, later(now, 11))
    const first = lastCode(conn)
    requestTrackCode(conn, { caseNo: a, idNumber: ZHAO.idNumber }, null, later(now, 12))
    expect(trackWithCode(conn, { caseNo: a, idNumber: ZHAO.idNumber, code: first }, null, later(now, 13))).toEqual({ notFound: true })
    expect(trackWithCode(conn, { caseNo: a, idNumber: ZHAO.idNumber, code: lastCode(conn) }, null, later(now, 13))).toMatchObject({ found: { caseNo: a } })
  })
})

describe('the shared code store, owned by a case', () => {
  it('keeps each case\'s codes and cap apart from another case\'s and from the accounts\' tables', () => {
    const conn = freshDatabase()
    const now = at('2031-03-01')
    const a = counterCaseOf(conn, ZHAO, now)
    const b = counterCaseOf(conn, QIAN, now)
    writeTransaction(conn, () => { for (let n = 0; n < MAX_CODES_PER_HOUR; n++) issueCode(conn, 'track_codes', a, now) })
    expect(hourlyCapUntil(conn, 'track_codes', a, now)).toBe(later(now, 60).toISOString())
    expect(hourlyCapUntil(conn, 'track_codes', b, now)).toBeNull()
    expect(liveCode(conn, 'track_codes', a)?.owner).toBe(a)
    expect(liveCode(conn, 'track_codes', b)).toBeUndefined()
    // the citizen's password resets are another table's: not capped by the case's codes
    expect(hourlyCapUntil(conn, 'password_resets', userIdOf(conn, 'citizen'), now)).toBeNull()
  })

  it('deletes a day-old code in the hourly retention', () => {
    const conn = freshDatabase()
    const now = at('2031-03-02')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
    expect(forgetOldTrackCodes(conn, later(now, 23 * 60))).toBe(0)
    expect(forgetOldTrackCodes(conn, later(now, 24 * 60 + 1))).toBe(1)
  })

  it('reads cases and codes through their indexes', () => {
    const conn = freshDatabase()
    const now = at('2031-03-03')
    const caseNo = counterCaseOf(conn, ZHAO, now)
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    let prepared: string[]
    try {
      requestTrackCode(conn, { caseNo, idNumber: ZHAO.idNumber }, null, now)
      trackWithCode(conn, { caseNo, idNumber: ZHAO.idNumber, code: otherCode(lastCode(conn)) }, null, now)
      forgetOldTrackCodes(conn, now)
    }
    finally {
      prepared = prepare.mock.calls.map(([sql]) => sql)
      prepare.mockRestore()
    }
    const plans = [...new Set(prepared)].filter(sql => /^\s*(SELECT|UPDATE|DELETE)/i.test(sql) && /\b(track_codes|cases)\b/.test(sql))
      .map(sql => (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\?/g, 'NULL')}`).all() as { detail: string }[]).map(r => r.detail).join(' | '))
    expect(plans.length).toBeGreaterThan(3)
    expect(plans.filter(p => /SCAN (track_codes|cases)\b/.test(p))).toEqual([])
  })
})
