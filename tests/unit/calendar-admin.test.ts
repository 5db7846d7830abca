/**
 * The calendar as administrators keep it: when a year counts as entered, and what entering the
 * State Council's notice does to the deadlines of cases already open and of rectifications not yet answered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { calendarEntered, changeCalendar } from '../../server/services/calendar-admin'
import { invalidateCalendar } from '../../server/services/calendar'
import { answerRectification } from '../../server/services/rectifications'
import { applyTransition } from '../../server/services/transitions'
import { at, badRatingOn as ratedBadly, receiveCounterCase } from '../support/calendar-cases'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let admin: { id: number, role: string }
let clerk: { id: number, role: string, departmentCode: string }

beforeEach(() => {
  conn = freshDatabase()
  admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
})
// the calendar in force is cached per process: the next test's database has none of these rows
afterEach(() => invalidateCalendar())

/** A counter case for SZRS-0004 (promised 10 working days), accepted on `day` unless told otherwise. */
function caseOn(day: string, accept = true): string {
  const caseNo = receiveCounterCase(conn, clerk, at(day))
  if (accept) applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now: at(day) })
  return caseNo
}

const deadlineOf = (caseNo: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline
const change = (add: { date: string, kind: 'holiday' | 'workday' }[], day: string, remove: string[] = []) =>
  writeTransaction(conn, () => changeCalendar(conn, { add, remove }, admin, null, at(day)))

describe('entering next year\'s notice', () => {
  it('counts a year as entered only with its New Year, Spring Festival, Labour Day and National Day holidays', () => {
    expect(calendarEntered(conn, 2026)).toBe(true)
    expect(calendarEntered(conn, 2027)).toBe(false)
    change([{ date: '2027-01-01', kind: 'holiday' }], '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(false)
    change([{ date: '2027-05-01', kind: 'holiday' }, { date: '2027-10-01', kind: 'holiday' }], '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(false)
    // one day of the Spring Festival is not the notice; its four days off by law are
    change([{ date: '2027-02-08', kind: 'holiday' }], '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(false)
    change(['2027-02-05', '2027-02-09', '2027-02-10'].map(date => ({ date, kind: 'holiday' as const })), '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(true)
  })

  it('moves the deadlines of open cases that run over the changed days, and audits them', () => {
    // accepted Mon 21 Dec 2026: 10 working days, 2027 counted Monday to Friday but for the
    // holidays the law fixes by date (New Year's Day, Friday 1 January)
    const open = caseOn('2026-12-21')
    expect(deadlineOf(open)).toBe('2027-01-05')
    const waiting = caseOn('2026-12-28', false)
    expect(deadlineOf(waiting)).toBe('2027-01-05')
    const early = caseOn('2026-12-01')
    expect(deadlineOf(early)).toBe('2026-12-15')
    const done = caseOn('2026-12-22')
    applyTransition(conn, { caseNo: done, action: 'approve', version: 2, user: clerk, now: at('2026-12-23') })
    const doneDeadline = deadlineOf(done)

    // the notice adds Monday 4 January to the New Year holiday
    const r = change([{ date: '2027-01-04', kind: 'holiday' }], '2026-12-29')
    expect(r).toEqual({ added: 1, removed: 0, deadlinesMoved: 2, rectificationsMoved: 0 })
    // that Monday no longer counts: one working day later
    expect(deadlineOf(open)).toBe('2027-01-06')
    expect(deadlineOf(waiting)).toBe('2027-01-06')
    // a deadline before the change, and a case already decided, stay as they were
    expect(deadlineOf(early)).toBe('2026-12-15')
    expect(deadlineOf(done)).toBe(doneDeadline)
    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'calendar.update'`).get() as { detail: string }
    expect(JSON.parse(audit.detail)).toMatchObject({ deadlinesMoved: 2, cases: expect.arrayContaining([{ caseNo: open, from: '2027-01-05', to: '2027-01-06' }]) })

    // an adjusted working Saturday gives the day back
    change([{ date: '2027-01-02', kind: 'workday' }], '2026-12-29')
    expect(deadlineOf(open)).toBe('2027-01-05')
    // without the added holiday, that Monday is the tenth working day
    change([], '2026-12-29', ['2027-01-04'])
    expect(deadlineOf(open)).toBe('2027-01-04')
    change([], '2026-12-29', ['2027-01-02'])
    expect(deadlineOf(open)).toBe('2027-01-05')
    expect(deadlineOf(waiting)).toBe('2027-01-05')
  })

  it('leaves deadlines as they were when a day already past is corrected', () => {
    const open = caseOn('2026-12-21')
    const r = change([{ date: '2026-12-22', kind: 'holiday' }], '2026-12-29')
    expect(r.deadlinesMoved).toBe(0)
    expect(deadlineOf(open)).toBe('2027-01-05')
  })
})

/** A rectification opened by a bad rating on `day` (tests/support/calendar-cases.ts). */
const badRatingOn = (day: string) => ratedBadly(conn, clerk, day)

const rectificationDeadline = (id: number) => (conn.sqlite.prepare('SELECT deadline FROM rectifications WHERE id = ?').get(id) as { deadline: string }).deadline

describe('a bad rating\'s rectification under a changed calendar', () => {
  it('keeps its 15 working days: an unanswered one moves and is audited, an answered or past one stays', () => {
    // rated Tue 15 Dec 2026: 15 working days, 2027 counted Monday to Friday but for New Year's Day
    const open = badRatingOn('2026-12-15')
    expect(rectificationDeadline(open)).toBe('2027-01-06')
    const answered = badRatingOn('2026-12-15')
    writeTransaction(conn, () => answerRectification(conn, answered, clerk, '已电话回访并改进', null, at('2026-12-16')))
    const early = badRatingOn('2026-11-02')
    expect(rectificationDeadline(early)).toBe('2026-11-23')

    const r = change([{ date: '2027-01-04', kind: 'holiday' }], '2026-12-29')
    expect(r).toMatchObject({ rectificationsMoved: 1 })
    expect(rectificationDeadline(open)).toBe('2027-01-07')
    expect(rectificationDeadline(answered)).toBe('2027-01-06')
    expect(rectificationDeadline(early)).toBe('2026-11-23')
    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'calendar.update'`).get() as { detail: string }
    expect(JSON.parse(audit.detail)).toMatchObject({ rectificationsMoved: 1, rectifications: [{ id: open, from: '2027-01-06', to: '2027-01-07' }] })

    // the holiday withdrawn: the deadline comes back
    change([], '2026-12-29', ['2027-01-04'])
    expect(rectificationDeadline(open)).toBe('2027-01-06')
  })
})
