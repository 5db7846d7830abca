/**
 * Counter intake (窗口收件): a clerk records an application made in person, with channel
 * `counter` so that the online-rate report counts it. The answers are validated with the item's
 * published form, except that file fields are never required: the paper materials are checked by
 * the clerk at the counter, and scans may be attached but need not be.
 */
import type { Connection } from '../../db/client'
import type { FormDefinition } from '../../shared/types/catalogue'
import { validateAnswers } from '../../shared/utils/form-schema'
import { samePerson } from './applicant-match'
import type { PersonOnRecord } from './applicant-match'
import { receiveCase } from './case-intake'
import { caseInvalid } from './case-errors'
import { storedForm } from './stored-forms'

export interface CounterInput {
  serviceCode: string
  applicant: { name: string, idNumber: string, mobile: string }
  answers: Record<string, unknown>
  clerk: { id: number, role: string, departmentCode: string | null }
  ip?: string | null
}

/** The form as it applies to a channel: at the counter no file field is required. */
export function intakeDefinition(def: FormDefinition, channel: 'online' | 'counter'): FormDefinition {
  if (channel === 'online') return def
  return { ...def, fields: def.fields.map(f => (f.type === 'file' ? { ...f, required: false } : f)) }
}

/** Answers the applicant block already gives (fields prefilled from name, ID number, mobile). */
function withApplicantDefaults(def: FormDefinition, answers: Record<string, unknown>, applicant: CounterInput['applicant']): Record<string, unknown> {
  const out = { ...answers }
  for (const f of def.fields) {
    if (!f.prefill || (out[f.key] !== undefined && out[f.key] !== '')) continue
    if (f.prefill === 'name') out[f.key] = applicant.name
    else if (f.prefill === 'idNumber') out[f.key] = applicant.idNumber
    else if (f.prefill === 'mobile') out[f.key] = applicant.mobile
  }
  return out
}

interface ServiceForCounter { departmentCode: string, status: string, formVersionId: number | null, definition: string | null }

/**
 * The applicant's portal account: the one citizen account with the same ID number, name and
 * mobile (samePerson); none when there is none or more than one, and the case stays unlinked.
 */
function linkedAccount(conn: Connection, applicant: CounterInput['applicant']): { id: number } | undefined {
  const candidates = conn.sqlite.prepare(`SELECT id, id_number AS idNumber, name, mobile FROM users
    WHERE role = 'citizen' AND upper(id_number) = ? LIMIT 20`).all(applicant.idNumber.toUpperCase()) as ({ id: number } & PersonOnRecord)[]
  const matches = candidates.filter(account => samePerson(account, applicant))
  return matches.length === 1 ? matches[0] : undefined
}

/**
 * Receives a counter application; call inside a write transaction. The case is linked to the
 * applicant's portal account when exactly one citizen account has the same ID number, name and
 * mobile, so it also appears under "my cases".
 */
export function receiveCounterCase(conn: Connection, input: CounterInput, now = new Date()): { caseNo: string, channel: 'counter' } {
  const service = conn.sqlite.prepare(`SELECT s.department_code AS departmentCode, s.status, s.form_version_id AS formVersionId, fv.definition
    FROM services s LEFT JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?`).get(input.serviceCode) as ServiceForCounter | undefined
  if (!service || service.status !== 'published' || service.departmentCode !== input.clerk.departmentCode) {
    throw caseInvalid({ serviceCode: 'case.errors.serviceNotYours' })
  }
  const def: FormDefinition = service.definition ? storedForm(service.definition) : { version: 1, fields: [] }
  const result = validateAnswers(intakeDefinition(def, 'counter'), withApplicantDefaults(def, input.answers, input.applicant))
  if (!result.ok) throw caseInvalid(Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k === '_' ? 'answers' : k, v])))
  const materials: { uploadId: string, fieldKey: string, source: 'upload' }[] = []
  for (const f of def.fields) {
    if (f.type !== 'file') continue
    for (const id of (result.value[f.key] as string[] | undefined) ?? []) {
      // scans made at the counter are the clerk's uploads; anyone else's are not theirs to attach
      if (!conn.sqlite.prepare('SELECT 1 FROM uploads WHERE id = ? AND owner_id = ?').get(id, input.clerk.id)) throw caseInvalid({ [f.key]: 'validation.file' })
      materials.push({ uploadId: id, fieldKey: f.key, source: 'upload' })
    }
  }
  const account = linkedAccount(conn, input.applicant)
  const received = receiveCase(conn, {
    serviceCode: input.serviceCode, channel: 'counter', formVersionId: service.formVersionId,
    applicant: { userId: account?.id ?? null, name: input.applicant.name, idNumber: input.applicant.idNumber.toUpperCase(), mobile: input.applicant.mobile },
    answers: result.value, materials, actor: { id: input.clerk.id, role: input.clerk.role }, ip: input.ip,
  }, now)
  return { caseNo: received.caseNo, channel: 'counter' }
}
