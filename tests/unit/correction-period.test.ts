/**
 * 补正期限: a return gives the applicant a period to correct, stated wherever the notice is read,
 * and once it has passed the department records the application as withdrawn (逾期未补正，视为撤回);
 * until then the applicant may still resubmit.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { caseDocument } from '../../server/services/case-documents'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { supervision } from '../../server/services/supervision'
import { trackCase } from '../../server/services/tracking'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'
import { CITIZEN as PERSON, receiveOnline } from '../support/online-cases'

/** 10:00 in Shenzhen on a day of March 2026, whose working days are Monday to Friday. */
const on = (day: string) => new Date(`${day}T02:00:00Z`)

let conn: Connection
let citizen: TransitionInput['user']
let clerk: TransitionInput['user']

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
})

/** An online application for a social security card (SZRS-0004) on Monday 2 March 2026. */
const applied = () => receiveOnline(conn, citizen.id, on('2026-03-02'))

function act(caseNo: string, user: TransitionInput['user'], action: TransitionInput['action'], day: string, extra: Partial<TransitionInput> = {}) {
  const { version } = conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }
  return applyTransition(conn, { caseNo, action, version, user, now: on(day), ...extra })
}

function refused(fn: () => unknown): CaseError {
  try {
    fn()
  }
  catch (e) {
    if (e instanceof CaseError) return e
    throw e
  }
  throw new Error('expected a CaseError')
}

/** Returned on Tuesday 3 March with the reason every return gives. */
function returned(extra: Partial<TransitionInput> = {}) {
  const caseNo = applied()
  const detail = act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰，请重新上传', supplement: { fields: [], materials: [], ...extra.supplement } })
  return { caseNo, detail }
}

/** The case as `user` reads it on `day`, through the same look-up as the API. */
const readOn = (caseNo: string, user: TransitionInput['user'], day: string) => caseDetail(conn, findVisibleCase(conn, caseNo, user)!, user, on(day))
const lastOutbox = () => conn.sqlite.prepare('SELECT template, params FROM outbox ORDER BY id DESC LIMIT 1').get() as { template: string, params: string }
const lastAudit = () => conn.sqlite.prepare('SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1').get() as { action: string, detail: string }

describe('a return', () => {
  it('gives ten working days by default, counted from the day after the notice, and says so to the applicant', () => {
    const { caseNo, detail } = returned()
    // Wednesday 4 to Tuesday 17 March: ten working days
    expect(detail.supplementNotice?.due).toBe('2026-03-17')
    const sms = lastOutbox()
    expect(sms.template).toBe('case.returnBy')
    expect(JSON.parse(sms.params)).toMatchObject({ correctionDue: '2026-03-17' })
    const message = conn.sqlite.prepare('SELECT kind, params FROM messages WHERE case_no = ? ORDER BY id DESC LIMIT 1').get(caseNo) as { kind: string, params: string }
    expect([message.kind, JSON.parse(message.params).correctionDue]).toEqual(['returnBy', '2026-03-17'])
    expect(JSON.parse(lastAudit().detail).notice.due).toBe('2026-03-17')
    // tracking and the written notice state it too
    expect(trackCase(conn, caseNo, PERSON.idNumber)?.notice?.due).toBe('2026-03-17')
    const event = conn.sqlite.prepare(`SELECT id FROM case_events WHERE case_no = ? AND action = 'return'`).pluck().get(caseNo) as number
    expect(caseDocument(conn, findVisibleCase(conn, caseNo, citizen)!, event, citizen)?.deadline).toBe('2026-03-17')
  })

  it('takes the period the clerk gives, from 1 to 60 working days', () => {
    expect(returned({ supplement: { fields: [], materials: [], days: 3 } }).detail.supplementNotice?.due).toBe('2026-03-06')
    for (const days of [0, 61, 2.5, -1]) {
      const caseNo = applied()
      const e = refused(() => act(caseNo, clerk, 'return', '2026-03-03', { comment: '请补正', supplement: { fields: [], materials: [], days } }))
      expect([e.statusCode, e.data?.fieldErrors]).toEqual([400, { 'supplement.days': 'case.errors.correctionDays' }])
      expect(findVisibleCase(conn, caseNo, clerk)?.status).toBe('submitted')
    }
  })
})

describe('once the period to correct has passed', () => {
  it('is not offered, nor taken, on its last day', () => {
    const { caseNo } = returned()
    expect(readOn(caseNo, clerk, '2026-03-17').extraActions).not.toContain('lapse')
    expect(refused(() => act(caseNo, clerk, 'lapse', '2026-03-17')).statusCode).toBe(409)
    expect(findVisibleCase(conn, caseNo, clerk)?.status).toBe('supplement')
  })

  it('is offered to the department the next day, which records the application as withdrawn and tells the applicant', () => {
    const { caseNo } = returned()
    const withdrawn = act(caseNo, clerk, 'lapse', '2026-03-18')
    expect(withdrawn.status).toBe('withdrawn')
    expect(withdrawn.allowedActions).toEqual([])
    expect(lastAudit().action).toBe('case.lapse')
    expect(JSON.parse(lastAudit().detail)).toMatchObject({ from: 'supplement', to: 'withdrawn', correctionDue: '2026-03-17' })
    const sms = lastOutbox()
    expect([sms.template, JSON.parse(sms.params).correctionDue]).toEqual(['case.lapse', '2026-03-17'])
  })

  it('still lets the applicant resubmit until the department records it, and the applicant cannot record it', () => {
    const { caseNo } = returned()
    expect(refused(() => act(caseNo, citizen, 'lapse', '2026-03-18')).statusCode).toBe(409)
    expect(act(caseNo, citizen, 'resubmit', '2026-03-18').status).toBe('submitted')
    // the resubmission ended the period: nothing is left to lapse
    expect(refused(() => act(caseNo, clerk, 'lapse', '2026-03-19')).statusCode).toBe(409)
  })

  it('lists the action apart from the contract\'s, for the department only', () => {
    const { caseNo } = returned()
    expect(readOn(caseNo, clerk, '2026-03-18')).toMatchObject({ extraActions: ['lapse'] })
    expect(readOn(caseNo, clerk, '2026-03-18').allowedActions).not.toContain('lapse')
    expect(readOn(caseNo, citizen, '2026-03-18')).toMatchObject({ allowedActions: ['resubmit', 'withdraw'], extraActions: [] })
  })

  it('never comes for a notice given before periods were, which named no last day', () => {
    const { caseNo } = returned()
    conn.sqlite.prepare(`UPDATE cases SET supplement_notice = json_remove(supplement_notice, '$.due') WHERE case_no = ?`).run(caseNo)
    expect(refused(() => act(caseNo, clerk, 'lapse', '2027-03-18')).statusCode).toBe(409)
  })
})

describe('on the managers\' supervision', () => {
  /** The cases whose period to correct has run out, as supervision lists them on `day`. */
  const lapsedOn = (day: string) => supervision(conn, {}, on(day)).correctionsLapsed
  const dayAfter = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10)

  it('lists a case not corrected in time, the longest lapsed first, until the department records it or the applicant corrects it', () => {
    const { caseNo: tenDays } = returned()
    const { caseNo: oneDay } = returned({ supplement: { fields: [], materials: [], days: 1 } })
    const { caseNo: running } = returned({ supplement: { fields: [], materials: [], days: 20 } })
    const { caseNo: undated } = returned()
    conn.sqlite.prepare(`UPDATE cases SET supplement_notice = json_remove(supplement_notice, '$.due') WHERE case_no = ?`).run(undated)
    // on its last day a period has not run out
    expect(lapsedOn('2026-03-17').items.map(c => [c.caseNo, c.correctionDue])).toEqual([[oneDay, '2026-03-04']])

    const lapsed = lapsedOn('2026-03-18')
    expect(lapsed.total).toBe(2)
    // counted against its department, beside its overdue and near cases
    expect(supervision(conn, {}, on('2026-03-18')).departments.find(d => d.code === 'SZRS')?.correctionsLapsed).toBe(2)
    // returned in time: its clock stands still, and it is on no other list
    expect(lapsed.items.map(c => [c.caseNo, c.correctionDue, c.workingDaysPastCorrectionDue, c.deadlineStatus])).toEqual([
      [oneDay, '2026-03-04', 10, 'paused'],
      [tenDays, '2026-03-17', 1, 'paused'],
    ])
    const { overdue, paused } = supervision(conn, {}, on('2026-03-18'))
    expect([...overdue.items, ...paused.items].some(c => [oneDay, tenDays].includes(c.caseNo))).toBe(false)
    // a period still running, and a notice that named no last day, are not here
    expect(lapsed.items.some(c => [running, undated].includes(c.caseNo))).toBe(false)

    act(oneDay, clerk, 'lapse', '2026-03-18')
    act(tenDays, citizen, 'resubmit', '2026-03-18')
    expect(lapsedOn('2026-03-18').total).toBe(0)
  })

  it('lists one returned when already late on the overdue list as well, and pages the list', () => {
    const late = applied()
    act(late, clerk, 'accept', '2026-03-03')
    const { deadline } = conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(late) as { deadline: string }
    const returnedOn = dayAfter(deadline, 1)
    const { supplementNotice } = act(late, clerk, 'return', returnedOn, { comment: '请补正', supplement: { fields: [], materials: [], days: 1 } })
    const day = dayAfter(supplementNotice!.due!, 7)
    expect(lapsedOn(day).items).toEqual([expect.objectContaining({ caseNo: late, deadlineStatus: 'overdue', suspendedSince: returnedOn })])
    expect(supervision(conn, {}, on(day)).overdue.items.map(c => c.caseNo)).toContain(late)

    // lapsed on 4 March, before it: first
    returned({ supplement: { fields: [], materials: [], days: 1 } })
    const second = supervision(conn, { lapsedPage: 2, pageSize: 1 }, on(day)).correctionsLapsed
    expect([second.total, second.page, second.items.map(c => c.caseNo)]).toEqual([2, 2, [late]])
  })
})
