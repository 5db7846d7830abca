/**
 * The one-time recount of open deadlines stored before the holidays fixed by law were built into
 * the calendar: until then, a year no administrator had entered (2027 here) counted New Year's Day
 * as a working day. Rows are written as the older calendar left them: the services count on
 * today's, so the test writes the older deadline over the one they set.
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { verifyAuditChain } from '../../server/services/audit'
import { calendarEntered } from '../../server/services/calendar-admin'
import { invalidateCalendar } from '../../server/services/calendar'
import { recountBuiltInHolidays } from '../../server/services/calendar-recount'
import { applyTransition } from '../../server/services/transitions'
import { at, badRatingOn as ratedBadly, receiveCounterCase } from '../support/calendar-cases'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let clerk: { id: number, role: string, departmentCode: string }

beforeEach(() => {
  conn = freshDatabase()
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
})
// the calendar in force is cached per process
afterEach(() => invalidateCalendar())

/** A counter case for SZRS-0004 (5 working days to accept, 10 to handle) received at `when`. */
const receive = (when: Date) => receiveCounterCase(conn, clerk, when)

const deadlineOf = (caseNo: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline
const rectificationDeadline = (id: number) => (conn.sqlite.prepare('SELECT deadline FROM rectifications WHERE id = ?').get(id) as { deadline: string }).deadline
/** What the older calendar stored. */
const storedBefore = (caseNo: string, deadline: string) => conn.sqlite.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?').run(deadline, caseNo)
/**
 * The database as migration 0023 (or 0042, for the lunar holidays) leaves one holding open
 * deadlines: from `since` on, the server counted on the new calendar.
 */
const pendingSince = (since: string, recount = 'fixed-holidays') => conn.sqlite.prepare(`UPDATE deadline_recounts SET since = ?, done_at = NULL, case_after = '', rectification_after = 0 WHERE name = ?`).run(since, recount)
const auditRows = () => conn.sqlite.prepare(`SELECT actor_id AS actorId, actor_role AS actorRole, detail FROM audit_log WHERE action = 'calendar.recount' ORDER BY id`)
  .all() as { actorId: number | null, actorRole: string, detail: string }[]

/** A rectification opened by a bad rating on `day` (tests/support/calendar-cases.ts). */
const badRatingOn = (day: string) => ratedBadly(conn, clerk, day)

describe('open deadlines counted through New Year\'s Day 2027 as a working day', () => {
  it('move one working day later once, audited as the system\'s; closed, past and newer deadlines stay', async () => {
    expect(calendarEntered(conn, 2027)).toBe(false)
    // received Mon 28 Dec 2026: Dec 29, 30, 31, Fri 1 Jan (then a working day), Mon 4 Jan
    const open = receive(at('2026-12-28'))
    expect(deadlineOf(open)).toBe('2027-01-05')
    storedBefore(open, '2027-01-04')
    // accepted Mon 21 Dec: 10 working days, the tenth then Mon 4 Jan
    const accepted = receive(at('2026-12-18'))
    applyTransition(conn, { caseNo: accepted, action: 'accept', version: 1, user: clerk, now: at('2026-12-21') })
    expect(deadlineOf(accepted)).toBe('2027-01-05')
    storedBefore(accepted, '2027-01-04')
    // not accepted: its deadline is history
    const closed = receive(at('2026-12-28'))
    applyTransition(conn, { caseNo: closed, action: 'refuse', version: 1, user: clerk, comment: '不属于本部门受理范围', now: new Date('2026-12-28T03:00:00Z') })
    storedBefore(closed, '2027-01-04')
    // due before today
    const past = receive(at('2026-12-14'))
    expect(deadlineOf(past)).toBe('2026-12-21')
    // received after the calendar changed (21:00 in Shenzhen): counted on today's calendar already
    const newer = receive(new Date('2026-12-28T13:00:00Z'))
    expect(deadlineOf(newer)).toBe('2027-01-05')
    // rated Tue 15 Dec: 15 working days, the fifteenth then Tue 5 Jan
    const rectification = badRatingOn('2026-12-15')
    expect(rectificationDeadline(rectification)).toBe('2027-01-06')
    conn.sqlite.prepare('UPDATE rectifications SET deadline = ? WHERE id = ?').run('2027-01-05', rectification)
    pendingSince('2026-12-28T12:00:00.000Z')

    // one row a step: several steps, each its own transaction
    const r = await recountBuiltInHolidays(conn, at('2026-12-29'), 1)
    expect(r).toEqual({ checked: 4, cases: 2, rectifications: 1 })
    expect(deadlineOf(open)).toBe('2027-01-05')
    expect(deadlineOf(accepted)).toBe('2027-01-05')
    expect(rectificationDeadline(rectification)).toBe('2027-01-06')
    expect(deadlineOf(closed)).toBe('2027-01-04')
    expect(deadlineOf(past)).toBe('2026-12-21')
    expect(deadlineOf(newer)).toBe('2027-01-05')

    const rows = auditRows()
    expect(rows.every(a => a.actorId === null && a.actorRole === 'system')).toBe(true)
    const details = rows.map(a => JSON.parse(a.detail) as { reason: string, cases: unknown[], rectifications: unknown[] })
    expect(details.every(d => /fixed by law/.test(d.reason))).toBe(true)
    expect(details.flatMap(d => d.cases)).toEqual(expect.arrayContaining([
      { caseNo: open, from: '2027-01-04', to: '2027-01-05' },
      { caseNo: accepted, from: '2027-01-04', to: '2027-01-05' },
    ]))
    expect(details.flatMap(d => d.cases)).toHaveLength(2)
    expect(details.flatMap(d => d.rectifications)).toEqual([{ id: rectification, from: '2027-01-05', to: '2027-01-06' }])
    expect(verifyAuditChain(conn).firstBadId).toBeNull()

    // the next start: nothing left to do
    expect(await recountBuiltInHolidays(conn, at('2026-12-30'))).toBeNull()
    // stopped after its last step, before it marked itself done: the steps done are not done again
    conn.sqlite.prepare(`UPDATE deadline_recounts SET done_at = NULL WHERE name = 'fixed-holidays'`).run()
    expect(await recountBuiltInHolidays(conn, at('2026-12-30'))).toEqual({ checked: 0, cases: 0, rectifications: 0 })
    expect([deadlineOf(open), deadlineOf(accepted), rectificationDeadline(rectification)]).toEqual(['2027-01-05', '2027-01-05', '2027-01-06'])
    expect(auditRows()).toHaveLength(rows.length)
  })

  it('leaves a deadline set or changed by a transition since the calendar changed', async () => {
    const suspended = receive(at('2026-12-18'))
    applyTransition(conn, { caseNo: suspended, action: 'accept', version: 1, user: clerk, now: at('2026-12-21') })
    storedBefore(suspended, '2027-01-04')
    pendingSince('2026-12-22T00:00:00.000Z')
    // suspended after the change (while the recount waits its turn)
    applyTransition(conn, { caseNo: suspended, action: 'suspend', version: 2, user: clerk, comment: '等待专家鉴定', now: at('2026-12-22') })
    expect(await recountBuiltInHolidays(conn, at('2026-12-23'))).toEqual({ checked: 1, cases: 0, rectifications: 0 })
    expect(deadlineOf(suspended)).toBe('2027-01-04')
  })

  it('recounts a deadline still open even on a first start after New Year\'s Day: a counting error, not an administrator\'s change to a past day', async () => {
    // accepted Mon 21 Dec: stored Mon 4 Jan, and one counted to Friday 8 Jan
    const due = receive(at('2026-12-18'))
    applyTransition(conn, { caseNo: due, action: 'accept', version: 1, user: clerk, now: at('2026-12-21') })
    storedBefore(due, '2027-01-04')
    const later = receive(at('2026-12-18'))
    applyTransition(conn, { caseNo: later, action: 'accept', version: 1, user: clerk, now: at('2026-12-21') })
    storedBefore(later, '2027-01-08')
    pendingSince('2026-12-22T00:00:00.000Z')
    // on Mon 4 Jan, New Year's Day is past, and both still ran through it as a working day
    expect(await recountBuiltInHolidays(conn, at('2027-01-04'))).toEqual({ checked: 2, cases: 2, rectifications: 0 })
    expect([deadlineOf(due), deadlineOf(later)]).toEqual(['2027-01-05', '2027-01-11'])
    expect(auditRows()).toHaveLength(1)
  })

  it('counts each deadline from the start of its own period: one started after New Year\'s Day keeps its date, one before it moves', async () => {
    // received Tue 5 Jan 2027 on the older calendar: Jan 6, 7, 8, 11, 12 on either calendar
    const receivedAfter = receive(at('2027-01-05'))
    expect(deadlineOf(receivedAfter)).toBe('2027-01-12')
    // accepted Mon 1 Mar with 20 working days (SZRS-0009): Mon 29 Mar on either calendar
    const acceptedAfter = receiveCounterCase(conn, clerk, at('2027-02-24'), 'SZRS-0009')
    applyTransition(conn, { caseNo: acceptedAfter, action: 'accept', version: 1, user: clerk, now: at('2027-03-01') })
    expect(deadlineOf(acceptedAfter)).toBe('2027-03-29')
    // rated Tue 5 Jan: 15 working days, Tue 26 Jan on either calendar
    const ratedAfter = badRatingOn('2027-01-05')
    expect(rectificationDeadline(ratedAfter)).toBe('2027-01-26')
    // received Mon 28 Dec 2026: the older calendar, counting New Year's Day, made Mon 4 January its fifth working day
    const receivedBefore = receive(at('2026-12-28'))
    storedBefore(receivedBefore, '2027-01-04')
    // the server is upgraded in the evening of Mon 1 Mar
    pendingSince('2027-03-01T12:00:00.000Z')

    expect(await recountBuiltInHolidays(conn, at('2027-03-02'))).toEqual({ checked: 4, cases: 1, rectifications: 0 })
    expect(deadlineOf(receivedAfter)).toBe('2027-01-12')
    expect(deadlineOf(acceptedAfter)).toBe('2027-03-29')
    expect(rectificationDeadline(ratedAfter)).toBe('2027-01-26')
    // already past, and still one working day later: New Year's Day was not a working day
    expect(deadlineOf(receivedBefore)).toBe('2027-01-05')
    expect(auditRows().flatMap(a => (JSON.parse(a.detail) as { cases: unknown[] }).cases)).toEqual([{ caseNo: receivedBefore, from: '2027-01-04', to: '2027-01-05' }])
  })

  it('counts a suspended case\'s days around its suspension: New Year\'s Day while suspended never counted, one before it did', async () => {
    // accepted Mon 21 Dec 2026 (10 working days, then Mon 4 Jan) and suspended Wed 30 Dec with
    // three left; resumed Tue 5 Jan, the older calendar added the four working days suspended
    // (Dec 31, Jan 1, 4, 5): Fri 8 Jan, the third working day after the resumption on either calendar
    const suspendedOverNewYear = receive(at('2026-12-18'))
    applyTransition(conn, { caseNo: suspendedOverNewYear, action: 'accept', version: 1, user: clerk, now: at('2026-12-21') })
    storedBefore(suspendedOverNewYear, '2027-01-04')
    applyTransition(conn, { caseNo: suspendedOverNewYear, action: 'suspend', version: 2, user: clerk, now: at('2026-12-30') })
    applyTransition(conn, { caseNo: suspendedOverNewYear, action: 'resume', version: 3, user: clerk, now: at('2027-01-05') })
    storedBefore(suspendedOverNewYear, '2027-01-08')
    // accepted Mon 28 Dec (then Mon 11 Jan) and suspended Wed 6 Jan with three left, New Year's
    // Day among the seven used; resumed Mon 18 Jan: Thu 21 Jan. Without New Year's Day four were
    // left: Fri 22 Jan
    const suspendedAfterNewYear = receive(at('2026-12-28'))
    applyTransition(conn, { caseNo: suspendedAfterNewYear, action: 'accept', version: 1, user: clerk, now: at('2026-12-28') })
    storedBefore(suspendedAfterNewYear, '2027-01-11')
    applyTransition(conn, { caseNo: suspendedAfterNewYear, action: 'suspend', version: 2, user: clerk, now: at('2027-01-06') })
    applyTransition(conn, { caseNo: suspendedAfterNewYear, action: 'resume', version: 3, user: clerk, now: at('2027-01-18') })
    expect(deadlineOf(suspendedAfterNewYear)).toBe('2027-01-21')
    pendingSince('2027-01-18T12:00:00.000Z')

    expect(await recountBuiltInHolidays(conn, at('2027-01-19'))).toEqual({ checked: 2, cases: 1, rectifications: 0 })
    expect(deadlineOf(suspendedOverNewYear)).toBe('2027-01-08')
    expect(deadlineOf(suspendedAfterNewYear)).toBe('2027-01-22')
  })

  it('leaves a day an administrator has entered: it was in the older calendar too', async () => {
    const open = receive(at('2026-12-28'))
    storedBefore(open, '2027-01-05')
    // entered by hand before the change: the stored deadline already skipped it
    conn.sqlite.prepare(`INSERT INTO calendar_days (date, kind) VALUES ('2027-01-01', 'holiday')`).run()
    invalidateCalendar()
    pendingSince('2026-12-28T12:00:00.000Z')
    // the first day the two calendars differ is now Labour Day: nothing due before it is looked at
    expect(await recountBuiltInHolidays(conn, at('2026-12-29'))).toEqual({ checked: 0, cases: 0, rectifications: 0 })
    expect(deadlineOf(open)).toBe('2027-01-05')
  })
})

describe('open deadlines counted through the 2027 Spring Festival as working days', () => {
  it('move by the law\'s lunar holidays once, audited as the system\'s; one counted after the change keeps its date', async () => {
    // accepted Mon 18 Jan 2027 with 20 working days (SZRS-0009): counting Fri 5 and Mon 8 Feb, the
    // older calendar made it Mon 15 Feb; without them, Wed 17 Feb
    const before = receiveCounterCase(conn, clerk, at('2027-01-13'), 'SZRS-0009')
    applyTransition(conn, { caseNo: before, action: 'accept', version: 1, user: clerk, now: at('2027-01-18') })
    expect(deadlineOf(before)).toBe('2027-02-17')
    storedBefore(before, '2027-02-15')
    pendingSince('2027-01-18T12:00:00.000Z', 'lunar-holidays')
    // accepted the next day, on the new calendar: Thu 18 Feb
    const after = receiveCounterCase(conn, clerk, at('2027-01-13'), 'SZRS-0009')
    applyTransition(conn, { caseNo: after, action: 'accept', version: 1, user: clerk, now: at('2027-01-19') })
    expect(deadlineOf(after)).toBe('2027-02-18')

    expect(await recountBuiltInHolidays(conn, at('2027-01-19'))).toEqual({ checked: 2, cases: 1, rectifications: 0 })
    expect([deadlineOf(before), deadlineOf(after)]).toEqual(['2027-02-17', '2027-02-18'])
    const [row] = auditRows()
    expect(row).toMatchObject({ actorId: null, actorRole: 'system' })
    expect(JSON.parse(row!.detail)).toMatchObject({ reason: expect.stringMatching(/lunar calendar/), cases: [{ caseNo: before, from: '2027-02-15', to: '2027-02-17' }] })
    expect(await recountBuiltInHolidays(conn, at('2027-01-20'))).toBeNull()
  })

  it('runs after the recount of 0023 when both are still to run, moving a deadline through both once for each', async () => {
    // accepted Mon 14 Dec 2026 with 40 working days (SZRS-0013), stored when the calendar knew none
    // of 2027's holidays: Mon 8 Feb, a day the Spring Festival now takes; counted on today's, as a
    // case accepted then is now, Thu 11 Feb
    const stored = receiveCounterCase(conn, clerk, at('2026-12-09'), 'SZRS-0013')
    applyTransition(conn, { caseNo: stored, action: 'accept', version: 1, user: clerk, now: at('2026-12-14') })
    const today = deadlineOf(stored)
    expect(today).toBe('2027-02-11')
    storedBefore(stored, '2027-02-08')
    pendingSince('2026-12-15T00:00:00.000Z')
    pendingSince('2026-12-15T00:00:00.000Z', 'lunar-holidays')

    expect(await recountBuiltInHolidays(conn, at('2026-12-15'))).toEqual({ checked: 2, cases: 2, rectifications: 0 })
    expect(deadlineOf(stored)).toBe(today)
    // New Year's Day first, counted on a calendar still without the Spring Festival, then its two weekdays
    expect(auditRows().map(r => (JSON.parse(r.detail) as { cases: unknown[] }).cases)).toEqual([
      [{ caseNo: stored, from: '2027-02-08', to: '2027-02-09' }],
      [{ caseNo: stored, from: '2027-02-09', to: '2027-02-11' }],
    ])
  })
})

describe('migration 0023', () => {
  /** The migration's row, as the migrator writes it. */
  const PENDING = readFileSync('db/migrations/0023_fixed_holiday_recount.sql', 'utf8')
    .split('--> statement-breakpoint')
    .filter(s => !/CREATE TABLE/.test(s))
  const migrate = () => {
    conn.sqlite.prepare('DELETE FROM deadline_recounts').run()
    for (const statement of PENDING) conn.sqlite.exec(statement)
    return conn.sqlite.prepare('SELECT since, done_at AS doneAt FROM deadline_recounts').get() as { since: string, doneAt: string | null }
  }

  it('leaves the recount to run only on a database holding open deadlines', async () => {
    // a new database: nothing was counted on the older calendar
    const before = new Date().toISOString()
    const none = migrate()
    expect(none.doneAt).not.toBeNull()
    expect(none.since >= before).toBe(true)
    const open = receive(at('2026-12-28'))
    storedBefore(open, '2027-01-04')
    expect(await recountBuiltInHolidays(conn, at('2026-12-29'))).toBeNull()
    expect(deadlineOf(open)).toBe('2027-01-04')

    expect(migrate().doneAt).toBeNull()
  })
})
