/**
 * Guessing the birth date in a masked ID number for a known case number (or walking case numbers
 * with a known ID number) stops after a few failures a day, wherever the guesses come from; the
 * right pair is refused too while locked, or the lock would tell the guesser they were right.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCounterCase } from '../../server/services/counter'
import { idNumberDigest, trackWithLimits } from '../../server/services/tracking'
import { createFailureCounter } from '../../server/services/track-failures'
import { secondsToShanghaiMidnight } from '../../server/utils/track-limit'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
/** Same region and check character as ZHAO's, another birth date: what a guesser tries. */
const guess = (n: number) => `110105${19490101 + n}002X`

function caseOf(conn: Connection): string {
  const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  return writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk })).caseNo
}

function lockRows(conn: Connection) {
  return conn.sqlite.prepare('SELECT subject, detail, ip FROM audit_log WHERE action = \'track.locked\'').all() as { subject: string, detail: string, ip: string }[]
}

// The counters live as long as the process; every test counts on a day of its own.
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}+08:00`)
const outcome = (r: ReturnType<typeof trackWithLimits>) => Object.keys(r)[0]

afterEach(() => { delete process.env.TRACK_FAILURES_PER_DAY })

describe('the daily failure counter', () => {
  it('locks a key at its fifth failure, once, and only that key and that day', () => {
    const counter = createFailureCounter(100)
    const starts = [1, 2, 3, 4, 5, 6].map(() => counter.fail('SZ20260101000001', '2026-01-01'))
    expect(starts).toEqual([false, false, false, false, true, false])
    expect(counter.isLocked('SZ20260101000001', '2026-01-01')).toBe(true)
    expect(counter.isLocked('SZ20260101000002', '2026-01-01')).toBe(false)
    expect(counter.isLocked('SZ20260101000001', '2026-01-02')).toBe(false)
  })

  it('takes its threshold from TRACK_FAILURES_PER_DAY', () => {
    process.env.TRACK_FAILURES_PER_DAY = '2'
    const counter = createFailureCounter(100)
    expect([counter.fail('k', 'd'), counter.fail('k', 'd')]).toEqual([false, true])
    expect(counter.isLocked('k', 'd')).toBe(true)
  })

  it('keeps at most `max` keys, the ones used last', () => {
    const counter = createFailureCounter(2, () => 1)
    counter.fail('a', 'd')
    counter.fail('b', 'd')
    counter.fail('c', 'd')
    expect(['a', 'b', 'c'].map(k => counter.isLocked(k, 'd'))).toEqual([false, true, true])
  })
})

describe('the time until the locks end', () => {
  it('is counted to midnight in Shanghai, not on the server\'s clock', () => {
    expect(secondsToShanghaiMidnight(at('2026-05-01', '23:59:59'))).toBe(1)
    expect(secondsToShanghaiMidnight(at('2026-05-02', '00:00:00'))).toBe(86_400)
    expect(secondsToShanghaiMidnight(at('2026-05-01', '08:00:00'))).toBe(57_600)
  })
})

describe('guessing the ID number of one case', () => {
  it('is refused after five failures that day, the right pair included, and audited once without the number', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn)
    const day = '2030-01-01'
    const tries = [0, 1, 2, 3, 4].map(n => outcome(trackWithLimits(conn, caseNo, guess(n), `198.51.100.${n}`, at(day))))
    expect(tries).toEqual(['notFound', 'notFound', 'notFound', 'notFound', 'notFound'])
    expect(outcome(trackWithLimits(conn, caseNo, ZHAO.idNumber, '203.0.113.9', at(day, '23:59:00')))).toBe('locked')
    expect(outcome(trackWithLimits(conn, caseNo.toLowerCase(), guess(5), '203.0.113.9', at(day)))).toBe('locked')
    const rows = lockRows(conn)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ subject: caseNo, ip: '198.51.100.4' })
    expect(JSON.parse(rows[0]!.detail)).toEqual({ lock: 'caseNo', failures: 5, day })
    // the next Shanghai day starts afresh
    expect(outcome(trackWithLimits(conn, caseNo, ZHAO.idNumber, '203.0.113.9', at('2030-01-02', '00:00:01')))).toBe('found')
  })

  it('is not reset by a look-up that finds the case', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn)
    const day = '2030-02-01'
    const look = (id: string) => outcome(trackWithLimits(conn, caseNo, id, null, at(day)))
    expect([look(guess(0)), look(guess(1)), look(guess(2)), look(guess(3))]).toEqual(['notFound', 'notFound', 'notFound', 'notFound'])
    expect(look(ZHAO.idNumber)).toBe('found')
    expect(look(guess(4))).toBe('notFound')
    expect(look(ZHAO.idNumber)).toBe('locked')
  })

  it('counts with TRACK_FAILURES_PER_DAY, as the tests and the benchmark raise it', () => {
    process.env.TRACK_FAILURES_PER_DAY = '8'
    const conn = freshDatabase()
    const caseNo = caseOf(conn)
    const day = '2030-03-01'
    for (let n = 0; n < 7; n++) trackWithLimits(conn, caseNo, guess(n), null, at(day))
    expect(outcome(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, at(day)))).toBe('found')
    trackWithLimits(conn, caseNo, guess(7), null, at(day))
    expect(outcome(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, at(day)))).toBe('locked')
  })
})

describe('walking case numbers with one ID number', () => {
  it('locks the ID number, whichever way its X is typed, and audits it by a keyed hash', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn)
    const day = '2030-04-01'
    const walked = [1, 2, 3, 4, 5].map(n => `SZ20300401${String(n).padStart(6, '0')}`)
    walked.forEach((c, i) => trackWithLimits(conn, c, i % 2 ? ZHAO.idNumber : ZHAO.idNumber.toLowerCase(), '198.51.100.7', at(day)))
    expect(outcome(trackWithLimits(conn, caseNo, ZHAO.idNumber, null, at(day)))).toBe('locked')
    // the case itself is not locked: someone else's ID number still gets an honest answer
    expect(outcome(trackWithLimits(conn, caseNo, guess(9), null, at(day)))).toBe('notFound')
    const rows = lockRows(conn)
    expect(rows.map(r => r.subject)).toEqual([`idNumber:${idNumberDigest(conn, ZHAO.idNumber)}`])
    expect(JSON.parse(rows[0]!.detail)).toEqual({ lock: 'idNumber', failures: 5, day })
    const stored = JSON.stringify(rows)
    for (const part of [ZHAO.idNumber, ZHAO.idNumber.slice(0, 6), ZHAO.idNumber.slice(-4), '19491231']) expect(stored).not.toContain(part)
  })
})
