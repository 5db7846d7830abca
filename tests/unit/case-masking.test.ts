/**
 * ID numbers and mobiles among a case's answers are masked in its view, whether the form asks for
 * them in a field of their own type or in a plain text field prefilled from the person's profile.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import type { FormDefinition } from '../../shared/types/catalogue'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const SERVICE = 'SZRS-0004'

function clerkOf(conn: Connection) {
  return { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
}

/** The item's published form with its ID number and mobile fields turned into plain text fields. */
function withPlainTextIdentity(conn: Connection): void {
  const row = conn.sqlite.prepare('SELECT form_version_id AS id FROM services WHERE code = ?').get(SERVICE) as { id: number }
  const { definition } = conn.sqlite.prepare('SELECT definition FROM form_versions WHERE id = ?').get(row.id) as { definition: string }
  const form = JSON.parse(definition) as FormDefinition
  const prefilled = form.fields.filter(f => f.prefill === 'idNumber' || f.prefill === 'mobile')
  expect(prefilled.map(f => f.prefill).sort()).toEqual(['idNumber', 'mobile'])
  for (const f of prefilled) f.type = 'text'
  conn.sqlite.prepare('UPDATE form_versions SET definition = ? WHERE id = ?').run(JSON.stringify(form), row.id)
}

function answersOfCase(conn: Connection): Record<string, unknown> {
  const clerk = clerkOf(conn)
  const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: SERVICE, applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk }))
  return caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk).answers
}

describe('a case\'s answers as a clerk sees them', () => {
  it('mask the ID number and mobile of fields of those types', () => {
    const answers = Object.values(answersOfCase(freshDatabase()))
    expect(answers).toContain('110105********002X')
    expect(answers).toContain('139****5678')
    expect(JSON.stringify(answers)).not.toContain(ZHAO.idNumber)
  })

  it('mask them too in plain text fields prefilled from the person\'s ID number and mobile', () => {
    const conn = freshDatabase()
    withPlainTextIdentity(conn)
    const answers = Object.values(answersOfCase(conn))
    expect(answers).toContain('110105********002X')
    expect(answers).toContain('139****5678')
    expect(JSON.stringify(answers)).not.toContain(ZHAO.idNumber)
    expect(JSON.stringify(answers)).not.toContain(ZHAO.mobile)
  })
})
