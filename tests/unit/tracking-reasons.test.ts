/**
 * An applicant with no portal account, whose case was taken in at a counter, follows it by public
 * tracking, where the SMS sends them: a return for corrections shows the clerk's reason and the
 * one-time notice's list (the answers to correct by their labels, the materials by their names),
 * a refusal, rejection, suspension or extension its reason. ID and mobile numbers typed into a
 * reason are masked, and nothing else personal is given: no name, no answer, no staff member.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCounterCase } from '../../server/services/counter'
import { trackCase } from '../../server/services/tracking'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const PHOTO = '近期免冠彩色数码照片回执'
/** 10:00 in Shenzhen on a day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`)

let conn: Connection
let clerk: TransitionInput['user']

beforeEach(() => {
  conn = freshDatabase()
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
})

/** A social security card applied for at the counter on 2 March 2026 (SZRS-0004). */
function counterCase(): string {
  return writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }, at('2026-03-02'))).caseNo
}

function act(caseNo: string, action: TransitionInput['action'], day: string, extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: clerk, now: at(day), ...extra })
}

const clerkName = () => conn.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck().get(clerk.id) as string

describe('tracking a counter case returned for corrections', () => {
  it('gives the clerk\'s reason and the notice\'s list by names, the numbers in the reason masked, and no answer', () => {
    const caseNo = counterCase()
    const reason = `请核对合作银行；照片回执不清晰。如有疑问请致电申请人预留号码 ${ZHAO.mobile} 核对身份证号码 ${ZHAO.idNumber}`
    act(caseNo, 'return', '2026-03-03', { comment: reason, supplement: { fields: ['cardBank'], materials: [PHOTO] } })

    const tracked = trackCase(conn, caseNo, ZHAO.idNumber)!
    const masked = '请核对合作银行；照片回执不清晰。如有疑问请致电申请人预留号码 139****5678 核对身份证号码 110105********002X'
    expect(tracked.status).toBe('supplement')
    expect(tracked.events).toEqual([
      { at: expect.any(String), action: 'submit', to: 'submitted' },
      // with the written notice to print, its reason masked as the step's
      { at: expect.any(String), action: 'return', to: 'supplement', reason: masked, document: expect.objectContaining({ kind: 'corrections', reason: masked }) },
    ])
    // the photo's upload is asked for by the material, not named twice
    expect(tracked.notice).toEqual({
      reason: masked,
      // the last day to correct: ten working days from Wednesday 4 March
      due: '2026-03-17',
      fields: [{ key: 'cardBank', label: { zh: '选择合作银行', en: 'Partner bank' } }],
      materials: [PHOTO],
    })
    const text = JSON.stringify(tracked)
    for (const personal of [ZHAO.name, ZHAO.idNumber, ZHAO.mobile, clerkName(), '"boc"', '中国银行', 'branch']) expect(text).not.toContain(personal)
  })

  it('no longer shows the notice once the case has left corrections, nor the words of the applicant\'s own withdrawal', () => {
    const caseNo = counterCase()
    act(caseNo, 'return', '2026-03-03', { comment: '请补正照片回执', supplement: { fields: [], materials: [PHOTO] } })
    // recorded by the clerk for the person at the counter: their words about themselves
    act(caseNo, 'withdraw', '2026-03-04', { comment: '本人住院，暂不办理' })

    const tracked = trackCase(conn, caseNo, ZHAO.idNumber)!
    expect(tracked.status).toBe('withdrawn')
    expect(tracked).not.toHaveProperty('notice')
    expect(tracked.events.map(e => [e.action, e.reason])).toEqual([['submit', undefined], ['return', '请补正照片回执'], ['withdraw', undefined]])
  })
})

describe('tracking a counter case the department decided on', () => {
  it('gives the reason of a refusal', () => {
    const caseNo = counterCase()
    act(caseNo, 'refuse', '2026-03-03', { comment: '申请事项不属于本部门职权范围' })
    const tracked = trackCase(conn, caseNo, ZHAO.idNumber)!
    expect(tracked.status).toBe('not_accepted')
    expect(tracked.events.at(-1)).toEqual({
      at: expect.any(String), action: 'refuse', to: 'not_accepted', reason: '申请事项不属于本部门职权范围',
      document: expect.objectContaining({ kind: 'refusal', reason: '申请事项不属于本部门职权范围' }),
    })
  })

  it('gives the reasons of an extension, a suspension and a rejection, each on its step', () => {
    const caseNo = counterCase()
    act(caseNo, 'accept', '2026-03-03')
    // by the head of the department, who alone extends (第四十二条)
    act(caseNo, 'extend', '2026-03-04', { comment: '需实地核查，延长办理时限', days: 5, user: { id: userIdOf(conn, 'head'), role: 'clerk', departmentCode: 'SZRS' } })
    act(caseNo, 'suspend', '2026-03-05', { comment: '等待银行制卡反馈' })
    act(caseNo, 'resume', '2026-03-09')
    act(caseNo, 'reject', '2026-03-10', { comment: '经核查，申请人已持有有效社会保障卡' })
    const tracked = trackCase(conn, caseNo, ZHAO.idNumber)!
    expect(tracked.status).toBe('rejected')
    expect(tracked.events.map(e => [e.action, e.reason])).toEqual([
      ['submit', undefined],
      ['accept', undefined],
      ['extend', '需实地核查，延长办理时限'],
      ['suspend', '等待银行制卡反馈'],
      ['resume', undefined],
      ['reject', '经核查，申请人已持有有效社会保障卡'],
    ])
    expect(tracked).not.toHaveProperty('notice')
  })
})
