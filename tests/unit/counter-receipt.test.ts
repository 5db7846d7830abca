/**
 * What a clerk at the counter records and hands over: the paper materials ticked against the item's
 * guide, kept with the case; the terms the intake answers with (day received, deadline, item,
 * department); and the receipt (收件凭证) that only the case's department and managers may read.
 * The item is 社会保障卡申领 (SZRS-0004), whose guide lists 居民身份证 (original, 1 copy) and
 * 近期免冠彩色数码照片回执.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { CaseError } from '../../server/services/case-errors'
import { caseReceipt, receiveCounterCaseOnce } from '../../server/services/counter'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const ANSWERS = { cardBank: 'boc', collectWay: 'branch' }
const ID_CARD = '居民身份证'
const PHOTO = '近期免冠彩色数码照片回执'

const clerkOf = (conn: Connection) => ({ id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' })

function intake(conn: Connection, paperMaterials: unknown, opts: { key?: string | null, answers?: Record<string, unknown> } = {}) {
  return writeTransaction(conn, () => receiveCounterCaseOnce(conn, {
    serviceCode: 'SZRS-0004', applicant: ZHAO, answers: opts.answers ?? ANSWERS, paperMaterials: paperMaterials as string[], clerk: clerkOf(conn),
  }, opts.key ?? null))
}

function refusalOf(fn: () => unknown): { statusCode: number, fieldErrors: unknown } {
  try { fn() }
  catch (e) {
    if (e instanceof CaseError) return { statusCode: e.statusCode, fieldErrors: e.data?.fieldErrors }
    throw e
  }
  throw new Error('expected a refusal')
}

const caseCount = (conn: Connection) => conn.sqlite.prepare(`SELECT count(*) FROM cases WHERE channel = 'counter'`).pluck().get()

describe('the paper materials ticked at the counter', () => {
  it('are recorded with the case in the guide\'s order, whatever order they were ticked in, and the intake says so', () => {
    const conn = freshDatabase()
    const made = intake(conn, [PHOTO, ID_CARD])
    expect(made.paperMaterials).toEqual([ID_CARD, PHOTO])
    expect(caseReceipt(conn, made.caseNo, clerkOf(conn))!.paperMaterials).toEqual([
      { name: ID_CARD, materialType: 'original', copies: 1 },
      { name: PHOTO, materialType: null, copies: 1 },
    ])
  })

  it('may be none: an intake without them (as sent before the checklist) records none', () => {
    const conn = freshDatabase()
    const made = intake(conn, undefined)
    expect(made.paperMaterials).toEqual([])
    expect(caseReceipt(conn, made.caseNo, clerkOf(conn))!.paperMaterials).toEqual([])
  })

  it('refuses a name the guide does not list, together with the other mistakes, and records nothing', () => {
    const conn = freshDatabase()
    expect(refusalOf(() => intake(conn, [ID_CARD, '户口簿'], { answers: { cardBank: 'boc' } }))).toEqual({
      statusCode: 400,
      fieldErrors: { collectWay: 'validation.required', paperMaterials: 'case.counterReceipt.errors.notInGuide' },
    })
    expect(caseCount(conn)).toBe(0)
  })

  it('refuses a material ticked twice', () => {
    const conn = freshDatabase()
    expect(refusalOf(() => intake(conn, [ID_CARD, ID_CARD])).fieldErrors).toEqual({ paperMaterials: 'case.counterReceipt.errors.duplicate' })
    expect(caseCount(conn)).toBe(0)
  })

  it('are part of what a repeat with the same key must match: in any order it is the same intake, with another list it is refused', () => {
    const conn = freshDatabase()
    const key = '0123456789abcdef0123456789abcdef'
    const first = intake(conn, [ID_CARD, PHOTO], { key })
    expect(intake(conn, [PHOTO, ID_CARD], { key })).toEqual({ ...first, replayed: true })
    const changed = refusalOf(() => intake(conn, [ID_CARD], { key }))
    expect(changed.statusCode).toBe(409)
    expect(caseCount(conn)).toBe(1)
  })
})

describe('the answer to an intake', () => {
  it('gives the day received, the acceptance deadline, the item and its department', () => {
    const conn = freshDatabase()
    const made = intake(conn, [])
    const row = conn.sqlite.prepare('SELECT received_date AS receivedDate, deadline FROM cases WHERE case_no = ?').get(made.caseNo) as { receivedDate: string, deadline: string }
    expect(made).toMatchObject({
      receivedDate: row.receivedDate, deadline: row.deadline,
      serviceName: '社会保障卡申领', serviceNameEn: 'Application for a Social Security Card',
      department: { code: 'SZRS', name: '深圳市人力资源和社会保障局' },
    })
    expect(made.deadline > made.receivedDate).toBe(true)
  })
})

describe('the receipt of a counter case', () => {
  it('names the case, the item, the applicant (masked), the terms, the counter and the clerk', () => {
    const conn = freshDatabase()
    const made = intake(conn, [ID_CARD])
    const receipt = caseReceipt(conn, made.caseNo, clerkOf(conn))!
    const clerkName = conn.sqlite.prepare(`SELECT name FROM users WHERE username = 'clerk'`).pluck().get()
    expect(receipt).toMatchObject({
      caseNo: made.caseNo, channel: 'counter', status: 'submitted', serviceName: '社会保障卡申领',
      department: { code: 'SZRS', name: '深圳市人力资源和社会保障局' },
      applicant: { name: ZHAO.name, idNumberMasked: '110105********002X' },
      receivedDate: made.receivedDate, acceptanceDeadline: made.deadline, acceptanceLimitDays: 5,
      location: '深圳市福田区福中三路市民中心B区深圳市行政服务大厅社会保险窗口',
      receivedBy: clerkName, linkedAccount: false, scans: [],
    })
    expect(JSON.stringify(receipt)).not.toContain(ZHAO.idNumber)
  })

  it('masks an ID number in a scan\'s file name, as the case shows it to staff', () => {
    const conn = freshDatabase()
    // the clerk's scan of the applicant's photo receipt, named after the ID number
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES ('scan-named-after-id', ?, ?, 1000, 'application/pdf', 'x', 'scan-named-after-id')`)
      .run(clerkOf(conn).id, `赵敏${ZHAO.idNumber}.pdf`)
    const made = intake(conn, [ID_CARD], { answers: { ...ANSWERS, digitalPhotoReceiptFile: ['scan-named-after-id'] } })
    const receipt = caseReceipt(conn, made.caseNo, clerkOf(conn))!
    expect(receipt.scans.map(s => s.name)).toEqual(['赵敏110105********002X.pdf'])
  })

  it('gives no acceptance deadline once the department has decided: the case\'s deadline is then another one', () => {
    const conn = freshDatabase()
    const made = intake(conn, [])
    conn.sqlite.prepare(`UPDATE cases SET status = 'accepted', deadline = '2027-01-29' WHERE case_no = ?`).run(made.caseNo)
    expect(caseReceipt(conn, made.caseNo, clerkOf(conn))).toMatchObject({ status: 'accepted', acceptanceDeadline: null })
    // accepted, returned and resubmitted: submitted again, with the moved handling deadline
    conn.sqlite.prepare(`UPDATE cases SET status = 'submitted', accepted_at = '2027-01-15T02:00:00.000Z' WHERE case_no = ?`).run(made.caseNo)
    expect(caseReceipt(conn, made.caseNo, clerkOf(conn))).toMatchObject({ status: 'submitted', acceptanceDeadline: null })
  })

  it('is for the case\'s department and managers only: another department\'s clerk and the applicant find nothing', () => {
    const conn = freshDatabase()
    const made = intake(conn, [ID_CARD])
    const manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
    const otherClerk = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
    expect(caseReceipt(conn, made.caseNo, manager)?.caseNo).toBe(made.caseNo)
    expect(caseReceipt(conn, made.caseNo, otherClerk)).toBeUndefined()
    expect(caseReceipt(conn, made.caseNo, citizen)).toBeUndefined()
  })
})
