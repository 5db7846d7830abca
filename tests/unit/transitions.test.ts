/**
 * A case's journey through the workflow, at the service level against a fresh database: every
 * path of the contract's table, the time limits in working days, and the conflicts (stale
 * version, action not allowed now, missing reason, two clerks at once).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations, openDatabase, writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { receiveCase } from '../../server/services/case-intake'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { exportCatalogue, importCatalogue } from '../../server/services/catalogue-import'
import { receiveCounterCase } from '../../server/services/counter'
import { invalidateCalendar } from '../../server/services/calendar'
import { changeCalendar } from '../../server/services/calendar-admin'
import { openOverdueByDepartment, supervision } from '../../server/services/supervision'
import { trackCase } from '../../server/services/tracking'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import type { ServiceGuide } from '../../shared/types/catalogue'
import { makeUscc } from '../../shared/utils/uscc'
import { failure } from '../support/case-errors'
import { freshDatabase, userIdOf } from '../support/db'
import { CITIZEN, photoUpload, receiveOnline } from '../support/online-cases'

/** 10:00 in Shenzhen on a day. */
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour - 8).padStart(2, '0')}:00:00Z`)

let conn: Connection
let citizen: { id: number, role: string, departmentCode: null }
let clerk: { id: number, role: string, departmentCode: string }
let clerk2: { id: number, role: string, departmentCode: string }
/** 赵志刚, the head of the clerk's department (本行政机关负责人): only they extend a time limit */
let head: { id: number, role: string, departmentCode: string }

const upload = (owner: number) => photoUpload(conn, owner)

/** The citizen applies online for a social security card (SZRS-0004: promised 10 working days). */
const applyOnline = (serviceCode = 'SZRS-0004', day: string | Date = '2026-03-02', answers?: Record<string, unknown>) =>
  receiveOnline(conn, citizen.id, typeof day === 'string' ? at(day) : day, { serviceCode, answers })

function act(caseNo: string, by: TransitionInput['user'], action: TransitionInput['action'], day: string, extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: by, now: at(day), ...extra })
}

const daily = (day: string, dept = 'SZRS') => conn.sqlite.prepare('SELECT completed, completed_on_time AS onTime, handling_days AS handlingDays FROM case_daily WHERE day = ? AND department_code = ?').get(day, dept) as { completed: number, onTime: number, handlingDays: number } | undefined

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  clerk2 = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
  head = { id: userIdOf(conn, 'head'), role: 'clerk', departmentCode: 'SZRS' }
})

describe('a clerk accepts and approves a case', () => {
  it('sets the handling deadline from the promised limit and completes on time with a result', () => {
    const caseNo = applyOnline()
    const submitted = findVisibleCase(conn, caseNo, clerk)!
    // Mon 2 Mar 2026 + 5 working days = Mon 9 Mar
    expect(submitted.deadline).toBe('2026-03-09')
    const accepted = act(caseNo, clerk, 'accept', '2026-03-02')
    expect(accepted.status).toBe('accepted')
    expect(accepted.version).toBe(2)
    // 10 working days after Mon 2 Mar: 3–6, 9–13, 16 Mar
    expect(accepted.deadline).toBe('2026-03-16')
    // the contract's list as it is, the portal's extension of the time limit apart: the head's to take
    expect(accepted.allowedActions).toEqual(['return', 'approve', 'reject', 'suspend'])
    expect(accepted.extraActions).toEqual([])
    expect(caseDetail(conn, findVisibleCase(conn, caseNo, head)!, head, at('2026-03-02')).extraActions).toEqual(['extend'])
    const approved = act(caseNo, clerk, 'approve', '2026-03-13')
    expect(approved.status).toBe('approved')
    expect(approved.completedDate).toBe('2026-03-13')
    expect(approved.result?.code).toMatch(/^[A-Z2-9]{16}$/)
    expect(approved.events.map(e => e.action)).toEqual(['submit', 'accept', 'approve'])
    expect(approved.allowedActions).toEqual([])
    // received Mon 2 Mar, completed Fri 13 Mar: 9 working days in (2 Mar, 13 Mar]
    expect(daily('2026-03-13')).toEqual({ completed: 1, onTime: 1, handlingDays: 9 })
  })

  it('counts a decision after the deadline as late', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02')
    act(caseNo, clerk, 'reject', '2026-03-17', { comment: '不符合申领条件' })
    expect(daily('2026-03-17')).toEqual({ completed: 1, onTime: 0, handlingDays: 11 })
  })

  it('writes the event, the audit row and the notices of every change', () => {
    const caseNo = applyOnline()
    expect(caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk, at('2026-03-02')).acceptedBefore).toBe(false)
    act(caseNo, clerk, 'accept', '2026-03-02')
    const audit = conn.sqlite.prepare('SELECT action, actor_id AS actorId FROM audit_log WHERE subject = ? ORDER BY id').all(caseNo)
    expect(audit).toEqual([{ action: 'case.submit', actorId: citizen.id }, { action: 'case.accept', actorId: clerk.id }])
    const messages = conn.sqlite.prepare('SELECT kind FROM messages WHERE case_no = ? ORDER BY id').all(caseNo)
    expect(messages).toEqual([{ kind: 'submitted' }, { kind: 'accept' }])
    const sms = conn.sqlite.prepare('SELECT template, recipient FROM outbox ORDER BY id').all()
    expect(sms).toEqual([{ template: 'case.submitted', recipient: CITIZEN.mobile }, { template: 'case.accept', recipient: CITIZEN.mobile }])
  })

  it('tells the applicant why a case is suspended and for how long, as 第四十五条 asks, and keeps it on the event', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02')
    const suspended = act(caseNo, clerk, 'suspend', '2026-03-03', { suspension: { kind: 'expertReview', expectedDays: 15 } })
    expect(suspended.events.at(-1)).toMatchObject({ action: 'suspend', suspension: { kind: 'expertReview', expectedDays: 15 } })
    expect(trackCase(conn, caseNo, CITIZEN.idNumber)!.events.at(-1)).toMatchObject({ action: 'suspend', suspension: { kind: 'expertReview', expectedDays: 15 } })
    const message = conn.sqlite.prepare(`SELECT kind, params FROM messages WHERE case_no = ? ORDER BY id DESC LIMIT 1`).get(caseNo) as { kind: string, params: string }
    expect({ kind: message.kind, ...JSON.parse(message.params) }).toMatchObject({ kind: 'expertReview', expectedDays: 15, kindName: '专家评审' })
    expect(conn.sqlite.prepare('SELECT template FROM outbox ORDER BY id DESC LIMIT 1').pluck().get()).toBe('case.suspendFor')
    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.suspend' AND subject = ?`).pluck().get(caseNo) as string
    expect(JSON.parse(audit)).toMatchObject({ suspension: { kind: 'expertReview', expectedDays: 15 } })
    // resumed: the resumption is told as before; a suspension without them (the contract's) still goes
    act(caseNo, clerk, 'resume', '2026-03-05')
    expect(act(caseNo, clerk, 'suspend', '2026-03-06').events.at(-1)).not.toHaveProperty('suspension')
    expect(conn.sqlite.prepare(`SELECT kind FROM messages WHERE case_no = ? ORDER BY id DESC LIMIT 1`).pluck().get(caseNo)).toBe('suspend')
  })

  it('refuses a suspension\'s reason with another action, an unknown reason, and days out of range', () => {
    const caseNo = applyOnline()
    expect(failure(() => act(caseNo, clerk, 'accept', '2026-03-02', { suspension: { kind: 'hearing', expectedDays: 5 } })).data)
      .toMatchObject({ fieldErrors: { suspension: 'case.errors.notForAction' } })
    act(caseNo, clerk, 'accept', '2026-03-02')
    expect(failure(() => act(caseNo, clerk, 'suspend', '2026-03-03', { suspension: { kind: 'lunch' as 'hearing', expectedDays: 5 } })).data)
      .toMatchObject({ fieldErrors: { 'suspension.kind': 'validation.option' } })
    for (const expectedDays of [0, 366, 1.5]) {
      expect(failure(() => act(caseNo, clerk, 'suspend', '2026-03-03', { suspension: { kind: 'hearing', expectedDays } })).data)
        .toMatchObject({ fieldErrors: { 'suspension.expectedDays': 'case.errors.suspensionDays' } })
    }
    expect(conn.sqlite.prepare('SELECT status FROM cases WHERE case_no = ?').pluck().get(caseNo)).toBe('accepted')
  })
})

describe('the terms the applicant was given when the case was received', () => {
  /** An administrator imports the next version of an item's guide (SZRS-0004's unless named) with `patch`. */
  function publishNextVersion(patch: (g: ServiceGuide) => Partial<ServiceGuide>, code = 'SZRS-0004') {
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
    const current = exportCatalogue(conn).services.find(s => s.code === code)!
    const result = writeTransaction(conn, () => importCatalogue(conn, admin, [{ ...current, ...patch(current) }], { dryRun: false }))
    expect(result).toMatchObject({ ok: true, updated: 1 })
  }

  it('hold the promised limit the applicant was given: a shorter one published since does not make the case overdue', () => {
    const caseNo = applyOnline()
    publishNextVersion(() => ({ promisedLimitDays: 1 }))
    // 10 working days after Tue 3 Mar, as promised when the case was received, not the next working day
    expect(act(caseNo, clerk, 'accept', '2026-03-03').deadline).toBe('2026-03-17')
    // a case received under the new version has the new promise
    const later = applyOnline('SZRS-0004', '2026-03-03')
    expect(act(later, clerk, 'accept', '2026-03-03').deadline).toBe('2026-03-04')
  })

  it('do not stretch a promise already made when a longer limit is published', () => {
    const caseNo = applyOnline()
    publishNextVersion(g => ({ promisedLimitDays: 15, legalLimitDays: Math.max(g.legalLimitDays, 15) }))
    expect(act(caseNo, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
  })

  it('count a legal limit in natural days, when nothing was promised, as its law counts it', () => {
    // SZRS-0005 is instant (nothing promised); accepted rather than decided on the spot, its legal limit sets the deadline
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const natural = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: undefined }), 'SZRS-0005')
    const working = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    // 14 natural days after Mon 2 Mar: Mon 16 Mar, though a later version counts working days
    expect(act(natural, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
    // 14 working days after Mon 2 Mar
    expect(act(working, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-20')
  })

  it('count a legal limit in natural days across a holiday by the calendar, the last day off moving to the next working day', () => {
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const overNationalDay = applyOnline('SZRS-0005', '2026-09-28', { ...CITIZEN, lossType: 'temp' })
    // Mon 28 Sep + 14 days = Mon 12 Oct, whatever National Day took: not 10 working days on (16 Oct)
    expect(act(overNationalDay, clerk, 'accept', '2026-09-28').deadline).toBe('2026-10-12')
    publishNextVersion(() => ({ legalLimitDays: 12, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const endsOnSaturday = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    // Mon 2 Mar + 12 days = Sat 14 Mar, a day off: Mon 16 Mar (民法典 第二百零三条)
    expect(act(endsOnSaturday, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
  })

  it('keep counting a natural-day limit in natural days when an administrator changes the calendar', () => {
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const natural = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: undefined }), 'SZRS-0005')
    const working = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    act(natural, clerk, 'accept', '2026-03-02')
    act(working, clerk, 'accept', '2026-03-02')
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    const deadlineOf = (no: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(no) as { deadline: string }).deadline
    const closed = (date: string) => writeTransaction(conn, () => changeCalendar(conn, { add: [{ date, kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
    try {
      // a day closed in between: 14 days are 14 days, while a count of working days gets one more
      closed('2026-03-10')
      expect(deadlineOf(natural)).toBe('2026-03-16')
      expect(deadlineOf(working)).toBe('2026-03-23')
      // the last day closed: the next working day (民法典 第二百零三条)
      closed('2026-03-16')
      expect(deadlineOf(natural)).toBe('2026-03-17')
    }
    finally {
      // the calendar in force is cached per process: the next test's database has no such days
      invalidateCalendar()
    }
  })

  it('leave every day of a pause out of a natural-day limit, and keep counting so when the calendar changes', () => {
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const suspended = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    const returned = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    act(suspended, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(returned, clerk, 'accept', '2026-03-02')
    act(suspended, clerk, 'suspend', '2026-03-04')
    act(returned, clerk, 'return', '2026-03-04', { comment: '请补正', supplement: { fields: [], materials: [] } })
    // (4 Mar, 9 Mar]: five days the law leaves out, three of them working days: 2 Mar + 14 + 5 is
    // Saturday 21 Mar, so Monday 23 Mar (three working days after 16 Mar would be 19 Mar)
    expect(act(suspended, clerk, 'resume', '2026-03-09').deadline).toBe('2026-03-23')
    expect(act(returned, citizen, 'resubmit', '2026-03-09').deadline).toBe('2026-03-23')
    // a second pause, (10 Mar, 12 Mar]: two days more counted from acceptance are Monday 23 Mar
    // again, the weekend the first count ended on used up (added to the Monday, it would be 25 Mar)
    act(suspended, clerk, 'suspend', '2026-03-10')
    expect(act(suspended, clerk, 'resume', '2026-03-12').deadline).toBe('2026-03-23')
    expect((conn.sqlite.prepare('SELECT suspended_days AS n FROM cases WHERE case_no = ?').get(suspended) as { n: number }).n).toBe(5)
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    const deadlineOf = (no: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(no) as { deadline: string }).deadline
    const closed = (date: string) => writeTransaction(conn, () => changeCalendar(conn, { add: [{ date, kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
    try {
      // a day closed in between changes neither; a closed last day moves both to the next working day
      closed('2026-03-18')
      expect([deadlineOf(suspended), deadlineOf(returned)]).toEqual(['2026-03-23', '2026-03-23'])
      closed('2026-03-23')
      expect([deadlineOf(suspended), deadlineOf(returned)]).toEqual(['2026-03-24', '2026-03-24'])
    }
    finally {
      invalidateCalendar()
    }
  })

  it('hold a promise in working days to a legal limit in natural days, which a long holiday can make the earlier', () => {
    // SZRS-0004 promises 10 working days; its law now says 14 natural days, which an ordinary
    // fortnight holds (the editor refuses a promise longer than that), and National Day does not
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }))
    const ordinary = applyOnline('SZRS-0004', '2026-03-02')
    const overNationalDay = applyOnline('SZRS-0004', '2026-09-28')
    const suspended = applyOnline('SZRS-0004', '2026-09-28')
    const extended = applyOnline('SZRS-0004', '2026-09-28')
    const stillSuspended = applyOnline('SZRS-0004', '2026-09-28')
    // received Friday 9 Oct, not yet accepted: 5 working days to decide, 10 (a Saturday worked) to 15 Oct
    const waiting = applyOnline('SZRS-0004', '2026-10-09')
    // 2 Mar: both counts end on Monday 16 Mar
    expect(act(ordinary, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
    // 28 Sep: ten working days end on 16 Oct, fourteen days on Monday 12 Oct: the law's day
    expect(act(overNationalDay, clerk, 'accept', '2026-09-28').deadline).toBe('2026-10-12')
    act(suspended, clerk, 'accept', '2026-09-28')
    act(extended, clerk, 'accept', '2026-09-28')
    act(stillSuspended, clerk, 'accept', '2026-09-28')
    act(stillSuspended, clerk, 'suspend', '2026-09-30')
    // suspended (29 Sep, 9 Oct]: ten days the law leaves out (12 Oct → 22 Oct) and three working
    // days the promise does (16 Oct → 21 Oct): now the promise is the earlier. Moved from the
    // 12 Oct that was in force, three working days would have made it 15 Oct
    act(suspended, clerk, 'suspend', '2026-09-29')
    expect(act(suspended, clerk, 'resume', '2026-10-09').deadline).toBe('2026-10-21')
    // extended by 5: 19 days end on Saturday 17 Oct, so Monday 19 Oct; 15 working days on 23 Oct
    expect(act(extended, head, 'extend', '2026-09-29', { comment: '需组织专家评审', days: 5 }).deadline).toBe('2026-10-19')
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    const deadlineOf = (no: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(no) as { deadline: string }).deadline
    const closed = (date: string) => writeTransaction(conn, () => changeCalendar(conn, { add: [{ date, kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
    try {
      // a day closed in between: the law's fourteen days stay fourteen, the promise gets a day more
      closed('2026-10-09')
      expect(deadlineOf(overNationalDay)).toBe('2026-10-12')
      // the suspended case's clock stood still that day: its count is as it was
      expect(deadlineOf(suspended)).toBe('2026-10-21')
      // its last day closed: the next working day (民法典 第二百零三条), still before the promise
      closed('2026-10-12')
      expect(deadlineOf(overNationalDay)).toBe('2026-10-13')
      // the resumed case ran that day: a working day more (22 Oct), as far as the law's count now
      expect(deadlineOf(suspended)).toBe('2026-10-22')
      // and each applicant, told the day before, is told the new one
      const told = (no: string) => (conn.sqlite.prepare(`SELECT params FROM messages WHERE case_no = ? AND kind = 'deadlineMoved' ORDER BY id`).pluck().all(no) as string[]).map(p => JSON.parse(p))
      expect(told(overNationalDay)).toEqual([{ caseNo: overNationalDay, previous: '2026-10-12', deadline: '2026-10-13', stage: 'handling' }])
      expect(told(suspended)).toEqual([{ caseNo: suspended, previous: '2026-10-21', deadline: '2026-10-22', stage: 'handling' }])
      // a case waiting for acceptance: the day of the decision on acceptance, said as such
      expect(deadlineOf(waiting)).toBe('2026-10-16')
      expect(told(waiting)).toEqual([{ caseNo: waiting, previous: '2026-10-15', deadline: '2026-10-16', stage: 'acceptance' }])
      // not while the clock stands still: the date kept is not yet one to keep, and the resumption tells it
      expect(deadlineOf(stillSuspended)).toBe('2026-10-13')
      expect(told(stillSuspended)).toEqual([])
    }
    finally {
      invalidateCalendar()
    }
  })

  it('keep moving by working days a capped item\'s case accepted before the cap was counted', () => {
    publishNextVersion(() => ({ legalLimitDays: 14, legalLimitUnit: 'natural' }))
    const resumed = applyOnline('SZRS-0004', '2026-09-28')
    const extended = applyOnline('SZRS-0004', '2026-09-28')
    // accepted on 28 Sep by the code of before: its promise's 16 Oct, not the law's 12 Oct
    for (const no of [resumed, extended]) {
      act(no, clerk, 'accept', '2026-09-28')
      conn.sqlite.prepare(`UPDATE cases SET deadline = '2026-10-16' WHERE case_no = ?`).run(no)
    }
    // suspended (14 Oct, 15 Oct]: a working day later, 19 Oct; counted again capped it would be
    // 13 Oct, overdue the moment it resumed
    act(resumed, clerk, 'suspend', '2026-10-14')
    expect(act(resumed, clerk, 'resume', '2026-10-15').deadline).toBe('2026-10-19')
    // extended by 3 working days from 16 Oct: 21 Oct (counted capped, refused as no later)
    expect(act(extended, head, 'extend', '2026-10-09', { comment: '需组织专家评审', days: 3 }).deadline).toBe('2026-10-21')
  })

  it('a natural-day case suspended on the Monday its Saturday end moved to has that Monday left when resumed', () => {
    publishNextVersion(() => ({ legalLimitDays: 5, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const caseNo = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    // 2 Mar + 5 days is Saturday 7 Mar: due Monday 9 Mar
    expect(act(caseNo, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-09')
    act(caseNo, clerk, 'suspend', '2026-03-09')
    // in time: not overdue the moment the clock starts again (2 Mar + 5 + 2 paused would be 9 Mar)
    expect(act(caseNo, clerk, 'resume', '2026-03-11').deadline).toBe('2026-03-11')
  })

  it('a working-day case paused on its deadline day and started again on a day off has the next working day left', () => {
    const suspended = applyOnline()
    const returned = applyOnline()
    // accepted Friday 6 Mar: 10 working days, due Friday 20 Mar; both paused on that day, in time
    expect(act(suspended, clerk, 'accept', '2026-03-06').deadline).toBe('2026-03-20')
    act(returned, clerk, 'accept', '2026-03-06')
    act(suspended, clerk, 'suspend', '2026-03-20')
    act(returned, clerk, 'return', '2026-03-20', { comment: '请补正', supplement: { fields: [], materials: [] } })
    // started again on Saturday 21 Mar: no working day paused, and the clock runs again on Monday
    expect(act(suspended, clerk, 'resume', '2026-03-21').deadline).toBe('2026-03-23')
    expect(act(returned, citizen, 'resubmit', '2026-03-21').deadline).toBe('2026-03-23')
    const flag = (no: string) => { const d = caseDetail(conn, findVisibleCase(conn, no, clerk)!, clerk, at('2026-03-21')); return [d.deadlineStatus, d.overdue] }
    expect(flag(suspended)).toEqual(['near', false])
    expect(flag(returned)).toEqual(['near', false])
    act(suspended, clerk, 'approve', '2026-03-23')
    expect(daily('2026-03-23')).toMatchObject({ completed: 1, onTime: 1 })
    // over a holiday: paused on its last day, 30 Sep, back on 7 Oct, the last day of the National Day holiday
    const holiday = applyOnline('SZRS-0004', '2026-09-16')
    expect(act(holiday, clerk, 'accept', '2026-09-16').deadline).toBe('2026-09-30')
    act(holiday, clerk, 'suspend', '2026-09-30')
    expect(act(holiday, clerk, 'resume', '2026-10-07').deadline).toBe('2026-10-08')
  })

  it('a pause that begins after the deadline, even on the weekend after it, leaves the case late', () => {
    const weekend = applyOnline()
    // accepted Friday 6 Mar: 10 working days, due Friday 20 Mar
    expect(act(weekend, clerk, 'accept', '2026-03-06').deadline).toBe('2026-03-20')
    act(weekend, clerk, 'suspend', '2026-03-21')
    expect(act(weekend, clerk, 'resume', '2026-03-23').deadline).toBe('2026-03-20')
    act(weekend, clerk, 'approve', '2026-03-23')
    expect(daily('2026-03-23')).toMatchObject({ completed: 1, onTime: 0 })
    publishNextVersion(() => ({ legalLimitDays: 5, legalLimitUnit: 'natural' }), 'SZRS-0005')
    const natural = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    act(natural, clerk, 'accept', '2026-03-02') // due 9 Mar
    act(natural, clerk, 'return', '2026-03-10', { comment: '请补正', supplement: { fields: [], materials: [] } })
    expect(act(natural, citizen, 'resubmit', '2026-03-12').deadline).toBe('2026-03-09')
  })

  it('give an instant item that arrives after the offices close the next working day, as one that arrives on a day off', () => {
    const instant = (iso: string) => applyOnline('SZRS-0005', new Date(iso), { ...CITIZEN, lossType: 'temp' })
    const deadlineOf = (no: string) => (conn.sqlite.prepare('SELECT deadline, received_date AS received FROM cases WHERE case_no = ?').get(no) as { deadline: string, received: string })
    // Tuesday 10 Mar 2026, Shanghai time: 17:59 is due that day, 18:00 and 21:30 the Wednesday
    expect(deadlineOf(instant('2026-03-10T17:59:00+08:00'))).toEqual({ deadline: '2026-03-10', received: '2026-03-10' })
    expect(deadlineOf(instant('2026-03-10T18:00:00+08:00'))).toEqual({ deadline: '2026-03-11', received: '2026-03-10' })
    const evening = instant('2026-03-10T21:30:00+08:00')
    expect(deadlineOf(evening).deadline).toBe('2026-03-11')
    // Friday evening and Saturday morning alike: Monday
    expect(deadlineOf(instant('2026-03-13T20:00:00+08:00')).deadline).toBe('2026-03-16')
    expect(deadlineOf(instant('2026-03-14T10:00:00+08:00')).deadline).toBe('2026-03-16')
    // accepted and decided the next morning: in time
    act(evening, clerk, 'approve', '2026-03-11')
    expect((conn.sqlite.prepare('SELECT accepted_late AS late FROM cases WHERE case_no = ?').get(evening) as { late: number }).late).toBe(0)
    // the calendar's recount counts it the same way: Wednesday closed, Thursday
    const waiting = instant('2026-03-10T21:45:00+08:00')
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    try {
      writeTransaction(conn, () => changeCalendar(conn, { add: [{ date: '2026-03-11', kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
      expect(deadlineOf(waiting).deadline).toBe('2026-03-12')
    }
    finally {
      invalidateCalendar()
    }
  })

  it('ask for a material by the name the applicant read, also after a later version renamed it', () => {
    const caseNo = applyOnline()
    // the material and the form's upload that carries it are renamed together
    publishNextVersion(g => ({
      materials: g.materials.map(m => (m.name === '近期免冠彩色数码照片回执' ? { ...m, name: '数码照片回执' } : m)),
      form: { ...g.form!, fields: g.form!.fields.map(f => (f.key === 'digitalPhotoReceiptFile' ? { ...f, label: { ...f.label, zh: '数码照片回执' } } : f)) },
    }))
    // the clerk's page offers the names of the case's own guide version
    const offered = (no: string) => caseDetail(conn, findVisibleCase(conn, no, clerk)!, clerk).serviceMaterials.map(m => m.name)
    expect(offered(caseNo)).toContain('近期免冠彩色数码照片回执')
    expect(offered(caseNo)).not.toContain('数码照片回执')
    const renamed = failure(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: ['数码照片回执'] } }))
    expect(renamed.data?.fieldErrors).toEqual({ 'supplement.materials.0': 'validation.option' })
    const c = act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: ['近期免冠彩色数码照片回执'] } })
    expect(c.supplementNotice?.materials).toEqual(['近期免冠彩色数码照片回执'])
    // a case received under the new version is asked by the new name
    const later = applyOnline('SZRS-0004', '2026-03-03')
    expect(offered(later)).toContain('数码照片回执')
    expect(act(later, clerk, 'return', '2026-03-04', { comment: '照片不清晰', supplement: { fields: [], materials: ['数码照片回执'] } }).status).toBe('supplement')
  })
})

describe('an acceptance decided too late (行政许可法 第三十二条: accepted on receipt)', () => {
  const deadlineOf = (no: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(no) as { deadline: string }).deadline

  it('counts the handling period of a case accepted after its acceptance deadline from the day it was received', () => {
    // received Mon 2 Mar, acceptance due Mon 9 Mar
    const inTime = applyOnline()
    const late = applyOnline()
    expect(act(inTime, clerk, 'accept', '2026-03-09').deadline).toBe('2026-03-23')
    // accepted Wed 11 Mar: 10 working days from Mon 2 Mar, not from Wed 11 Mar (25 Mar)
    expect(act(late, clerk, 'accept', '2026-03-11').deadline).toBe('2026-03-16')
  })

  it('counts from the resubmission a case whose corrections were asked for in time, then accepted late', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '请补充材料' })
    act(caseNo, citizen, 'resubmit', '2026-03-10', { answers: {} })
    // acceptance due 5 working days after Tue 10 Mar: Tue 17 Mar; accepted Thu 19 Mar, so from Tue 10 Mar
    expect(act(caseNo, clerk, 'accept', '2026-03-19').deadline).toBe('2026-03-24')
  })

  it('takes corrections asked for too late as acceptance on receipt: the clock stops for them, and the case is no longer refused acceptance', () => {
    const caseNo = applyOnline()
    // received Mon 2 Mar; the notice comes Thu 12 Mar, after Mon 9 Mar: accepted on 2 Mar, due Mon 16 Mar
    const returned = act(caseNo, clerk, 'return', '2026-03-12', { comment: '请补充材料' })
    expect(returned.deadline).toBe('2026-03-16')
    // resubmitted Tue 17 Mar: the working days of (12 Mar, 17 Mar], 3, are added
    const back = act(caseNo, citizen, 'resubmit', '2026-03-17', { answers: {} })
    expect(back.deadline).toBe('2026-03-19')
    expect(failure(() => act(caseNo, clerk, 'refuse', '2026-03-17', { comment: '不属于受理范围' })).statusCode).toBe(409)
    expect(act(caseNo, clerk, 'accept', '2026-03-17').allowedActions).toContain('approve')
    expect(deadlineOf(caseNo)).toBe('2026-03-19')
  })

  it('counts a case accepted late before the day of receipt was recorded from its acceptance, as its deadline was set', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-11')
    // as such a case was left: 10 working days from its acceptance on Wed 11 Mar, no handling_from
    conn.sqlite.prepare(`UPDATE cases SET handling_from = NULL, deadline = '2026-03-25' WHERE case_no = ?`).run(caseNo)
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    const closed = (date: string) => writeTransaction(conn, () => changeCalendar(conn, { add: [{ date, kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
    try {
      // a day closed before its acceptance is no day of its count
      closed('2026-03-04')
      expect(deadlineOf(caseNo)).toBe('2026-03-25')
      closed('2026-03-12')
      expect(deadlineOf(caseNo)).toBe('2026-03-26')
    }
    finally {
      invalidateCalendar()
    }
  })

  it('keeps counting from receipt when an administrator closes a day between receipt and the late acceptance', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-11') // due Mon 16 Mar, counted from Mon 2 Mar
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    try {
      writeTransaction(conn, () => changeCalendar(conn, { add: [{ date: '2026-03-04', kind: 'holiday', note: '台风停工' }], remove: [] }, admin))
      expect(deadlineOf(caseNo)).toBe('2026-03-17')
    }
    finally {
      invalidateCalendar()
    }
  })
})

describe('extending the time limit (延期, 行政许可法 第四十二条)', () => {
  it('moves the deadline by working days over a holiday, once, with the reason told to the applicant', () => {
    const caseNo = applyOnline('SZRS-0004', '2026-09-21')
    // 10 working days after Mon 21 Sep: 22–25, 28–30 Sep, then National Day (1–7 Oct; Sat 10 Oct is worked): 9, 10, 12 Oct
    expect(act(caseNo, clerk, 'accept', '2026-09-21').deadline).toBe('2026-10-12')
    const extended = act(caseNo, head, 'extend', '2026-09-29', { comment: '需组织专家评审', days: 5 })
    expect(extended.status).toBe('accepted')
    expect(extended.deadline).toBe('2026-10-19')
    expect(extended.extendedDays).toBe(5)
    expect(extended.extraActions).toEqual([])
    expect(extended.events.at(-1)).toMatchObject({ action: 'extend', from: 'accepted', to: 'accepted', actorRole: 'clerk', comment: '需组织专家评审', approvedBy: '赵志刚' })
    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE subject = ? AND action = 'case.extend'`).pluck().get(caseNo) as string
    // (the audit log keeps text folded, as it keeps every reason)
    expect(JSON.parse(audit)).toMatchObject({ deadline: '2026-10-19', extendedDays: 5, reason: '需组织专家评审', approvedBy: '赵志刚' })
    // who approved it is the department's record: not on the applicant's page
    const asApplicant = caseDetail(conn, findVisibleCase(conn, caseNo, citizen)!, citizen, at('2026-09-29'))
    expect(asApplicant.events.at(-1)).not.toHaveProperty('approvedBy')
    const notice = conn.sqlite.prepare(`SELECT params FROM outbox WHERE template = 'case.extend'`).pluck().get() as string
    expect(JSON.parse(notice)).toMatchObject({ caseNo, deadline: '2026-10-19', comment: '需组织专家评审' })
    // once only
    expect(failure(() => act(caseNo, head, 'extend', '2026-09-30', { comment: '再次延期', days: 1 })).statusCode).toBe(409)
    // approved on the extended deadline: on time
    act(caseNo, clerk, 'approve', '2026-10-19')
    expect(daily('2026-10-19')).toMatchObject({ completed: 1, onTime: 1 })
  })

  it('is the head of the department\'s alone (第四十二条): a clerk of it, or one who heads another, is refused', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02')
    expect(failure(() => act(caseNo, clerk, 'extend', '2026-03-03', { comment: '需组织专家评审', days: 5 })).statusCode).toBe(409)
    // made head of the public security bureau: not of this department
    conn.sqlite.prepare(`UPDATE users SET department_head = 1 WHERE id = ?`).run(clerk2.id)
    expect(failure(() => act(caseNo, clerk2, 'extend', '2026-03-03', { comment: '需组织专家评审', days: 5 })).statusCode).toBe(404)
    // a head whose account was disabled heads nothing
    conn.sqlite.prepare(`UPDATE users SET disabled_at = '2026-03-01T00:00:00Z' WHERE id = ?`).run(head.id)
    expect(failure(() => act(caseNo, head, 'extend', '2026-03-03', { comment: '需组织专家评审', days: 5 })).statusCode).toBe(409)
    expect(findVisibleCase(conn, caseNo, clerk)!.extendedDays).toBe(0)
  })

  it('is refused without a reason, without days or with days out of range, and after the deadline', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02') // due Mon 16 Mar
    expect(failure(() => act(caseNo, head, 'extend', '2026-03-05', { days: 5 })).data).toMatchObject({ fieldErrors: { comment: 'validation.required' } })
    expect(failure(() => act(caseNo, head, 'extend', '2026-03-05', { comment: '专家评审' })).data).toMatchObject({ fieldErrors: { days: 'validation.required' } })
    for (const days of [0, 11, 2.5]) {
      expect(failure(() => act(caseNo, head, 'extend', '2026-03-05', { comment: '专家评审', days })).data, String(days)).toMatchObject({ fieldErrors: { days: 'case.errors.extensionDays' } })
    }
    expect(failure(() => act(caseNo, clerk, 'suspend', '2026-03-05', { days: 5 })).data).toMatchObject({ fieldErrors: { days: 'case.errors.notForAction' } })
    // on the deadline day still possible; the day after, the time has run out
    expect(findVisibleCase(conn, caseNo, clerk)!.extendedDays).toBe(0)
    expect(failure(() => act(caseNo, head, 'extend', '2026-03-17', { comment: '专家评审', days: 5 })).statusCode).toBe(409)
    expect(act(caseNo, head, 'extend', '2026-03-16', { comment: '专家评审', days: 5 }).deadline).toBe('2026-03-23')
  })

  it('is refused when a natural-day count ends on the same day, its last day having moved past a weekend', () => {
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
    const current = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0005')!
    writeTransaction(conn, () => importCatalogue(conn, admin, [{ ...current, legalLimitDays: 12, legalLimitUnit: 'natural' }], { dryRun: false }))
    const caseNo = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    // Mon 2 Mar + 12 days = Sat 14 Mar: Mon 16 Mar; 13 or 14 days end there too
    expect(act(caseNo, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
    for (const days of [1, 2]) {
      expect(failure(() => act(caseNo, head, 'extend', '2026-03-04', { comment: '需现场核查', days })).data, String(days)).toMatchObject({ fieldErrors: { days: 'case.errors.extensionNoLater' } })
    }
    expect(act(caseNo, head, 'extend', '2026-03-04', { comment: '需现场核查', days: 3 })).toMatchObject({ deadline: '2026-03-17', extendedDays: 3 })
  })

  it('keeps the extension through a suspension: a natural-day limit is counted again with the days extended', () => {
    const natural = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
    const current = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0005')!
    writeTransaction(conn, () => importCatalogue(conn, admin, [{ ...current, legalLimitDays: 14, legalLimitUnit: 'natural' }], { dryRun: false }))
    const later = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    expect(natural).not.toBe(later)
    // Mon 2 Mar + 14 natural days = Mon 16 Mar; extended by 10 natural days: Thu 26 Mar
    expect(act(later, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
    expect(act(later, head, 'extend', '2026-03-04', { comment: '需现场核查', days: 10 }).deadline).toBe('2026-03-26')
    // suspended Wed 11 Mar, resumed Mon 16 Mar: the 5 days of the pause are left out, the extension kept
    act(later, clerk, 'suspend', '2026-03-11')
    expect(act(later, clerk, 'resume', '2026-03-16').deadline).toBe('2026-03-31')
  })
})

describe('ask once for what is missing (一次性告知)', () => {
  function returned() {
    const caseNo = applyOnline()
    const c = act(caseNo, clerk, 'return', '2026-03-03', {
      comment: '照片不清晰，请重新上传；领卡银行有误', supplement: { fields: ['digitalPhotoReceiptFile', 'cardBank'], materials: ['近期免冠彩色数码照片回执'] },
    })
    return { caseNo, c }
  }

  it('lists every field and material to fix, with the reason, in one notice', () => {
    const { c } = returned()
    expect(c.status).toBe('supplement')
    expect(c.supplementNotice).toEqual({ fields: ['digitalPhotoReceiptFile', 'cardBank'], materials: ['近期免冠彩色数码照片回执'], comment: '照片不清晰，请重新上传；领卡银行有误', due: '2026-03-17' })
    expect(c.allowedActions).toEqual([])
  })

  it('drops the file a correction replaces, also one taken from the person\'s library, and keeps the source of a file kept', () => {
    const fv = conn.sqlite.prepare('SELECT form_version_id AS id FROM services WHERE code = ?').get('SZRS-0004') as { id: number }
    const old = upload(citizen.id)
    const kept = upload(citizen.id)
    const caseNo = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZRS-0004', channel: 'online', formVersionId: fv.id, applicant: { userId: citizen.id, ...CITIZEN },
      answers: { ...CITIZEN, cardBank: 'icbc', collectWay: 'branch', digitalPhotoReceiptFile: [old, kept] },
      materials: [{ uploadId: old, fieldKey: 'digitalPhotoReceiptFile', source: 'shared' }, { uploadId: kept, fieldKey: 'digitalPhotoReceiptFile', source: 'shared' }],
      actor: { id: citizen.id, role: 'citizen' },
    }, at('2026-03-02'))).caseNo
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] } })
    const fresh = upload(citizen.id)
    const again = act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { digitalPhotoReceiptFile: [kept, fresh] } })
    expect(again.materials.map(m => [m.uploadId, m.source]).sort()).toEqual([[fresh, 'upload'], [kept, 'shared']].sort())
  })

  it('refuses a notice naming a field or material the item does not have', () => {
    const caseNo = applyOnline()
    const e = failure(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '补正', supplement: { fields: ['nope'], materials: ['不存在的材料'] } }))
    expect(e.statusCode).toBe(400)
    expect(e.data?.fieldErrors).toEqual({ 'supplement.fields.0': 'validation.unknownField', 'supplement.materials.0': 'validation.option' })
  })

  it('lets the applicant change only the listed fields, then keeps the number and history with a fresh acceptance period', () => {
    const { caseNo } = returned()
    const notListed = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { collectWay: 'mail' } }))
    expect(notListed.statusCode).toBe(400)
    expect(notListed.data?.fieldErrors).toEqual({ collectWay: 'case.errors.notListed' })
    const badOption = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { cardBank: 'nobank' } }))
    expect(badOption.data?.fieldErrors).toEqual({ cardBank: 'validation.option' })
    const someoneElses = upload(userIdOf(conn, 'citizen2'))
    const foreignFile = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { digitalPhotoReceiptFile: [someoneElses] } }))
    expect(foreignFile.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })

    const photo = upload(citizen.id)
    const again = act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { cardBank: 'ccb', digitalPhotoReceiptFile: [photo] } })
    expect(again.caseNo).toBe(caseNo)
    expect(again.status).toBe('submitted')
    expect(again.answers.cardBank).toBe('ccb')
    expect(again.answers.collectWay).toBe('branch')
    expect(again.materials.map(m => m.uploadId)).toEqual([photo])
    expect(again.supplementNotice).toBeNull()
    // Thu 5 Mar + 5 working days: 6, 9, 10, 11, 12 Mar
    expect(again.deadline).toBe('2026-03-12')
    expect(again.events.map(e => `${e.action}:${e.to}`)).toEqual(['submit:submitted', 'return:supplement', 'resubmit:submitted'])
  })

  it('refuses a copy of an e-licence revoked since it was taken as a corrected material, as a submission would', () => {
    const { caseNo } = returned()
    const copy = upload(citizen.id)
    const licence = applyOnline()
    conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_name, holder_id_number, number, issued_at, valid_until, revoked_at, upload_id)
      VALUES ('R-REVOKED', ?, 'SZRS-0004', ?, ?, ?, 'No. 1', '2026-01-05T02:00:00Z', NULL, '2026-03-04T02:00:00Z', ?)`)
      .run(licence, citizen.id, CITIZEN.name, CITIZEN.idNumber, copy)
    const revoked = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { digitalPhotoReceiptFile: [copy] } }))
    expect(revoked.statusCode).toBe(400)
    expect(revoked.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.resultNotValid' })
    expect(findVisibleCase(conn, caseNo, citizen)?.status).toBe('supplement')

    conn.sqlite.prepare(`UPDATE results SET revoked_at = NULL, valid_until = '2026-03-04' WHERE code = 'R-REVOKED'`).run()
    const expired = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { digitalPhotoReceiptFile: [copy] } }))
    expect(expired.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.resultNotValid' })

    conn.sqlite.prepare(`UPDATE results SET valid_until = '2026-12-31' WHERE code = 'R-REVOKED'`).run()
    expect(act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { digitalPhotoReceiptFile: [copy] } }).status).toBe('submitted')
  })

  it('lets the applicant withdraw while the case waits for them', () => {
    const { caseNo } = returned()
    const withdrawn = act(caseNo, citizen, 'withdraw', '2026-03-04')
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.allowedActions).toEqual([])
  })
})

describe('a material asked for can be handed in (一次性告知 of materials)', () => {
  const PHOTO = '近期免冠彩色数码照片回执'

  it('brings the form\'s upload of that material into the notice, so the applicant may hand in a new file', () => {
    const caseNo = applyOnline()
    const c = act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: [PHOTO] } })
    expect(c.supplementNotice).toEqual({ fields: ['digitalPhotoReceiptFile'], materials: [PHOTO], comment: '照片不清晰', due: '2026-03-17' })
    const photo = upload(citizen.id)
    const again = act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { digitalPhotoReceiptFile: [photo] } })
    expect(again.status).toBe('submitted')
    expect(again.materials.map(m => [m.fieldKey, m.uploadId])).toEqual([['digitalPhotoReceiptFile', photo]])
    expect(again.corrections.map(k => k.changedFields)).toEqual([['digitalPhotoReceiptFile']])
  })

  it('refuses a material the form has no upload for, and one the case\'s answers do not call for', () => {
    const caseNo = applyOnline()
    // 居民身份证 is taken from the e-licence library: SZRS-0004's form has no upload for it
    const e = failure(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '补正', supplement: { fields: ['cardBank'], materials: [PHOTO, '居民身份证'] } }))
    expect(e.statusCode).toBe(400)
    expect(e.data?.fieldErrors).toEqual({ 'supplement.materials.1': 'case.errors.materialNotOnline' })
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('submitted')

    // born in Shenzhen: the scanned birth certificate of a baby born elsewhere is not asked by the form
    const fv = conn.sqlite.prepare('SELECT form_version_id AS id FROM services WHERE code = ?').get('SZGA-0004') as { id: number }
    const form = JSON.parse((conn.sqlite.prepare('SELECT definition FROM form_versions WHERE id = ?').get(fv.id) as { definition: string }).definition) as { fields: { key: string, label: { zh: string } }[] }
    const scanned = form.fields.find(f => f.key === 'scannedMedicalCertificateFile')!.label.zh
    const birth = applyOnline('SZGA-0004', '2026-03-02', {
      ...CITIZEN, babyName: '张小宝', babyGender: 'male', birthDate: '2026-02-01', birthInShenzhen: 'yes', birthCertNo: 'Q440012345', followParent: 'father', relationship: '父子',
    })
    const hidden = failure(() => act(birth, clerk2, 'return', '2026-03-03', { comment: '补正', supplement: { fields: [], materials: [scanned] } }))
    expect(hidden.data?.fieldErrors).toEqual({ 'supplement.materials.0': 'case.errors.fieldHidden' })
  })

  it('refuses a resubmission that does not hand in the file asked for, naming the field', () => {
    const caseNo = applyOnline()
    const { version } = act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: [PHOTO] } })
    const nothing = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-04'))
    expect(nothing.statusCode).toBe(400)
    expect(nothing.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'case.errors.newFileNeeded' })
    const before = findVisibleCase(conn, caseNo, citizen)!
    const same = failure(() => act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { digitalPhotoReceiptFile: JSON.parse(before.answers).digitalPhotoReceiptFile } }))
    expect(same.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'case.errors.newFileNeeded' })
    const row = findVisibleCase(conn, caseNo, citizen)!
    expect([row.status, row.version]).toEqual(['supplement', version])
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM case_corrections WHERE case_no = ?').get(caseNo)).toEqual({ n: 0 })
  })

  it('refuses a resubmission that changes none of the listed answers; a return with a reason only asks for nothing', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '领卡银行有误', supplement: { fields: ['cardBank', 'collectWay'], materials: [] } })
    expect(failure(() => act(caseNo, citizen, 'resubmit', '2026-03-04')).data?.fieldErrors)
      .toEqual({ cardBank: 'case.errors.notCorrected', collectWay: 'case.errors.notCorrected' })
    expect(failure(() => act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'icbc', collectWay: 'branch' } })).data?.fieldErrors)
      .toEqual({ cardBank: 'case.errors.notCorrected', collectWay: 'case.errors.notCorrected' })
    // one listed answer found right after all need not change when another does
    expect(act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb', collectWay: 'branch' } }).status).toBe('submitted')

    const told = applyOnline()
    act(told, clerk, 'return', '2026-03-03', { comment: '请携带原件到窗口核验', supplement: { fields: [], materials: [] } })
    expect(act(told, citizen, 'resubmit', '2026-03-04').status).toBe('submitted')
  })
})

describe('the other paths of the table', () => {
  it('refuses acceptance with a reason', () => {
    const caseNo = applyOnline()
    const refused = act(caseNo, clerk, 'refuse', '2026-03-03', { comment: '不属于本部门受理范围' })
    expect(refused.status).toBe('not_accepted')
    expect(refused.events.at(-1)).toMatchObject({ action: 'refuse', from: 'submitted', to: 'not_accepted', actorRole: 'clerk', comment: '不属于本部门受理范围' })
  })

  it('withdraws a submitted case at the applicant\'s request', () => {
    const caseNo = applyOnline()
    expect(act(caseNo, citizen, 'withdraw', '2026-03-03').status).toBe('withdrawn')
    expect(daily('2026-03-03')).toBeUndefined()
  })

  it('shows staff an ID or mobile number typed into free text masked, and keeps it on a correction unless retyped', () => {
    const address = '深圳市福田区福华路1号，收件人张晓明 13912345678'
    const caseNo = applyOnline('SZRS-0004', '2026-03-02', { ...CITIZEN, cardBank: 'icbc', collectWay: 'mail', mailAddress: address, digitalPhotoReceiptFile: [upload(citizen.id)] })
    const detail = (viewer: { id: number, role: string, departmentCode: string | null }) => caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer)
    expect(detail(citizen).answers.mailAddress).toBe(address)
    expect(detail(citizen).maskedAnswerKeys.sort()).toEqual(['idNumber', 'mobile'])
    const seen = detail(clerk)
    expect(seen.answers.mailAddress).toBe('深圳市福田区福华路1号，收件人张晓明 139****5678')
    expect(seen.maskedAnswerKeys.sort()).toEqual(['idNumber', 'mailAddress', 'mobile'])
    // the record itself is untouched
    const stored = JSON.parse((conn.sqlite.prepare('SELECT answers FROM cases WHERE case_no = ?').get(caseNo) as { answers: string }).answers) as Record<string, unknown>
    expect(stored.mailAddress).toBe(address)

    // a correction that sends the free text back as staff were shown it keeps the numbers on record
    act(caseNo, clerk, 'accept', '2026-03-02')
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '请核对开户银行和邮寄地址', supplement: { fields: ['cardBank', 'mailAddress'], materials: [] } })
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'boc', mailAddress: seen.answers.mailAddress } })
    const after = JSON.parse((conn.sqlite.prepare('SELECT answers FROM cases WHERE case_no = ?').get(caseNo) as { answers: string }).answers) as Record<string, unknown>
    expect(after).toMatchObject({ cardBank: 'boc', mailAddress: address })
  })

  it('shows a comment as written to its author only: staff read the applicant\'s numbers in it masked', () => {
    const caseNo = applyOnline()
    act(caseNo, citizen, 'withdraw', '2026-03-03', { comment: '已在窗口办理，有事请打13912345678，身份证440305199003072319' })
    const commentFor = (viewer: { id: number, role: string, departmentCode: string | null }) => caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer).events.at(-1)!.comment
    expect(commentFor(citizen)).toBe('已在窗口办理，有事请打13912345678，身份证440305199003072319')
    expect(commentFor(clerk)).toBe('已在窗口办理，有事请打139****5678，身份证440305********2319')
  })

  it('shows a clerk\'s reason for a return whole to its author and the applicant, masked to other staff, in the notice too', () => {
    const caseNo = applyOnline()
    const reason = '请核对手机号 13912345678 后补交身份证复印件'
    act(caseNo, clerk, 'return', '2026-03-03', { comment: reason, supplement: { fields: [], materials: [] } })
    const manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
    const seenBy = (viewer: { id: number, role: string, departmentCode: string | null }) => {
      const d = caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer)
      return [d.events.at(-1)!.comment, d.supplementNotice!.comment]
    }
    expect(seenBy(clerk)).toEqual([reason, reason])
    expect(seenBy(citizen)).toEqual([reason, reason])
    expect(seenBy(manager)).toEqual(Array(2).fill('请核对手机号 139****5678 后补交身份证复印件'))
  })

  it('shows staff a scan\'s file name with the ID number in it masked, and the applicant whole', () => {
    const caseNo = applyOnline()
    conn.sqlite.prepare(`UPDATE uploads SET name = '赵敏440305199003072319身份证.jpg' WHERE id IN (SELECT upload_id FROM case_materials WHERE case_no = ?)`).run(caseNo)
    const namesFor = (viewer: { id: number, role: string, departmentCode: string | null }) => caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer).materials.map(m => m.name)
    expect(namesFor(citizen)).toEqual(['赵敏440305199003072319身份证.jpg'])
    expect(namesFor(clerk)).toEqual(['赵敏440305********2319身份证.jpg'])
  })

  it('lists a case suspended in time on supervision, the longest suspended first, against the time the applicant was told', () => {
    const told = applyOnline()
    const untold = applyOnline()
    const late = applyOnline()
    for (const no of [told, untold, late]) act(no, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(untold, clerk, 'suspend', '2026-03-03')
    act(told, clerk, 'suspend', '2026-03-05', { suspension: { kind: 'expertReview', expectedDays: 10 } })
    act(late, clerk, 'suspend', '2026-03-18')
    const on = new Date('2026-03-20T02:00:00Z')
    const { paused, overdue } = supervision(conn, {}, on)
    // suspended on 3 and 5 March, in time: on no other list, so here, 17 and 15 days on
    expect(paused.items.map(c => [c.caseNo, c.suspendedSince, c.pausedDays, c.expectedDays])).toEqual([
      [untold, '2026-03-03', 17, null],
      [told, '2026-03-05', 15, 10],
    ])
    expect(paused.total).toBe(2)
    // suspended when already late: among the overdue, not here
    expect(overdue.items.some(c => c.caseNo === late)).toBe(true)
    act(told, clerk, 'resume', '2026-03-20')
    expect(supervision(conn, {}, on).paused.items.map(c => c.caseNo)).toEqual([untold])
  })

  it('keeps a case returned for corrections when already late on supervision while it waits, and one returned in time off it', () => {
    const late = applyOnline()
    const inTime = applyOnline()
    act(late, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(inTime, clerk, 'accept', '2026-03-02')
    act(late, clerk, 'return', '2026-03-20', { comment: '请补正', supplement: { fields: [], materials: [] } })
    act(inTime, clerk, 'return', '2026-03-04', { comment: '请补正', supplement: { fields: [], materials: [] } })
    const on = (day: string) => new Date(`${day}T02:00:00Z`)
    const flag = (no: string) => { const d = caseDetail(conn, findVisibleCase(conn, no, clerk)!, clerk, on('2026-03-23')); return [d.deadlineStatus, d.overdue] }
    expect(flag(late)).toEqual(['overdue', true])
    expect(flag(inTime)).toEqual(['paused', false])
    const overdue = supervision(conn, {}, on('2026-03-23')).overdue.items
    expect(overdue.find(c => c.caseNo === late)).toMatchObject({ status: 'supplement', suspendedSince: '2026-03-20' })
    expect(overdue.some(c => c.caseNo === inTime)).toBe(false)
    expect(openOverdueByDepartment(conn, '2026-03-23').get('SZRS')).toBe(1)
    // back from the applicant: running again, still late; the stopped-clock day is cleared
    act(late, citizen, 'resubmit', '2026-03-25')
    const stoppedSince = (no: string) => conn.sqlite.prepare('SELECT suspended_since FROM cases WHERE case_no = ?').pluck().get(no)
    expect(stoppedSince(late)).toBeNull()
    expect(flag(late)).toEqual(['overdue', true])
    // withdrawn while it waited: ended, no clock stands still
    act(inTime, citizen, 'withdraw', '2026-03-25')
    expect(stoppedSince(inTime)).toBeNull()
  })

  it('does not count suspended working days: resuming extends the deadline by them', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02')
    const suspended = act(caseNo, clerk, 'suspend', '2026-03-04', { comment: '需现场核查' })
    expect(suspended.status).toBe('suspended')
    expect(suspended.suspendedSince).toBe('2026-03-04')
    // resumed Mon 9 Mar: 5, 6 and 9 Mar did not count
    const resumed = act(caseNo, clerk, 'resume', '2026-03-09')
    expect(resumed.status).toBe('accepted')
    expect(resumed.deadline).toBe('2026-03-19')
    expect(resumed.suspendedSince).toBeNull()
    expect((conn.sqlite.prepare('SELECT suspended_days AS n FROM cases WHERE case_no = ?').get(caseNo) as { n: number }).n).toBe(3)
  })

  it('returned for corrections after acceptance: the handling clock stops while the applicant has the case, and is not reset', () => {
    const caseNo = applyOnline()
    expect(act(caseNo, clerk, 'accept', '2026-03-02').deadline).toBe('2026-03-16')
    act(caseNo, clerk, 'return', '2026-03-04', { comment: '请补正收入证明', supplement: { fields: [], materials: [] } })
    // back with the applicant (4 Mar, 9 Mar]: 5, 6 and 9 Mar do not count; the day of re-acceptance does
    // the deadline moves at the resubmission, so the queue sees the real one while the case waits
    expect(act(caseNo, citizen, 'resubmit', '2026-03-09').deadline).toBe('2026-03-19')
    const again = act(caseNo, clerk, 'accept', '2026-03-10')
    expect(again.deadline).toBe('2026-03-19')
    expect((conn.sqlite.prepare('SELECT suspended_days AS n, accepted_at AS acceptedAt FROM cases WHERE case_no = ?').get(caseNo))).toEqual({ n: 3, acceptedAt: at('2026-03-02').toISOString() })
  })

  it('a case accepted once and back from corrections cannot be refused acceptance: it is approved or rejected, and stays counted late', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(caseNo, clerk, 'return', '2026-03-25', { comment: '请补正', supplement: { fields: [], materials: [] } })
    const back = act(caseNo, citizen, 'resubmit', '2026-03-27')
    expect(back.status).toBe('submitted')
    // (no return either: the stage's notice named nothing, so nothing can be asked again)
    expect(caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk, at('2026-03-27')).allowedActions).toEqual(['accept'])
    // and its pages say its handling goes on, not that it waits for acceptance
    expect(back.acceptedBefore).toBe(true)
    const refused = failure(() => act(caseNo, clerk, 'refuse', '2026-03-30', { comment: '不予受理' }))
    expect(refused.statusCode).toBe(409)
    expect(findVisibleCase(conn, caseNo, clerk)?.status).toBe('submitted')
    expect(openOverdueByDepartment(conn, '2026-03-30').get('SZRS')).toBe(1)
    act(caseNo, clerk, 'accept', '2026-03-30')
    act(caseNo, clerk, 'reject', '2026-03-31', { comment: '不符合条件' })
    expect(daily('2026-03-31')).toMatchObject({ completed: 1, onTime: 0 })
  })

  it('a case already late when returned stays late after it is accepted again', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(caseNo, clerk, 'return', '2026-03-25', { comment: '请补正', supplement: { fields: [], materials: [] } })
    // returned after its deadline: the time had run out, and the days with the applicant give none
    // back; overdue while it waits to be accepted again
    const waiting = act(caseNo, citizen, 'resubmit', '2026-03-27')
    expect(waiting.deadline).toBe('2026-03-16')
    expect(act(caseNo, clerk, 'accept', '2026-03-30').deadline).toBe('2026-03-16')
    act(caseNo, clerk, 'approve', '2026-04-01')
    expect(daily('2026-04-01')).toMatchObject({ completed: 1, onTime: 0 })
  })

  it('pauses the clock for every round of corrections after acceptance, also one asked for before accepting again', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02') // due 16 Mar
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '请补正', supplement: { fields: ['cardBank'], materials: [] } })
    // (3 Mar, 5 Mar]: 2 working days
    expect(act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { cardBank: 'ccb' } }).deadline).toBe('2026-03-18')
    // the same item asked for again (the one-time notice allows no new one)
    act(caseNo, clerk, 'return', '2026-03-06', { comment: '仍缺材料', supplement: { fields: ['cardBank'], materials: [] } })
    // (6 Mar, 20 Mar]: 10 more working days: 18 Mar + 10 = 1 Apr
    expect(act(caseNo, citizen, 'resubmit', '2026-03-20', { answers: { cardBank: 'boc' } }).deadline).toBe('2026-04-01')
    const accepted = act(caseNo, clerk, 'accept', '2026-03-20')
    expect(accepted.deadline).toBe('2026-04-01')
    expect((conn.sqlite.prepare('SELECT suspended_days AS n FROM cases WHERE case_no = ?').get(caseNo) as { n: number }).n).toBe(12)
    act(caseNo, clerk, 'approve', '2026-03-31')
    expect(daily('2026-03-31')).toMatchObject({ completed: 1, onTime: 1 })
  })

  it('an instant item returned after acceptance is judged against its own deadline, not a fresh same-day one', () => {
    const caseNo = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    const due = act(caseNo, clerk, 'accept', '2026-03-02').deadline
    act(caseNo, clerk, 'return', '2026-03-10', { comment: '请补正', supplement: { fields: [], materials: [] } })
    // returned a week late, resubmitted the next working day: the deadline it had, still late
    const back = act(caseNo, citizen, 'resubmit', '2026-03-11')
    expect(back.deadline).toBe(due)
    act(caseNo, clerk, 'approve', '2026-03-11')
    expect(daily('2026-03-11')).toMatchObject({ completed: 1, onTime: 0 })
  })

  it('keeps the reason and the notice of a decision in the audit log', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: ['cardBank'], materials: [] } })
    const row = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.return' AND subject = ?`).get(caseNo) as { detail: string }
    expect(JSON.parse(row.detail)).toEqual({ from: 'submitted', to: 'supplement', version: 2, reason: '照片不清晰', notice: { fields: ['cardBank'], materials: [], due: '2026-03-17' } })
  })

  it('keeps a reason in the audit log with the ID and mobile numbers it quotes masked; the applicant reads it whole', () => {
    const caseNo = applyOnline()
    const reason = '身份证号 440305199003072319 与户籍不符，请致电 13800138000'
    act(caseNo, clerk, 'refuse', '2026-03-03', { comment: reason })
    const row = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.refuse' AND subject = ?`).get(caseNo) as { detail: string }
    const logged = (JSON.parse(row.detail) as { reason: string }).reason
    expect(logged).toContain('440305********2319')
    expect(logged).toContain('138****8000')
    expect(logged).not.toContain('440305199003072319')
    expect(logged).not.toContain('13800138000')
    expect(conn.sqlite.prepare(`SELECT comment FROM case_events WHERE case_no = ? ORDER BY id DESC`).pluck().get(caseNo)).toBe(reason)
  })

  it('extends across a holiday only by the working days suspended', () => {
    const caseNo = applyOnline('SZRS-0004', '2026-09-28')
    // Mon 28 Sep + 10 working days: 29, 30 Sep, 8, 9, 10 (Sat, worked), 12–16 Oct
    expect(act(caseNo, clerk, 'accept', '2026-09-28').deadline).toBe('2026-10-16')
    act(caseNo, clerk, 'suspend', '2026-09-30', { comment: '等待鉴定结论' })
    // (30 Sep, 9 Oct]: 8 and 9 Oct are the only working days
    expect(act(caseNo, clerk, 'resume', '2026-10-09').deadline).toBe('2026-10-20')
  })

  it('approves an instant item (即办件) straight from submission, the same day', () => {
    const caseNo = applyOnline('SZRS-0005', '2026-03-02', { ...CITIZEN, lossType: 'temp' })
    expect(findVisibleCase(conn, caseNo, clerk)!.deadline).toBe('2026-03-02')
    const c = act(caseNo, clerk, 'approve', '2026-03-02')
    expect(c.status).toBe('approved')
    expect(c.result).toBeNull() // 社会保障卡挂失 issues no certificate
    expect(daily('2026-03-02')).toEqual({ completed: 1, onTime: 1, handlingDays: 0 })
  })

  it('gives an instant item sent on a day off until the next working day, and counts it on time then', () => {
    const saturday = applyOnline('SZRS-0005', '2026-03-07', { ...CITIZEN, lossType: 'temp' })
    expect(findVisibleCase(conn, saturday, clerk)!.deadline).toBe('2026-03-09')
    act(saturday, clerk, 'approve', '2026-03-09')
    // Monday is the one working day in (Saturday, Monday]
    expect(daily('2026-03-09')).toEqual({ completed: 1, onTime: 1, handlingDays: 1 })
    // National Day 2026: 1–7 October off, so the first working day is the 8th
    const holiday = applyOnline('SZRS-0005', '2026-10-01', { ...CITIZEN, lossType: 'temp' })
    expect(findVisibleCase(conn, holiday, clerk)!.deadline).toBe('2026-10-08')
  })

  it('issues the electronic result of an instant item that has one', () => {
    const photo = upload(citizen.id)
    const caseNo = applyOnline('SZRS-0001', '2026-03-02', { ...CITIZEN, joinMedical: 'no', startMonth: '2026-03-01', payMethod: 'self', declarationFlexibleEmploymentFile: [photo] })
    const c = act(caseNo, clerk, 'approve', '2026-03-02')
    expect(c.result?.code).toBeTruthy()
  })
})

describe('counter intake (窗口收件)', () => {
  it('records an application made in person, without scans, linked to the person\'s account', () => {
    const created = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, at('2026-03-02')))
    expect(created.channel).toBe('counter')
    const row = findVisibleCase(conn, created.caseNo, clerk)!
    expect(row.channel).toBe('counter')
    expect(row.applicantId).toBe(citizen.id)
    expect(JSON.parse(row.answers)).toMatchObject({ name: '张晓明', idNumber: '440305199003072319', cardBank: 'boc' })
    expect((conn.sqlite.prepare('SELECT received, received_online AS online FROM case_daily WHERE day = ? AND department_code = ?').get('2026-03-02', 'SZRS'))).toEqual({ received: 1, online: 0 })
    expect(act(created.caseNo, clerk, 'accept', '2026-03-02').status).toBe('accepted')
  })

  it('links a case only to the one account with the same ID number, name and mobile', () => {
    const intake = (applicant: { name: string, idNumber: string, mobile: string }) => findVisibleCase(conn, writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, at('2026-03-02'))).caseNo, clerk)!.applicantId
    // someone registered with the citizen's ID number but not their name and mobile
    conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile) VALUES ('impostor', 'x', 'citizen', '冒名者', '440305199003072319', '13700000000')`).run()
    expect(intake({ name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' })).toBe(citizen.id)
    expect(intake({ name: '冒名者', idNumber: '440305199003072319', mobile: '13800138000' })).toBeNull()
    expect(intake({ name: '张晓明', idNumber: '440305199003072319', mobile: '13900000000' })).toBeNull()
    // a second account with all three, which has not proved the mobile: the verified one gets the case
    conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile) VALUES ('twin', 'x', 'citizen', '张晓明', '440305199003072319', '13800138000')`).run()
    expect(intake({ name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' })).toBe(citizen.id)
    // two verified (possible only from before one verified account per ID number): neither gets it
    conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = '2026-03-01T00:00:00.000Z' WHERE username = 'twin'`).run()
    expect(intake({ name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' })).toBeNull()
  })

  it('a returned case of a person without an account goes on when the clerk records the missing papers', () => {
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, at('2026-03-02')))
    expect(findVisibleCase(conn, caseNo, clerk)!.applicantId).toBeNull()
    expect(act(caseNo, clerk, 'return', '2026-03-02', { comment: '请补交户口簿复印件' }).allowedActions).toEqual(['resubmit', 'withdraw'])
    expect(failure(() => act(caseNo, clerk2, 'resubmit', '2026-03-04')).statusCode).toBe(404)
    const resubmitted = act(caseNo, clerk, 'resubmit', '2026-03-04')
    expect(resubmitted.status).toBe('submitted')
    expect(resubmitted.deadline).toBe('2026-03-11')
    expect(act(caseNo, clerk, 'accept', '2026-03-05').status).toBe('accepted')
    const events = conn.sqlite.prepare('SELECT action, actor_role AS role FROM case_events WHERE case_no = ? ORDER BY id').all(caseNo)
    expect(events).toEqual([{ action: 'submit', role: 'clerk' }, { action: 'return', role: 'clerk' }, { action: 'resubmit', role: 'clerk' }, { action: 'accept', role: 'clerk' }])
  })

  it('refuses an item of another department and invalid answers', () => {
    const foreign = failure(() => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZGA-0001', applicant: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }, answers: {}, clerk,
    })))
    expect(foreign.data?.fieldErrors).toEqual({ serviceCode: 'case.errors.serviceNotYours' })
    const invalid = failure(() => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }, answers: { cardBank: 'x', extra: 1 }, clerk,
    })))
    expect(invalid.data?.fieldErrors).toMatchObject({ cardBank: 'validation.option', extra: 'validation.unknownField', collectWay: 'validation.required' })
    expect((conn.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(0)
  })

  it('refuses answers that name someone other than the applicant, and takes the same person in other letter case', () => {
    const applicant = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
    const intake = (answers: Record<string, unknown>) => () => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch', ...answers }, clerk,
    }, at('2026-03-02')))
    const other = failure(intake({ name: '李慧芳', idNumber: '11010519491231002X', mobile: '13912345678' }))
    expect(other.statusCode).toBe(400)
    expect(other.data?.fieldErrors).toEqual({ name: 'case.errors.notTheApplicant', idNumber: 'case.errors.notTheApplicant', mobile: 'case.errors.notTheApplicant' })
    expect((conn.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(0)
    const same = intake({ name: ' 张晓明 ', idNumber: '440305199003072319' })()
    expect(JSON.parse(findVisibleCase(conn, same.caseNo, clerk)!.answers)).toMatchObject(applicant)
  })

  it('holds the scans of one application to the same total as online (APPLICATION_MAX_BYTES)', () => {
    const big = (n: number) => {
      const id = `scan-${n}-${Math.random().toString(36).slice(2, 10)}`
      conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, 'scan.pdf', ?, 'application/pdf', 'x', ?)`).run(id, clerk.id, 30 * 1024 * 1024, id)
      return id
    }
    const tooLarge = failure(() => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
      answers: { cardBank: 'boc', collectWay: 'branch', digitalPhotoReceiptFile: [big(1), big(2)] }, clerk,
    })))
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.applicationTooLarge' })
  })
})

describe('what cannot happen', () => {
  it('refuses corrections or a notice sent with another action', () => {
    const caseNo = applyOnline()
    expect(failure(() => act(caseNo, clerk, 'accept', '2026-03-02', { answers: { cardBank: 'ccb' } })).data?.fieldErrors).toEqual({ answers: 'case.errors.notForAction' })
    expect(failure(() => act(caseNo, clerk, 'refuse', '2026-03-02', { comment: '不予受理', supplement: { fields: [], materials: [] } })).data?.fieldErrors).toEqual({ supplement: 'case.errors.notForAction' })
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('submitted')
  })

  it('answers 409 to a stale version and changes nothing', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-02')
    const e = failure(() => applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now: at('2026-03-03') }))
    expect(e.statusCode).toBe(409)
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('accepted')
  })

  it('answers 409 to an action the status does not allow', () => {
    const caseNo = applyOnline()
    expect(failure(() => act(caseNo, clerk, 'approve', '2026-03-02')).statusCode).toBe(409) // a promised item must be accepted first
    expect(failure(() => act(caseNo, clerk, 'resume', '2026-03-02')).statusCode).toBe(409)
    expect(failure(() => act(caseNo, citizen, 'accept', '2026-03-02')).statusCode).toBe(409)
    expect(failure(() => act(caseNo, clerk, 'withdraw', '2026-03-02')).statusCode).toBe(409)
  })

  it.each(['return', 'refuse', 'reject'] as const)('answers 400 to %s without a reason', (action) => {
    const caseNo = applyOnline()
    if (action === 'reject') act(caseNo, clerk, 'accept', '2026-03-02')
    for (const comment of [undefined, '', '   ']) {
      const e = failure(() => act(caseNo, clerk, action, '2026-03-03', { comment }))
      expect(e.statusCode).toBe(400)
      expect(e.data?.fieldErrors).toEqual({ comment: 'validation.required' })
    }
  })

  it('treats a case of another department or another person as not found', () => {
    const caseNo = applyOnline()
    expect(failure(() => act(caseNo, clerk2, 'accept', '2026-03-02')).statusCode).toBe(404)
    const citizen2 = { id: userIdOf(conn, 'citizen2'), role: 'citizen', departmentCode: null }
    expect(failure(() => act(caseNo, citizen2, 'withdraw', '2026-03-02')).statusCode).toBe(404)
    expect(failure(() => applyTransition(conn, { caseNo: 'SZ20260302999999', action: 'accept', version: 1, user: clerk })).statusCode).toBe(404)
  })
})

describe('two clerks act on one case at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-race-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('lets exactly one win; the other gets 409', () => {
    const path = join(dir, 'race.db')
    const first = openDatabase(`file:${path}`)
    applyMigrations(first, 'db/migrations')
    seedCatalogue(first)
    seedDemoAccounts(first)
    const second = openDatabase(`file:${path}`)
    conn = first
    citizen = { id: userIdOf(first, 'citizen'), role: 'citizen', departmentCode: null }
    const caseNo = applyOnline()
    // both loaded version 1; one accepts, the other returns, each on its own connection
    const outcomes = [
      () => applyTransition(first, { caseNo, action: 'accept', version: 1, user: clerk, now: at('2026-03-02') }),
      () => applyTransition(second, { caseNo, action: 'return', comment: '缺材料', version: 1, user: clerk, now: at('2026-03-02') }),
    ].map((run) => {
      try {
        return run().status
      }
      catch (e) {
        return e instanceof CaseError ? e.statusCode : 'other'
      }
    })
    expect(outcomes.filter(o => o === 409)).toHaveLength(1)
    expect(outcomes.filter(o => typeof o === 'string')).toHaveLength(1)
    const events = second.sqlite.prepare('SELECT action FROM case_events WHERE case_no = ?').all(caseNo)
    expect(events).toHaveLength(2)
    first.sqlite.close()
    second.sqlite.close()
  })
})

describe('a withdrawal a clerk records for a person without an account', () => {
  /** 赵秀英 has no account: the clerks record her resubmissions and withdrawals. Received Mon 2 Mar. */
  const counterCase = () => writeTransaction(conn, () => receiveCounterCase(conn, {
    serviceCode: 'SZRS-0004', applicant: { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' },
    answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
  }, at('2026-03-02'))).caseNo
  const withdrawAudit = (caseNo: string) => JSON.parse(conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.withdraw' AND subject = ?`).pluck().get(caseNo) as string) as Record<string, unknown>

  it('needs the applicant\'s request written down: an overdue case accepted and returned late cannot vanish without it', () => {
    const caseNo = counterCase()
    act(caseNo, clerk, 'accept', '2026-03-02') // due Mon 16 Mar
    act(caseNo, clerk, 'return', '2026-03-20', { comment: '请补交户口簿复印件' })
    expect(openOverdueByDepartment(conn, '2026-03-23').get('SZRS')).toBe(1)
    for (const comment of [undefined, '', '   ']) {
      const e = failure(() => act(caseNo, clerk, 'withdraw', '2026-03-23', { comment }))
      expect(e.statusCode).toBe(400)
      expect(e.data?.fieldErrors).toEqual({ comment: 'validation.required' })
    }
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('supplement')
    const withdrawn = act(caseNo, clerk, 'withdraw', '2026-03-23', { comment: '申请人于窗口书面申请撤回' })
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.events.at(-1)).toMatchObject({ action: 'withdraw', from: 'supplement', actorRole: 'clerk', comment: '申请人于窗口书面申请撤回' })
    // what docs/cases.md says of it: off the overdue cases at once, never completed, its acceptance
    // counted as decided (in time) on the day it was made; the audit log says it was late
    expect(openOverdueByDepartment(conn, '2026-03-23').get('SZRS')).toBeUndefined()
    expect(supervision(conn, {}, at('2026-03-23')).overdue.items.some(c => c.caseNo === caseNo)).toBe(false)
    expect(conn.sqlite.prepare('SELECT coalesce(sum(completed), 0) FROM case_daily WHERE department_code = ?').pluck().get('SZRS')).toBe(0)
    expect(conn.sqlite.prepare('SELECT acceptance_decided AS decided, acceptance_late AS late FROM case_daily WHERE day = ? AND department_code = ?').get('2026-03-02', 'SZRS')).toEqual({ decided: 1, late: 0 })
    expect(withdrawAudit(caseNo)).toMatchObject({ from: 'supplement', to: 'withdrawn', reason: '申请人于窗口书面申请撤回', overdue: { deadline: '2026-03-16' } })
  })

  it('a case withdrawn in time is not marked late; the applicant withdrawing online gives no reason', () => {
    const atCounter = counterCase()
    act(atCounter, clerk, 'withdraw', '2026-03-03', { comment: '申请人于窗口书面申请撤回' })
    expect(withdrawAudit(atCounter)).not.toHaveProperty('overdue')
    const online = applyOnline()
    expect(act(online, citizen, 'withdraw', '2026-03-03').status).toBe('withdrawn')
    // the applicant's own, online, when late: no reason asked either, the lateness logged all the same
    const late = applyOnline()
    expect(act(late, citizen, 'withdraw', '2026-03-10').status).toBe('withdrawn')
    expect(withdrawAudit(late)).toMatchObject({ overdue: { deadline: '2026-03-09' } })
  })
})

describe('the one-time notice is given once a stage (一次性告知, 行政许可法 第三十二条第四项)', () => {
  const PHOTO = '近期免冠彩色数码照片回执'
  const returnFor = (caseNo: string, day: string, fields: string[], materials: string[] = []) =>
    act(caseNo, clerk, 'return', day, { comment: '请补正', supplement: { fields, materials } })

  it('before acceptance, a later return may ask again for what the first named, not for anything new', () => {
    const caseNo = applyOnline() // received Mon 2 Mar
    returnFor(caseNo, '2026-03-03', ['cardBank', 'collectWay'])
    // collection changed to post: the address it brings up is given for the first time
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb', collectWay: 'mail', mailAddress: '深圳市福田区福中三路1号' } }) // acceptance due Wed 11 Mar
    const fresh = failure(() => returnFor(caseNo, '2026-03-05', ['cardBank', 'digitalPhotoReceiptFile'], [PHOTO]))
    expect(fresh.statusCode).toBe(400)
    expect(fresh.data?.fieldErrors).toEqual({ 'supplement.fields.1': 'case.errors.oneTimeNotice', 'supplement.materials.0': 'case.errors.oneTimeNotice' })
    expect(findVisibleCase(conn, caseNo, clerk)).toMatchObject({ status: 'submitted', deadline: '2026-03-11' })
    // the bank asked for again (its answer still wrong), and the address the changed collection brought up
    const again = returnFor(caseNo, '2026-03-05', ['cardBank', 'mailAddress'])
    expect(again.supplementNotice).toMatchObject({ fields: ['cardBank', 'mailAddress'] })
    act(caseNo, citizen, 'resubmit', '2026-03-06', { answers: { cardBank: 'boc', mailAddress: '深圳市福田区福中三路2号' } })
    expect(returnFor(caseNo, '2026-03-09', ['collectWay']).status).toBe('supplement')
    act(caseNo, citizen, 'resubmit', '2026-03-10', { answers: { collectWay: 'branch' } })
    // what was never asked for stays out of reach: the clerk decides, accepting (or refusing while in time)
    expect(failure(() => returnFor(caseNo, '2026-03-11', [], [PHOTO])).data?.fieldErrors).toEqual({ 'supplement.materials.0': 'case.errors.oneTimeNotice' })
    expect(act(caseNo, clerk, 'accept', '2026-03-11').status).toBe('accepted')
  })

  it('from acceptance on it starts again: the first return after it names anything, a later one only what that one named', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    act(caseNo, clerk, 'accept', '2026-03-05')
    expect(returnFor(caseNo, '2026-03-06', [], [PHOTO]).supplementNotice).toMatchObject({ fields: ['digitalPhotoReceiptFile'], materials: [PHOTO] })
    act(caseNo, citizen, 'resubmit', '2026-03-09', { answers: { digitalPhotoReceiptFile: [upload(citizen.id)] } })
    // the bank was named before acceptance only
    expect(failure(() => returnFor(caseNo, '2026-03-10', ['cardBank'])).data?.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
    // the photo again, asked for by its upload this time: the same item
    expect(returnFor(caseNo, '2026-03-10', ['digitalPhotoReceiptFile']).status).toBe('supplement')
  })

  it('a notice given after the acceptance deadline is the acceptance, and the first notice of the stage after it', () => {
    const caseNo = applyOnline() // acceptance due Mon 9 Mar
    returnFor(caseNo, '2026-03-12', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-13', { answers: { cardBank: 'ccb' } })
    expect(failure(() => returnFor(caseNo, '2026-03-16', ['collectWay'])).data?.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
    expect(returnFor(caseNo, '2026-03-16', ['cardBank']).status).toBe('supplement')
  })

  it('a late notice after an earlier one in time opens the new stage: it may name what the earlier did not', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } }) // acceptance due Wed 11 Mar
    // given late, on Mon 16 Mar: the case is accepted on receipt, and this is that stage's first notice
    const late = returnFor(caseNo, '2026-03-16', ['collectWay'])
    expect(late.supplementNotice).toMatchObject({ fields: ['collectWay'] })
    expect(findVisibleCase(conn, caseNo, clerk)!.acceptedAt).not.toBeNull()
  })

  it('a later return of the stage must name something the notice named: one with a reason only would just restart the clock', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    const empty = failure(() => returnFor(caseNo, '2026-03-05', []))
    expect(empty.statusCode).toBe(400)
    expect(empty.data?.fieldErrors).toEqual({ supplement: 'case.errors.oneTimeNoticeNothing' })
    expect(findVisibleCase(conn, caseNo, clerk)).toMatchObject({ status: 'submitted', deadline: '2026-03-11' })
    // after acceptance the first notice may give a reason alone
    act(caseNo, clerk, 'accept', '2026-03-05')
    expect(returnFor(caseNo, '2026-03-06', []).status).toBe('supplement')
  })

  it('a notice with a reason only named nothing: a later return may not name an item either', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', [])
    act(caseNo, citizen, 'resubmit', '2026-03-04')
    expect(failure(() => returnFor(caseNo, '2026-03-05', ['cardBank'])).data?.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
  })

  it('keeps each notice on its return event; a case returned before they were kept is not held to it', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'], [PHOTO])
    const kept = conn.sqlite.prepare(`SELECT notice FROM case_events WHERE case_no = ? AND action = 'return'`).pluck().get(caseNo) as string
    expect(JSON.parse(kept)).toEqual({ fields: ['cardBank', 'digitalPhotoReceiptFile'], materials: [PHOTO], due: '2026-03-17' })
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb', digitalPhotoReceiptFile: [upload(citizen.id)] } })
    conn.sqlite.prepare(`UPDATE case_events SET notice = NULL WHERE case_no = ? AND action = 'return'`).run(caseNo)
    expect(returnFor(caseNo, '2026-03-05', ['collectWay']).status).toBe('supplement')
  })
})

describe('不予受理 only while the acceptance period runs', () => {
  const actionsOn = (caseNo: string, when: Date) => caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk, when).allowedActions
  const refuse = (caseNo: string, when: Date) => applyTransition(conn, {
    caseNo, action: 'refuse', comment: '不属于本部门受理范围', user: clerk, now: when,
    version: (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version,
  })

  it('is offered and done up to the end of the acceptance deadline day; after it the case is accepted, and decided in the figures', () => {
    const inTime = applyOnline() // received Mon 2 Mar: acceptance due Mon 9 Mar
    const late = applyOnline()
    // 23:30 on the deadline day, Shanghai time, is in time; 00:30 the next day is not
    expect(actionsOn(inTime, new Date('2026-03-09T15:30:00Z'))).toEqual(['accept', 'return', 'refuse'])
    expect(refuse(inTime, new Date('2026-03-09T15:30:00Z')).status).toBe('not_accepted')
    expect(actionsOn(late, new Date('2026-03-09T16:30:00Z'))).toEqual(['accept', 'return'])
    const refused = failure(() => refuse(late, new Date('2026-03-09T16:30:00Z')))
    expect(refused.statusCode).toBe(409)
    expect(findVisibleCase(conn, late, clerk)!.status).toBe('submitted')
    // accepted late: on receipt by law, due 10 working days from Mon 2 Mar; rejected after that, late
    expect(act(late, clerk, 'accept', '2026-03-10').deadline).toBe('2026-03-16')
    act(late, clerk, 'reject', '2026-03-17', { comment: '不符合申领条件' })
    expect(daily('2026-03-17')).toMatchObject({ completed: 1, onTime: 0 })
  })

  it('an instant item is refused the day it is due, and afterwards approved on the spot or accepted', () => {
    const lossCard = () => applyOnline('SZRS-0005', '2026-03-13', { ...CITIZEN, lossType: 'temp' }) // Fri 13 Mar: due that day
    const inTime = lossCard()
    const late = lossCard()
    expect(actionsOn(inTime, at('2026-03-13', 17))).toEqual(['accept', 'return', 'refuse', 'approve'])
    expect(refuse(inTime, at('2026-03-13', 17)).status).toBe('not_accepted')
    expect(actionsOn(late, at('2026-03-16'))).toEqual(['accept', 'return', 'approve'])
    expect(failure(() => refuse(late, at('2026-03-16'))).statusCode).toBe(409)
    act(late, clerk, 'approve', '2026-03-16')
    expect(daily('2026-03-16')).toMatchObject({ completed: 1, onTime: 0 })
  })

  it('runs again after corrections asked for in time, and for a counter case the clerk may still record the person\'s withdrawal after it', () => {
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, at('2026-03-02')))
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '请补交户口簿复印件' })
    // resubmitted Tue 10 Mar, after the first period: a fresh one, to Tue 17 Mar
    expect(act(caseNo, clerk, 'resubmit', '2026-03-10').deadline).toBe('2026-03-17')
    // no return while the acceptance period runs: the stage's notice gave a reason alone, so nothing
    // can be asked again; after it, a return is the late acceptance and opens the next stage
    expect(actionsOn(caseNo, at('2026-03-17'))).toEqual(['accept', 'refuse', 'withdraw'])
    expect(actionsOn(caseNo, at('2026-03-18'))).toEqual(['accept', 'return', 'withdraw'])
    expect(failure(() => refuse(caseNo, at('2026-03-18'))).statusCode).toBe(409)
  })
})

describe('a counter case\'s notice may ask for a material brought on paper (一次性告知 at the counter)', () => {
  const ID_CARD = '居民身份证'
  const PHOTO = '近期免冠彩色数码照片回执'
  const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
  /** 赵秀英, who has no account, applies at the counter on Mon 2 Mar 2026, handing in her ID card on paper. */
  const counterIntake = () => writeTransaction(conn, () => receiveCounterCase(conn, {
    serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch' }, paperMaterials: [ID_CARD], clerk,
  }, at('2026-03-02'))).caseNo
  const returnFor = (caseNo: string, day: string, fields: string[], materials: string[], comment = '请补正') =>
    act(caseNo, clerk, 'return', day, { comment, supplement: { fields, materials } })

  it('names it, tracking tells the applicant to bring it to the counter, and a later return of the stage may ask for it again but nothing new', () => {
    const caseNo = counterIntake()
    // SZRS-0004's form has no upload for the ID card: online it could not be asked for
    const returned = returnFor(caseNo, '2026-03-03', [], [ID_CARD, PHOTO], '身份证复印件不清晰，请携带原件到窗口')
    expect(returned.supplementNotice).toEqual({ fields: ['digitalPhotoReceiptFile'], materials: [ID_CARD, PHOTO], comment: '身份证复印件不清晰，请携带原件到窗口', due: '2026-03-17' })
    expect(trackCase(conn, caseNo, ZHAO.idNumber)!.notice).toEqual({
      reason: '身份证复印件不清晰，请携带原件到窗口', due: '2026-03-17', fields: [], materials: [ID_CARD, PHOTO], atCounter: [ID_CARD],
    })
    // the applicant comes with the card and a new photo receipt: the clerk records the resubmission
    // at the counter with the photo scanned; the card is paper, nothing to change for it
    expect(returned.allowedActions).toContain('resubmit')
    const again = act(caseNo, clerk, 'resubmit', '2026-03-04', { answers: { digitalPhotoReceiptFile: [upload(clerk.id)] } })
    expect(again.status).toBe('submitted')
    expect(again.returnLimitedTo).toMatchObject({ fields: ['digitalPhotoReceiptFile'], materials: [ID_CARD, PHOTO] })

    // the bank was never named in the stage: refused, the card beside it is not
    const fresh = failure(() => returnFor(caseNo, '2026-03-05', ['cardBank'], [ID_CARD]))
    expect(fresh.statusCode).toBe(400)
    expect(fresh.data?.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('submitted')
    const second = returnFor(caseNo, '2026-03-05', [], [ID_CARD], '身份证原件已过有效期，请携带有效证件')
    expect(second.supplementNotice).toEqual({ fields: [], materials: [ID_CARD], comment: '身份证原件已过有效期，请携带有效证件', due: '2026-03-19' })
    expect(trackCase(conn, caseNo, ZHAO.idNumber)!.notice).toMatchObject({ fields: [], materials: [ID_CARD], atCounter: [ID_CARD] })
    // the paper asks for no answer: recorded as brought, the case is back with the department
    expect(act(caseNo, clerk, 'resubmit', '2026-03-06').status).toBe('submitted')
  })

  it('an online case still cannot ask for it, and tracking marks nothing of an online notice as paper', () => {
    const caseNo = applyOnline()
    expect(failure(() => returnFor(caseNo, '2026-03-03', [], [ID_CARD])).data?.fieldErrors).toEqual({ 'supplement.materials.0': 'case.errors.materialNotOnline' })
    returnFor(caseNo, '2026-03-03', [], [PHOTO])
    expect(trackCase(conn, caseNo, CITIZEN.idNumber)!.notice).toEqual({ reason: '请补正', due: '2026-03-17', fields: [], materials: [PHOTO] })
  })
})

describe('a notice does not ask for the answers held to the applicant', () => {
  const heldErrors = (...indexes: number[]) => Object.fromEntries(indexes.map(i => [`supplement.fields.${i}`, 'case.errors.fieldHeldToApplicant']))

  it('refuses the name, ID number and mobile of a person\'s own online application, and the notice is still to be given', () => {
    const caseNo = applyOnline()
    const refused = failure(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '姓名有误', supplement: { fields: ['cardBank', 'name', 'idNumber', 'mobile'], materials: [] } }))
    expect(refused.statusCode).toBe(400)
    expect(refused.data?.fieldErrors).toEqual(heldErrors(1, 2, 3))
    expect(findVisibleCase(conn, caseNo, clerk)!.status).toBe('submitted')
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM case_events WHERE case_no = ? AND action = 'return'`).get(caseNo)).toEqual({ n: 0 })
    // nothing spent: the stage's first notice may name anything else
    expect(act(caseNo, clerk, 'return', '2026-03-03', { comment: '请更正领卡银行', supplement: { fields: ['cardBank'], materials: [] } }).status).toBe('supplement')
  })

  it('refuses them on a counter case, whose answers are the recorded applicant\'s', () => {
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, at('2026-03-02')))
    expect(failure(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '请核对', supplement: { fields: ['mobile', 'name'], materials: [] } })).data?.fieldErrors)
      .toEqual(heldErrors(0, 1))
  })

  it('lets an organisation\'s application ask for its contact\'s name and mobile, whoever of it that is', () => {
    const sj = { id: Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('clerk-sj', 'x', 'clerk', 'SZSJ', '市场监管受理员')`).run().lastInsertRowid), role: 'clerk', departmentCode: 'SZSJ' }
    const uscc = makeUscc('91440300MA5G12345')
    const org = Number(conn.sqlite.prepare(`INSERT INTO organizations (user_id, name, uscc) VALUES (?, '深圳市甲公司', ?)`).run(citizen.id, uscc).lastInsertRowid)
    const fv = conn.sqlite.prepare(`SELECT form_version_id AS id FROM services WHERE code = 'SZSJ-0003'`).get() as { id: number }
    const resolution = upload(citizen.id)
    const caseNo = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZSJ-0003', channel: 'online', formVersionId: fv.id,
      applicant: { userId: citizen.id, organizationId: org, ...CITIZEN },
      answers: {
        orgName: '深圳市甲公司', orgCode: uscc, contactName: CITIZEN.name, contactMobile: CITIZEN.mobile,
        changeItem: 'address', newValue: '深圳市南山区科技园', resolutionDate: '2026-02-20', shareholdersResolutionFile: [resolution],
      },
      materials: [{ uploadId: resolution, fieldKey: 'shareholdersResolutionFile', source: 'upload' }], actor: { id: citizen.id, role: 'citizen' },
    }, at('2026-03-02'))).caseNo
    const returned = act(caseNo, sj, 'return', '2026-03-03', { comment: '经办人手机号码无法接通，请核对', supplement: { fields: ['contactName', 'contactMobile'], materials: [] } })
    expect(returned.supplementNotice).toMatchObject({ fields: ['contactName', 'contactMobile'] })
    // the contact changes to a colleague: the case goes back to the department
    expect(act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { contactName: '李慧芳', contactMobile: '13912345678' } }).status).toBe('submitted')
    expect(JSON.parse(findVisibleCase(conn, caseNo, sj)!.answers)).toMatchObject({ contactName: '李慧芳', contactMobile: '13912345678' })
  })
})
