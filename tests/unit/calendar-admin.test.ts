/**
 * The calendar as administrators keep it: when a year counts as entered, and what entering the
 * State Council's notice, or correcting a day (today's, or one already past), does to the deadlines
 * of cases already open and of rectifications not yet answered: each keeps its working days counted
 * from the start of its own period.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { calendarEntered, changeCalendar, commitCalendarChange } from '../../server/services/calendar-admin'
import { casePeriod, recountAnchor, recountDeadline } from '../../server/services/deadline-periods'
import type { CaseEventRow } from '../../server/services/deadline-periods'
import { invalidateCalendar, loadCalendar } from '../../server/services/calendar'
import { flagOf } from '../../server/services/case-views'
import { answerRectification } from '../../server/services/rectifications'
import { applyTransition } from '../../server/services/transitions'
import { addDays, addWorkingDays, isWorkingDay, makeCalendar, workingDaysBetween } from '../../shared/utils/working-days'
import type { CalendarOverrides, CalendarRow } from '../../shared/utils/working-days'
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

/** A counter case for SZRS-0004 (promised 10 working days) or `serviceCode`, accepted on `day` unless told otherwise. */
function caseOn(day: string, accept = true, serviceCode?: string): string {
  const caseNo = receiveCounterCase(conn, clerk, at(day), serviceCode)
  if (accept) applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now: at(day) })
  return caseNo
}

const deadlineOf = (caseNo: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline
/** A rectification opened by a bad rating on `day` (tests/support/calendar-cases.ts). */
const badRatingOn = (day: string) => ratedBadly(conn, clerk, day)
const rectificationDeadline = (id: number) => (conn.sqlite.prepare('SELECT deadline FROM rectifications WHERE id = ?').get(id) as { deadline: string }).deadline
/** An administrator's change made on `day`: the clock is set to it, so what moves cannot depend on the day the tests run. */
function change(add: { date: string, kind: 'holiday' | 'workday' }[], day: string, remove: string[] = []) {
  vi.useFakeTimers({ now: at(day), toFake: ['Date'] })
  try {
    return writeTransaction(conn, () => changeCalendar(conn, { add, remove }, admin, null))
  }
  finally {
    vi.useRealTimers()
  }
}

describe('entering next year\'s notice', () => {
  it('counts a year as entered only with its notice\'s Spring Festival break, longer than the law\'s four days', () => {
    expect(calendarEntered(conn, 2026)).toBe(true)
    // built in: New Year's Day, Labour Day, National Day, and the Spring Festival's four days off by
    // law, Fri 5 to Mon 8 Feb 2027 (the weekend between): not the notice
    expect(calendarEntered(conn, 2027)).toBe(false)
    change([{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-05-01', kind: 'holiday' }, { date: '2027-10-01', kind: 'holiday' }], '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(false)
    // a day entered by hand is not the notice
    change([{ date: '2027-02-09', kind: 'holiday' }], '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(false)
    // the break of a notice: eight days, 5 to 12 Feb
    change(['2027-02-10', '2027-02-11', '2027-02-12'].map(date => ({ date, kind: 'holiday' as const })), '2026-12-03')
    expect(calendarEntered(conn, 2027)).toBe(true)
  })

  it('keeps a year with a built-in notice entered when an administrator corrects one of its days', () => {
    change([{ date: '2026-01-01', kind: 'workday' }], '2025-12-20')
    expect(calendarEntered(conn, 2026)).toBe(true)
    expect(calendarEntered(conn, 2024)).toBe(true)
    expect(calendarEntered(conn, 2019)).toBe(false)
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

  it('moves the deadlines that counted a day already past when it is corrected, not those counted from after it', () => {
    // accepted Mon 21 Dec 2026: Tue 22 Dec was its first working day, Tue 5 Jan its tenth
    const counted = caseOn('2026-12-21')
    // received Wed 23 Dec: Dec 24, 25, 28, 29, 30
    const after = caseOn('2026-12-23', false)
    expect(deadlineOf(after)).toBe('2026-12-30')
    // entered on 29 December: the offices were closed on the 22nd
    const r = change([{ date: '2026-12-22', kind: 'holiday' }], '2026-12-29')
    expect(r.deadlinesMoved).toBe(1)
    expect(deadlineOf(counted)).toBe('2027-01-06')
    expect(deadlineOf(after)).toBe('2026-12-30')
  })
})

/** The Asia/Shanghai day a case's deadline shows as overdue, near or in time on. */
const flagOn = (caseNo: string, day: string) => {
  const c = conn.sqlite.prepare('SELECT status, deadline, suspended_since AS since FROM cases WHERE case_no = ?').get(caseNo) as { status: string, deadline: string, since: string | null }
  return flagOf(c.status, c.deadline, day, loadCalendar(conn), c.since)
}

describe('a change that fails', () => {
  it('leaves neither its days nor its moved deadlines behind, in the database or in the calendar in force', () => {
    const caseNo = caseOn('2026-03-02') // due 16 Mar
    expect(loadCalendar(conn).holidays.has('2026-03-10')).toBe(false)
    // the disk refuses the audit row, after the deadlines were moved and the new calendar loaded
    conn.sqlite.exec(`CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    expect(() => commitCalendarChange(conn, { add: [{ date: '2026-03-10', kind: 'holiday' }], remove: [] }, admin)).toThrow('database or disk is full')
    conn.sqlite.exec('DROP TRIGGER refuse_audit')
    expect(conn.sqlite.prepare(`SELECT count(*) FROM calendar_days WHERE date = '2026-03-10'`).pluck().get()).toBe(0)
    expect(deadlineOf(caseNo)).toBe('2026-03-16')
    expect(loadCalendar(conn).holidays.has('2026-03-10')).toBe(false)
    expect(commitCalendarChange(conn, { add: [{ date: '2026-03-10', kind: 'holiday' }], remove: [] }, admin)).toMatchObject({ added: 1, deadlinesMoved: 1 })
    expect(loadCalendar(conn).holidays.has('2026-03-10')).toBe(true)
  })
})

describe('a closure entered on the day, and a notice entered during its holiday', () => {
  it('a typhoon closure entered on Wed 8 Sep 2027 moves the cases due that day and after, not those counted from it', () => {
    // received Wed 1 Sep: Sep 2, 3, 6, 7, 8
    const dueThatDay = caseOn('2027-09-01', false)
    expect(deadlineOf(dueThatDay)).toBe('2027-09-08')
    // accepted Wed 1 Sep: ten working days, the eighth the fifth of them and the Mid-Autumn
    // Festival (Wed 15 Sep) not one; due Thu 16 Sep
    const dueLater = caseOn('2027-09-01')
    expect(deadlineOf(dueLater)).toBe('2027-09-16')
    // an instant item received that morning, due the same day
    const instant = receiveCounterCase(conn, clerk, at('2027-09-08'), 'SZRS-0006')
    expect(deadlineOf(instant)).toBe('2027-09-08')
    // received that morning: its count starts the next day (Sep 9, 10, 13, 14, 16)
    const receivedThatDay = caseOn('2027-09-08', false)
    expect(deadlineOf(receivedThatDay)).toBe('2027-09-16')
    // rated Wed 25 Aug: 15 working days, Thu 16 Sep
    const rectification = badRatingOn('2027-08-25')
    expect(rectificationDeadline(rectification)).toBe('2027-09-16')

    const r = change([{ date: '2027-09-08', kind: 'holiday' }], '2027-09-08')
    expect(r).toMatchObject({ deadlinesMoved: 3, rectificationsMoved: 1 })
    // due the next working day: on the 9th it is due today, not overdue
    expect(deadlineOf(dueThatDay)).toBe('2027-09-09')
    expect(flagOn(dueThatDay, '2027-09-09')).toEqual({ deadlineStatus: 'near', overdue: false })
    expect(deadlineOf(instant)).toBe('2027-09-09')
    expect(deadlineOf(dueLater)).toBe('2027-09-17')
    expect(rectificationDeadline(rectification)).toBe('2027-09-17')
    expect(deadlineOf(receivedThatDay)).toBe('2027-09-16')
  })

  it('the Spring Festival notice entered on Tue 1 Feb 2028, the last day of a break from Tue 25 Jan, takes out its days already past too', () => {
    // accepted Mon 17 Jan 2028 with 20 working days (SZRS-0009): every weekday counted but the
    // Spring Festival's four days off by law (Tue 25 to Fri 28 Jan), so Fri 18 Feb
    const accepted = caseOn('2028-01-17', true, 'SZRS-0009')
    expect(deadlineOf(accepted)).toBe('2028-02-18')
    const days = Array.from({ length: 8 }, (_, i) => addDays('2028-01-25', i))
    change(days.map(date => ({ date, kind: 'holiday' as const })), '2028-02-01')
    // Jan 18-21 and 24, then Feb 2-4, 7-11, 14-18, 21 and 22: Mon 31 Jan, already past, and Tue 1 Feb are not counted either
    expect(deadlineOf(accepted)).toBe('2028-02-22')
  })
})

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

/**
 * A handling deadline as transitions.ts sets it on `cal`: `days` working days after the acceptance,
 * each pause (a suspension, or corrections asked for) adding its working days at resume. In time
 * when every pause began before the deadline then in force (the clock had days left to stop).
 */
function handlingDeadline(accepted: string, days: number, pauses: { from: string, to: string }[], cal: CalendarOverrides): { deadline: string, inTime: boolean } {
  let deadline = addWorkingDays(accepted, days, cal)
  let inTime = true
  for (const p of pauses) {
    inTime &&= p.from < deadline
    deadline = addWorkingDays(deadline, Math.max(0, workingDaysBetween(p.from, p.to, cal)), cal)
  }
  return { deadline, inTime }
}

describe('recounting against the rules that set deadlines', () => {
  const before = makeCalendar()
  const day = (offset: number) => addDays('2027-01-04', offset)

  it('gives every deadline the day the new calendar would have set from the start of its period, or leaves it when no count from a start explains it', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 1, max: 30 }),
      // each pause: days after the last event until it begins, and how long it lasts
      fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 0, max: 15 }), suspension: fc.boolean() }), { maxLength: 3 }),
      // the changed days, around the period: a working day becomes a holiday, a day off a working day
      fc.uniqueArray(fc.integer({ min: -15, max: 120 }), { minLength: 1, maxLength: 6 }),
      (acceptedOn, days, pauseShapes, changedOffsets) => {
        const accepted = day(acceptedOn)
        const events: CaseEventRow[] = [{ at: at(addDays(accepted, -2)).toISOString(), action: 'submit' }, { at: at(accepted).toISOString(), action: 'accept' }]
        const pauses: { from: string, to: string }[] = []
        let last = accepted
        for (const p of pauseShapes) {
          const from = addDays(last, p.gap)
          last = addDays(from, p.length)
          pauses.push({ from, to: last })
          events.push({ at: at(from).toISOString(), action: p.suspension ? 'suspend' : 'return' }, { at: at(last).toISOString(), action: p.suspension ? 'resume' : 'resubmit' })
        }
        const changed = changedOffsets.map(o => addDays(accepted, o))
        const after = makeCalendar(changed.map((date): CalendarRow => ({ date, kind: isWorkingDay(date, before) ? 'holiday' : 'workday' })))
        const stored = handlingDeadline(accepted, days, pauses, before)
        const wanted = handlingDeadline(accepted, days, pauses, after)
        const anchor = recountAnchor(changed)
        // a deadline extended after it had passed is not a count from a start: left as it was
        const counted = stored.inTime && wanted.inTime
        // only deadlines after the anchor are looked at: up to it the calendars agree
        if (stored.deadline <= anchor) {
          if (counted) expect(wanted.deadline).toBe(stored.deadline)
          return
        }
        const recounted = recountDeadline(anchor, stored.deadline, before, after, casePeriod(events, false)!)
        expect(recounted).toBe(counted ? wanted.deadline : stored.deadline)
      },
    ), { numRuns: 500 })
  })
})
