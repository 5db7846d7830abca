/**
 * The counter page runs the server's own checks of an intake before it sends
 * (shared/utils/counter-applicant.ts, counterIntakeErrors): the browser and the server must refuse
 * the same intakes with the same field errors, or the page would send what the server refuses, or
 * hold back what the server would take in. Each intake here is judged both ways: in the browser
 * with the item's guide as the page loads it, on the server by receiveCounterCase.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { getGuide } from '../../server/services/catalogue'
import { CaseError } from '../../server/services/case-errors'
import { counterApplicantSchema as serverSchema, receiveCounterCase } from '../../server/services/counter'
import { counterApplicantSchema, counterIntakeErrors } from '../../shared/utils/counter-applicant'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const ANSWERED = { cardBank: 'boc', collectWay: 'branch' }

/** The server's field errors for this intake ({} when it was taken in). */
function serverErrors(conn: Connection, serviceCode: string, applicant: unknown, answers: Record<string, unknown>): Record<string, string> {
  try {
    writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode, applicant, answers, clerk: { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' } }))
    return {}
  }
  catch (e) {
    if (e instanceof CaseError && e.statusCode === 400) return e.data?.fieldErrors as Record<string, string>
    throw e
  }
}

/** The browser's, with the guide the page loads for the item (GET /api/services/:code), the body as JSON carries it. */
function browserErrors(conn: Connection, serviceCode: string, applicant: unknown, answers: Record<string, unknown>): Record<string, string> {
  const guide = getGuide(conn, serviceCode)!
  return counterIntakeErrors(JSON.parse(JSON.stringify({ serviceCode, applicant, answers })), { form: guide.form, audience: guide.audience })
}

describe('the counter intake judged in the browser and on the server', () => {
  it('is the one schema on both sides: the server\'s is the shared one', () => {
    expect(serverSchema).toBe(counterApplicantSchema)
  })

  // each a mistake the clerk can make at the counter: the applicant's details, the answers, or both
  const refused: [string, unknown, Record<string, unknown>][] = [
    ['a wrong ID checksum and a 10-digit mobile, with the answers missing', { name: '赵秀英', idNumber: '110105194912310021', mobile: '1391234567' }, {}],
    ['an ID number with a birth date that does not exist', { ...ZHAO, idNumber: '110105194902301234' }, ANSWERED],
    ['an ID number of the wrong length', { ...ZHAO, idNumber: '11010519491231' }, ANSWERED],
    ['a blank name', { ...ZHAO, name: '   ' }, ANSWERED],
    ['a name too long', { ...ZHAO, name: '赵'.repeat(101) }, ANSWERED],
    ['a name with a hidden character', { ...ZHAO, name: '赵\u202E秀英' }, ANSWERED],
    ['a name without letters', { ...ZHAO, name: '123' }, ANSWERED],
    ['an empty block', { name: '', idNumber: '', mobile: '' }, ANSWERED],
    ['a blank required answer', ZHAO, { cardBank: 'boc' }],
    ['an answer not among the options', ZHAO, { cardBank: 'nope', collectWay: 'branch' }],
  ]
  for (const [what, applicant, answers] of refused) {
    it(`refuses ${what} the same way`, () => {
      const conn = freshDatabase()
      const server = serverErrors(conn, 'SZRS-0004', applicant, answers)
      expect(Object.keys(server).length, what).toBeGreaterThan(0)
      expect(browserErrors(conn, 'SZRS-0004', applicant, answers)).toEqual(server)
    })
  }

  it('names both a malformed ID number and a bad mobile, as the counter page shows them', () => {
    const conn = freshDatabase()
    const applicant = { name: '赵秀英', idNumber: '110105194912310021', mobile: '1391234567' }
    expect(browserErrors(conn, 'SZRS-0004', applicant, ANSWERED))
      .toEqual({ 'applicant.idNumber': 'validation.idNumber.checksum', 'applicant.mobile': 'validation.mobile' })
  })

  it('finds nothing in an intake the server takes in, typed as clerks type it', () => {
    const conn = freshDatabase()
    const applicant = { name: ' 赵秀英 ', idNumber: '11010519491231002x', mobile: '139 1234 5678' }
    expect(browserErrors(conn, 'SZRS-0004', applicant, ANSWERED)).toEqual({})
    expect(serverErrors(conn, 'SZRS-0004', applicant, ANSWERED)).toEqual({})
    // an item without a form: the block alone
    expect(browserErrors(conn, 'SZRS-0006', ZHAO, {})).toEqual({})
    expect(serverErrors(conn, 'SZRS-0006', ZHAO, {})).toEqual({})
  })

  it('asks for the organisation\'s name and a valid USCC of an item for organisations, as the server does', () => {
    const conn = freshDatabase()
    conn.sqlite.prepare(`UPDATE services SET audience = 'organization' WHERE code = 'SZRS-0004'`).run()
    const server = serverErrors(conn, 'SZRS-0004', ZHAO, ANSWERED)
    expect(server).toMatchObject({ orgName: 'validation.required', orgCode: 'validation.required' })
    expect(browserErrors(conn, 'SZRS-0004', ZHAO, ANSWERED)).toEqual(server)
  })

  it('without an item chosen, names the item and the block\'s errors, as POST /api/counter-cases does before it reads the form', () => {
    expect(counterIntakeErrors({ serviceCode: '', applicant: { ...ZHAO, mobile: '1391234567' }, answers: {} }, null))
      .toEqual({ 'serviceCode': 'validation.required', 'applicant.mobile': 'validation.mobile' })
  })
})
