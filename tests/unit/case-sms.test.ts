/**
 * Whose phone a case's SMS go to. Registration takes any well-formed mobile, so an online
 * applicant's case SMS (a clerk's reasons among them) go only to a number its owner proved theirs
 * with a code; the in-app message tells them meanwhile. A number given at the counter, where the
 * person stood with their ID card, is used as given.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { receiveCounterCase } from '../../server/services/counter'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

const at = (day: string) => new Date(`${day}T10:00:00+08:00`)
let conn: Connection

beforeEach(() => {
  conn = freshDatabase()
})

/** 张晓明's online application (the demo citizen, whose mobile the seed verified) with `mobile` on it. */
function online(mobile = '13800138000'): string {
  const citizen = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: 'SZRS-0004', channel: 'online', formVersionId: null, answers: {}, materials: [],
    applicant: { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile },
    actor: { id: citizen, role: 'citizen' },
  }, at('2026-03-02')).caseNo)
}

const smsOf = (caseNo: string) => conn.sqlite.prepare(`SELECT template, recipient FROM outbox WHERE channel = 'sms' AND params LIKE ?`).all(`%${caseNo}%`)
const messagesOf = (caseNo: string) => conn.sqlite.prepare('SELECT kind FROM messages WHERE case_no = ?').pluck().all(caseNo)
const unverify = () => conn.sqlite.prepare('UPDATE users SET mobile_verified_at = NULL WHERE username = ?').run('citizen')

describe('the SMS of a case', () => {
  it('go to an online applicant\'s mobile once they proved it theirs', () => {
    const caseNo = online()
    expect(smsOf(caseNo)).toEqual([{ template: 'case.submitted', recipient: '13800138000' }])
  })

  it('do not go to a mobile never proved, and the in-app message still tells the applicant', () => {
    unverify()
    const caseNo = online()
    expect(smsOf(caseNo)).toEqual([])
    expect(messagesOf(caseNo)).toEqual(['submitted'])
  })

  it('do not go to a number on the case other than the one the account proved', () => {
    expect(smsOf(online('13900001111'))).toEqual([])
  })

  it('follow the case from the step after the applicant proves the number', () => {
    unverify()
    const caseNo = online()
    conn.sqlite.prepare('UPDATE users SET mobile_verified_at = ? WHERE username = ?').run(at('2026-03-02').toISOString(), 'citizen')
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk' as const, departmentCode: 'SZRS' }
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now: at('2026-03-03') })
    expect(smsOf(caseNo)).toEqual([{ template: 'case.accept', recipient: '13800138000' }])
  })

  it('go to the number given at the counter, for a person with no account', () => {
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk' as const, departmentCode: 'SZRS' }
    const applicant = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }, at('2026-03-02')))
    expect(smsOf(caseNo)).toEqual([{ template: 'case.submitted', recipient: '13912345678' }])
  })
})
