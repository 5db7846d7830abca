/**
 * 回避: a clerk whose own ID number is on record (set from the console) takes in, decides and
 * revokes nothing of a case they applied for; a colleague of the department does. The number is
 * audited as on record or not, never written into the log.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { findResultFor, ResultConflict, revokeResult } from '../../server/services/results'
import { createStaffUser, setStaffIdNumber } from '../../server/services/staff-accounts'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

/** The demo citizen, who is also the demo clerk 王建国 applying for himself in these tests. */
const PERSON = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const now = new Date('2026-03-02T02:00:00Z')

let conn: Connection
type Staff = { id: number, role: string, departmentCode: string | null }
let clerk: Staff
let colleague: Staff

const staff = (username: string): Staff => conn.sqlite.prepare('SELECT id, role, department_code AS departmentCode FROM users WHERE username = ?').get(username) as Staff

/** The citizen's online case (instant SZRS-0006 issues a licence; SZRS-0004 is promised). */
function applyOnline(serviceCode = 'SZRS-0004'): string {
  const userId = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, applicant: { userId, ...PERSON }, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
  }, now)).caseNo
}

function failure(fn: () => unknown): Error {
  try {
    fn()
  }
  catch (e) {
    return e as Error
  }
  throw new Error('expected a refusal')
}

const view = (caseNo: string, who: Staff) => caseDetail(conn, findVisibleCase(conn, caseNo, who)!, who, now)
const accept = (caseNo: string, who: Staff) => applyTransition(conn, { caseNo, action: 'accept', version: 1, user: who, now })

beforeEach(() => {
  conn = freshDatabase()
  expect(createStaffUser(conn, { username: 'colleague', role: 'clerk', departmentCode: 'SZRS', name: '赵同事', password: 'a long enough colleague password' })).toMatchObject({ ok: true })
  expect(setStaffIdNumber(conn, 'clerk', ' 440305 19900307 2319 ', '本人在本部门申请事项')).toEqual({ ok: true, userId: userIdOf(conn, 'clerk'), changed: true })
  clerk = staff('clerk')
  colleague = staff('colleague')
})

describe('a clerk\'s own case', () => {
  it('is open to them to read, with no action and the reason; a colleague of the department handles it', () => {
    const caseNo = applyOnline()
    expect(view(caseNo, clerk)).toMatchObject({ status: 'submitted', allowedActions: [], ownCase: true })
    const refused = failure(() => accept(caseNo, clerk))
    expect(refused).toBeInstanceOf(CaseError)
    expect((refused as CaseError).statusCode).toBe(403)
    expect(view(caseNo, clerk).status).toBe('submitted')

    expect(view(caseNo, colleague)).toMatchObject({ ownCase: false, allowedActions: expect.arrayContaining(['accept', 'return', 'refuse']) })
    expect(accept(caseNo, colleague).status).toBe('accepted')
    // another person's case is the clerk's to handle as ever
    const other = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, now)).caseNo
    expect(view(other, clerk)).toMatchObject({ ownCase: false, allowedActions: expect.arrayContaining(['accept']) })
  })

  it('cannot be taken in at the counter by them: the ID number field says why, and nothing is recorded', () => {
    const before = conn.sqlite.prepare('SELECT count(*) FROM cases').pluck().get()
    const refused = failure(() => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: PERSON, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, now)))
    expect(refused).toBeInstanceOf(CaseError)
    expect((refused as CaseError).statusCode).toBe(400)
    expect((refused as CaseError).data?.fieldErrors).toEqual({ 'applicant.idNumber': 'case.errors.ownCase' })
    expect(conn.sqlite.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(before)
    expect(writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: PERSON, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk: colleague,
    }, now)).channel).toBe('counter')
  })

  it('gives them no way to revoke the licence it brought; the colleague can', () => {
    const caseNo = applyOnline('SZRS-0006')
    applyTransition(conn, { caseNo, action: 'approve', version: 1, user: colleague, now })
    const code = conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').pluck().get(caseNo) as string
    expect(findResultFor(conn, code, clerk, now)).toMatchObject({ canRevoke: false })
    expect(failure(() => writeTransaction(conn, () => revokeResult(conn, code, clerk, '误发', null, now)))).toBeInstanceOf(ResultConflict)
    expect(findResultFor(conn, code, colleague, now)).toMatchObject({ canRevoke: true })
    expect(writeTransaction(conn, () => revokeResult(conn, code, colleague, '误发', null, now))).toMatchObject({ status: 'revoked' })
  })

  it('is theirs to handle again once the number is cleared', () => {
    const caseNo = applyOnline()
    expect(setStaffIdNumber(conn, 'clerk', null, '录入有误')).toMatchObject({ ok: true, changed: true })
    expect(accept(caseNo, clerk).status).toBe('accepted')
  })
})

describe('the staff member\'s ID number on record', () => {
  it('is audited as on record or not, with the reason, never the number', () => {
    expect(setStaffIdNumber(conn, 'clerk', '440305199003072319', '再次确认')).toMatchObject({ ok: true, changed: false })
    expect(setStaffIdNumber(conn, 'clerk', null, '调离窗口')).toMatchObject({ ok: true, changed: true })
    const rows = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'account.idNumber.change' ORDER BY id`).pluck().all() as string[]
    expect(rows.map(d => JSON.parse(d))).toEqual([
      { idNumberOnRecord: true, reason: '本人在本部门申请事项' },
      { idNumberOnRecord: false, reason: '调离窗口' },
    ])
    expect(rows.join('')).not.toMatch(/19900307/)
  })

  it('is refused when it is not an ID number, for a citizen\'s account, and with a reason holding personal data', () => {
    expect(setStaffIdNumber(conn, 'clerk', '440305199003072318', 'x')).toEqual({ ok: false, reason: 'idNumber', field: 'validation.idNumber.checksum' })
    expect(setStaffIdNumber(conn, 'clerk', '   ', 'x')).toEqual({ ok: false, reason: 'idNumber', field: 'validation.required' })
    expect(setStaffIdNumber(conn, 'citizen', '44030419881115002X', 'x')).toEqual({ ok: false, reason: 'citizen' })
    expect(setStaffIdNumber(conn, 'clerk', '44030419881115002X', '身份证 44030419881115002X')).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(conn.sqlite.prepare(`SELECT staff_id_number FROM users WHERE username = 'clerk'`).pluck().get()).toBe('440305199003072319')
  })

  it('is never taken for a citizen\'s: the staff account is not found by it', () => {
    const holders = conn.sqlite.prepare('SELECT username FROM users WHERE id_number = ?').pluck().all('440305199003072319')
    expect(holders).toEqual(['citizen'])
  })

  it('may be given when the account is made, and is audited as on record', () => {
    expect(createStaffUser(conn, { username: 'newclerk', role: 'clerk', departmentCode: 'SZRS', name: '钱新', password: 'a long enough new clerk password', idNumber: '44030419881115002X' })).toMatchObject({ ok: true })
    expect(conn.sqlite.prepare(`SELECT staff_id_number FROM users WHERE username = 'newclerk'`).pluck().get()).toBe('44030419881115002X')
    const detail = JSON.parse(conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'account.create' ORDER BY id DESC LIMIT 1`).pluck().get() as string)
    expect(detail).toMatchObject({ idNumberOnRecord: true })
    expect(createStaffUser(conn, { username: 'badclerk', role: 'clerk', departmentCode: 'SZRS', name: '孙错', password: 'a long enough bad clerk password', idNumber: '12345' }))
      .toEqual({ ok: false, fieldErrors: { idNumber: 'validation.idNumber.format' } })
  })
})
