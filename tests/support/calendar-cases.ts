/**
 * Cases and ratings on chosen days, for the tests of deadlines the calendar moves
 * (tests/unit/calendar-admin.test.ts, tests/unit/calendar-recount.test.ts).
 */
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { rateCase } from '../../server/services/ratings'
import { applyTransition } from '../../server/services/transitions'
import { userIdOf } from './db'

export const PERSON = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

/** 10:00 in Shenzhen on a day. */
export const at = (day: string) => new Date(`${day}T02:00:00Z`)

export interface Clerk { id: number, role: string, departmentCode: string }

/**
 * A counter case received at `when` by `clerk`: for SZRS-0004 unless told (5 working days to accept,
 * promised 10 to handle; SZRS-0009 promises 20, SZRS-0006 is an instant item).
 */
export function receiveCounterCase(conn: Connection, clerk: Clerk, when: Date, serviceCode = 'SZRS-0004'): string {
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'counter', formVersionId: null,
    applicant: { userId: null, ...PERSON }, answers: {}, materials: [], actor: clerk,
  }, when)).caseNo
}

/** An online case of the citizen for SZRS-0006 (instant), approved by `clerk` and rated 1 on `day`: a rectification opens. */
export function badRatingOn(conn: Connection, clerk: Clerk, day: string): number {
  const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: 'SZRS-0006', channel: 'online', formVersionId: null,
    applicant: { userId: citizen.id, ...PERSON }, answers: {}, materials: [], actor: citizen,
  }, at(day)))
  applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now: at(day) })
  return writeTransaction(conn, () => rateCase(conn, caseNo, citizen, { score: 1 }, null, at(day))).rectification!.id
}
