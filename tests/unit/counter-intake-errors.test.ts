/**
 * A counter intake is refused in one answer listing every field error: the applicant block's and
 * the answers' together, so the clerk corrects the whole intake at once, not in rounds.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { CaseError } from '../../server/services/case-errors'
import { receiveCounterCase, receiveCounterCaseOnce } from '../../server/services/counter'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const clerkOf = (conn: Connection) => ({ id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' })

function refusalOf(fn: () => unknown): { statusCode: number, fieldErrors: unknown } {
  try { fn() }
  catch (e) {
    if (e instanceof CaseError) return { statusCode: e.statusCode, fieldErrors: e.data?.fieldErrors }
    throw e
  }
  throw new Error('expected a refusal')
}

const intake = (conn: Connection, applicant: unknown, answers: Record<string, unknown>, serviceCode = 'SZRS-0004') =>
  () => writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode, applicant, answers, clerk: clerkOf(conn) }))

const caseCount = (conn: Connection) => conn.sqlite.prepare(`SELECT count(*) FROM cases WHERE channel = 'counter'`).pluck().get()

describe('a counter intake with several mistakes', () => {
  it('lists a bad ID checksum, a 10-digit mobile and the empty required answers in one refusal', () => {
    const conn = freshDatabase()
    const refused = refusalOf(intake(conn, { name: '赵秀英', idNumber: '110105194912310021', mobile: '1391234567' }, {}))
    expect(refused).toEqual({
      statusCode: 400,
      fieldErrors: {
        'applicant.idNumber': 'validation.idNumber.checksum', 'applicant.mobile': 'validation.mobile',
        'cardBank': 'validation.required', 'collectWay': 'validation.required',
      },
    })
    // told once, under the block: the form's own ID and mobile fields are filled from it, not shown
    expect(caseCount(conn)).toBe(0)
  })

  it('lists an empty block\'s entries with the answers\' errors, and a block with an entry it does not know', () => {
    const conn = freshDatabase()
    expect(refusalOf(intake(conn, { name: '', idNumber: '', mobile: '', extra: 1 }, { cardBank: 'nope' })).fieldErrors).toEqual({
      'applicant': 'validation.invalidType', 'applicant.name': 'validation.required', 'applicant.idNumber': 'validation.required',
      'applicant.mobile': 'validation.required', 'cardBank': 'validation.option', 'collectWay': 'validation.required',
    })
    expect(refusalOf(intake(conn, undefined, {})).fieldErrors).toEqual({ applicant: 'validation.invalidType', cardBank: 'validation.required', collectWay: 'validation.required' })
  })

  it('lists an answer naming someone else than the applicant with the missing ones', () => {
    const conn = freshDatabase()
    expect(refusalOf(intake(conn, ZHAO, { name: '别人', collectWay: 'branch' })).fieldErrors)
      .toEqual({ name: 'case.errors.notTheApplicant', cardBank: 'validation.required' })
  })

  it('lists the block\'s errors with an item that is not the clerk\'s department\'s', () => {
    const conn = freshDatabase()
    expect(refusalOf(intake(conn, { ...ZHAO, mobile: '1391234567' }, {}, 'SZGA-0001')).fieldErrors)
      .toEqual({ 'applicant.mobile': 'validation.mobile', 'serviceCode': 'case.errors.serviceNotYours' })
  })

  it('takes the mobile as the clerk types it from a card (139 1234 5678) and records its 11 digits', () => {
    const conn = freshDatabase()
    const { caseNo } = intake(conn, { ...ZHAO, mobile: '139 1234 5678' }, { cardBank: 'boc', collectWay: 'branch' })()
    expect(conn.sqlite.prepare('SELECT applicant_mobile AS mobile FROM cases WHERE case_no = ?').get(caseNo)).toEqual({ mobile: '13912345678' })
  })

  it('corrected, is recorded, with the block as checked (trimmed, a small x as X)', () => {
    const conn = freshDatabase()
    const { caseNo } = intake(conn, { name: ' 赵秀英 ', idNumber: '11010519491231002x', mobile: '13912345678' }, { cardBank: 'boc', collectWay: 'branch' })()
    expect(conn.sqlite.prepare('SELECT applicant_name AS name, applicant_id_number AS idNumber FROM cases WHERE case_no = ?').get(caseNo))
      .toEqual({ name: '赵秀英', idNumber: '11010519491231002X' })
    // a repeat with the same key that differs only so is the same intake
    const key = '0123456789abcdef0123456789abcdef'
    const again = (applicant: unknown) => writeTransaction(conn, () => receiveCounterCaseOnce(conn, { serviceCode: 'SZRS-0004', applicant, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk: clerkOf(conn) }, key))
    const first = again(ZHAO)
    expect(again({ ...ZHAO, idNumber: '11010519491231002x', name: '赵秀英 ' })).toEqual({ ...first, replayed: true })
  })
})
