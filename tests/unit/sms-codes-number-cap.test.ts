/**
 * A stranger cannot flood someone's phone with codes: registration takes any mobile, so one
 * address could make account after account with a stranger's number and have each ask for codes.
 * Whatever the codes are for (a mobile verification, a password reset, a tracking unlock) and
 * whoever asks, one number is sent at most 5 an hour and 10 a day; the password reset still
 * answers alike, and closing the accounts that asked gives no fresh budget. Strangers using up a
 * number's day leave its holder, who proved the number theirs, an allowance of their own.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCounterCase } from '../../server/services/counter'
import { requestMobileCode } from '../../server/services/mobile-verification'
import { requestPasswordReset } from '../../server/services/password-reset'
import { hashPasswordSync } from '../../server/services/passwords'
import { closeAccount } from '../../server/services/personal-data'
import { requestTrackCode } from '../../server/services/track-unlock'
import { syntheticIdNumber } from '../support/fixtures'
import { freshDatabase, userIdOf } from '../support/db'

// closing an account checks its password: scrypt takes a second or more on a busy machine
vi.setConfig({ testTimeout: 60_000 })

const IP = '203.0.113.66'
const VICTIM = '13800138000'
const T0 = new Date('2026-03-02T02:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
const PASSWORD = 'the squatter types this'
// one hash for every account of a test: registration's scrypt would cost a second an account
const HASH = hashPasswordSync(PASSWORD)

interface Citizen { id: number, role: 'citizen', idNumber: string, mobile: string }
let serial = 4100

/** An account as registration writes it: any well-formed ID number no verified account holds, any mobile. */
function registered(conn: Connection, mobile = VICTIM): Citizen {
  const idNumber = syntheticIdNumber(++serial)
  const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile, password_changed_at)
    VALUES (?, ?, 'citizen', '张三', ?, ?, ?)`).run(`x${serial}`, HASH, idNumber, mobile, T0.toISOString())
  return { id: Number(lastInsertRowid), role: 'citizen', idNumber, mobile }
}

/** The account, its mobile proved its own by a code (as markMobileVerified records it). */
function verified(conn: Connection, c: Citizen): Citizen {
  conn.sqlite.prepare('UPDATE users SET mobile_verified_at = ? WHERE id = ?').run(T0.toISOString(), c.id)
  return c
}

const smsTo = (conn: Connection, mobile: string) => (conn.sqlite.prepare(`SELECT template FROM outbox WHERE recipient = ? ORDER BY id`).all(mobile) as { template: string }[])
  .map(r => r.template)
const refusals = (conn: Connection, action: string) => (conn.sqlite.prepare('SELECT detail FROM audit_log WHERE action = ? ORDER BY id').all(action) as { detail: string }[])
  .map(r => (JSON.parse(r.detail) as { reason: string }).reason)

describe('how many codes one mobile number is sent', () => {
  it('stops at 5 an hour however many accounts name the number, saying when to try again, and leaves other numbers alone', () => {
    const conn = freshDatabase()
    const squatters = Array.from({ length: 6 }, () => registered(conn))
    // each account is far below its own 3 an hour
    for (let i = 0; i < 5; i++) expect(requestMobileCode(conn, squatters[i]!, IP, at(i))).toMatchObject({ ok: true })
    expect(requestMobileCode(conn, squatters[5]!, IP, at(5))).toEqual({ ok: false, reason: 'hourlyLimit', retryAt: at(60).toISOString() })
    expect(smsTo(conn, VICTIM)).toHaveLength(5)
    expect(refusals(conn, 'account.mobile.refused')).toEqual(['numberLimit'])

    const someoneElse = registered(conn, '13900139000')
    expect(requestMobileCode(conn, someoneElse, IP, at(6))).toMatchObject({ ok: true })
    // the first code has left the hour
    expect(requestMobileCode(conn, squatters[5]!, IP, at(61))).toMatchObject({ ok: true })
    expect(smsTo(conn, VICTIM)).toHaveLength(6)
  })

  it('counts every purpose together: a password reset and a tracking unlock send nothing past the cap, and the reset answers as ever', () => {
    const conn = freshDatabase()
    const squatter = registered(conn)
    const owner = registered(conn)
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const applicant = { name: '张三', idNumber: syntheticIdNumber(++serial), mobile: VICTIM }
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }, T0))

    expect(requestMobileCode(conn, squatter, IP, at(0))).toMatchObject({ ok: true })
    expect(requestMobileCode(conn, squatter, IP, at(1))).toMatchObject({ ok: true })
    expect(requestTrackCode(conn, { caseNo, idNumber: applicant.idNumber }, IP, at(2))).toBe('sent')
    expect(requestTrackCode(conn, { caseNo, idNumber: applicant.idNumber }, IP, at(3))).toBe('sent')
    expect(requestPasswordReset(conn, owner, IP, at(4))).toBe('sent')
    // the counter's notice of the case is no code: it leaves room for all five
    expect(smsTo(conn, VICTIM)).toEqual(['case.submitted', 'account.mobileVerify', 'account.mobileVerify', 'case.trackCode', 'case.trackCode', 'account.passwordReset'])

    // each owner is below its own cap of 3; the number is not
    expect(requestPasswordReset(conn, owner, IP, at(5))).toBe('numberLimit')
    expect(requestTrackCode(conn, { caseNo, idNumber: applicant.idNumber }, IP, at(6))).toBe('hourlyLimit')
    expect(requestMobileCode(conn, owner, IP, at(7))).toMatchObject({ ok: false, reason: 'hourlyLimit' })
    expect(smsTo(conn, VICTIM)).toHaveLength(6)
    expect(refusals(conn, 'account.passwordReset.refused')).toEqual(['numberLimit'])
  })

  it('stops at 10 a day, until the first of them is a day old', () => {
    const conn = freshDatabase()
    // five codes a minute apart from two accounts, each within its own 3 an hour
    const fiveFrom = (a: Citizen, b: Citizen, start: number) => [a, a, a, b, b].map((who, m) => requestMobileCode(conn, who, IP, at(start + m)))
    const sent = [...fiveFrom(registered(conn), registered(conn), 0), ...fiveFrom(registered(conn), registered(conn), 120)]
    expect(sent.every(r => r.ok)).toBe(true)
    const fresh = registered(conn)
    expect(requestMobileCode(conn, fresh, IP, at(240))).toEqual({ ok: false, reason: 'hourlyLimit', retryAt: at(24 * 60).toISOString() })
    expect(requestMobileCode(conn, fresh, IP, at(24 * 60 - 1))).toMatchObject({ ok: false, reason: 'hourlyLimit' })
    expect(requestMobileCode(conn, fresh, IP, at(24 * 60 + 1))).toMatchObject({ ok: true })
    expect(smsTo(conn, VICTIM)).toHaveLength(11)
  })

  it('leaves the holder who proved the number theirs their own codes when strangers have used up its day, capped alike', () => {
    const conn = freshDatabase()
    const holder = verified(conn, registered(conn))
    const fiveFrom = (a: Citizen, b: Citizen, start: number) => [a, a, a, b, b].map((who, m) => requestMobileCode(conn, who, IP, at(start + m)))
    const flood = [...fiveFrom(registered(conn), registered(conn), 0), ...fiveFrom(registered(conn), registered(conn), 120)]
    expect(flood.every(r => r.ok)).toBe(true)
    expect(requestMobileCode(conn, registered(conn), IP, at(240))).toMatchObject({ ok: false, reason: 'hourlyLimit' })

    // the holder's password reset, and the unlock of a case linked to the holder's verified account
    expect(requestPasswordReset(conn, holder, IP, at(241))).toBe('sent')
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const applicant = { name: '张三', idNumber: holder.idNumber, mobile: VICTIM }
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }, at(242)))
    expect(requestTrackCode(conn, { caseNo, idNumber: holder.idNumber }, IP, at(243))).toBe('sent')
    expect(smsTo(conn, VICTIM).filter(t => t !== 'case.submitted')).toHaveLength(12)

    // the holder's codes have their own 5 an hour: a second verified account on the same phone (a
    // family's) shares them
    const family = verified(conn, registered(conn))
    expect(requestPasswordReset(conn, holder, IP, at(244))).toBe('sent')
    expect(requestPasswordReset(conn, family, IP, at(245))).toBe('sent')
    expect(requestPasswordReset(conn, family, IP, at(246))).toBe('sent')
    expect(requestPasswordReset(conn, family, IP, at(247))).toBe('numberLimit')
    expect(smsTo(conn, VICTIM).filter(t => t !== 'case.submitted')).toHaveLength(15)
  })

  it('counts a code for an account that has not proved the number with the strangers\' codes, also a password reset', () => {
    const conn = freshDatabase()
    const owner = registered(conn)
    for (let i = 0; i < 5; i++) expect(requestMobileCode(conn, registered(conn), IP, at(i))).toMatchObject({ ok: true })
    expect(requestPasswordReset(conn, owner, IP, at(5))).toBe('numberLimit')
    // proving it later gives the account the holder's allowance
    verified(conn, owner)
    expect(requestPasswordReset(conn, owner, IP, at(6))).toBe('sent')
  })

  it('gives no fresh budget to whoever closes the accounts that asked (their codes go with them, the SMSes stay)', async () => {
    const conn = freshDatabase()
    const first = registered(conn)
    const second = registered(conn)
    for (let i = 0; i < 3; i++) requestMobileCode(conn, first, IP, at(i))
    for (let i = 3; i < 5; i++) requestMobileCode(conn, second, IP, at(i))
    expect(await closeAccount(conn, first, PASSWORD, IP, at(5))).toEqual({ ok: true })
    expect(await closeAccount(conn, second, PASSWORD, IP, at(5))).toEqual({ ok: true })
    expect(requestMobileCode(conn, registered(conn), IP, at(6))).toEqual({ ok: false, reason: 'hourlyLimit', retryAt: at(60).toISOString() })
    expect(smsTo(conn, VICTIM)).toHaveLength(5)
  })

  it('finds a number\'s codes through an index of the outbox, not by reading every notice kept for months', () => {
    const conn = freshDatabase()
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    requestMobileCode(conn, registered(conn), IP, T0)
    const statements = prepare.mock.calls.map(([sql]) => sql).filter(sql => /^SELECT .* FROM outbox/s.test(sql))
    prepare.mockRestore()
    expect(statements).toHaveLength(1)
    const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${statements[0]!.replace(/\?/g, 'NULL')}`).all() as { detail: string }[]).map(r => r.detail).join(' | ')
    expect(plan).toContain('USING INDEX outbox_code_recipient_idx')
  })
})
