/**
 * A counter intake sent again with its Idempotency-Key (the page's answer was lost) gets the case
 * already made, never a second case; the same key with other details is refused, naming the case.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { CaseError } from '../../server/services/case-errors'
import { forgetOldIntakeKeys, INTAKE_KEY_HOURS, receiveCounterCaseOnce } from '../../server/services/counter'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const KEY = '0123456789abcdef0123456789abcdef'

const clerkOf = (conn: Connection, username = 'clerk') => ({ id: userIdOf(conn, username), role: 'clerk', departmentCode: 'SZRS' })
const input = (conn: Connection, answers: Record<string, unknown> = { cardBank: 'boc', collectWay: 'branch' }) =>
  ({ serviceCode: 'SZRS-0004', applicant: ZHAO, answers, clerk: clerkOf(conn) })
const intake = (conn: Connection, key: string | null, answers?: Record<string, unknown>, now = new Date()) =>
  writeTransaction(conn, () => receiveCounterCaseOnce(conn, input(conn, answers), key, now))
const caseCount = (conn: Connection) => (conn.sqlite.prepare(`SELECT count(*) AS n FROM cases WHERE channel = 'counter' AND applicant_id_number = ?`).get(ZHAO.idNumber) as { n: number }).n

describe('counter intake with an Idempotency-Key', () => {
  it('gives the same case back for the same key and details, in any key order, and makes one case', () => {
    const conn = freshDatabase()
    const first = intake(conn, KEY)
    expect(first.replayed).toBe(false)
    const again = intake(conn, KEY, { collectWay: 'branch', cardBank: 'boc' })
    expect(again).toEqual({ ...first, replayed: true })
    expect(caseCount(conn)).toBe(1)
    // one audit row and one SMS receipt: the repeat wrote nothing
    expect((conn.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'case.submit' AND subject = ?`).get(first.caseNo) as { n: number }).n).toBe(1)
  })

  it('refuses the same key with other details, naming the case it made', () => {
    const conn = freshDatabase()
    const first = intake(conn, KEY)
    let refused: unknown
    try { intake(conn, KEY, { cardBank: 'icbc', collectWay: 'branch' }) }
    catch (e) { refused = e }
    expect(refused).toBeInstanceOf(CaseError)
    expect((refused as CaseError).statusCode).toBe(409)
    expect((refused as CaseError).data).toEqual({ fieldErrors: { serviceCode: 'case.errors.intakeAlreadyRecorded' }, caseNo: first.caseNo })
    expect(caseCount(conn)).toBe(1)
  })

  it('makes a new case for a new key, or without a key', () => {
    const conn = freshDatabase()
    const a = intake(conn, KEY)
    const b = intake(conn, 'fedcba9876543210fedcba9876543210')
    const c = intake(conn, null)
    expect(new Set([a.caseNo, b.caseNo, c.caseNo]).size).toBe(3)
    expect(caseCount(conn)).toBe(3)
  })

  it('keeps keys apart per clerk: another clerk\'s same key is a new intake', () => {
    const conn = freshDatabase()
    const mine = intake(conn, KEY)
    const otherClerk = Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, department_code) VALUES ('clerk-b', 'x', 'clerk', '王五', 'SZRS')`).run().lastInsertRowid)
    const theirs = writeTransaction(conn, () => receiveCounterCaseOnce(conn, { ...input(conn), clerk: { id: otherClerk, role: 'clerk', departmentCode: 'SZRS' } }, KEY))
    expect(theirs.replayed).toBe(false)
    expect(theirs.caseNo).not.toBe(mine.caseNo)
  })

  it('stores no key when the intake is refused, so the corrected request is received', () => {
    const conn = freshDatabase()
    expect(() => intake(conn, KEY, { cardBank: 'nobank', collectWay: 'branch' })).toThrow(CaseError)
    const fixed = intake(conn, KEY)
    expect(fixed.replayed).toBe(false)
    expect(caseCount(conn)).toBe(1)
  })

  it('forgets a key after a day: the same key then makes a new case, and the clean-up removes only old keys', () => {
    const conn = freshDatabase()
    const day1 = new Date('2026-11-30T02:00:00Z')
    const old = intake(conn, KEY, undefined, day1)
    const later = new Date(day1.getTime() + (INTAKE_KEY_HOURS * 3_600_000) + 1000)
    const fresh = intake(conn, KEY, undefined, later)
    expect(fresh.replayed).toBe(false)
    expect(fresh.caseNo).not.toBe(old.caseNo)
    intake(conn, 'fedcba9876543210fedcba9876543210', undefined, later)
    const keys = () => (conn.sqlite.prepare('SELECT count(*) AS n FROM counter_intake_keys').get() as { n: number }).n
    expect(keys()).toBe(2)
    expect(forgetOldIntakeKeys(conn, new Date(later.getTime() + 3_600_000))).toBe(0)
    expect(forgetOldIntakeKeys(conn, new Date(later.getTime() + (INTAKE_KEY_HOURS + 1) * 3_600_000))).toBe(2)
    expect(keys()).toBe(0)
  })
})
