/**
 * Counter intake (窗口收件): a clerk records an application made in person, with channel
 * `counter` so that the online-rate report counts it. The answers are validated with the item's
 * published form, except that file fields are never required: the paper materials are checked by
 * the clerk at the counter, and scans may be attached but need not be.
 */
import { createHash } from 'node:crypto'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import { canonicalJson } from '../../shared/utils/canonical-json'
import { intakeDefinition, validateAnswers } from '../../shared/utils/form-schema'
import { soleAccountOf } from './applicant-match'
import { receiveCase } from './case-intake'
import { CaseError, caseInvalid } from './case-errors'
import { storedForm } from './stored-forms'
import { maxApplicationBytes, OWN_STILL } from './uploads'

export interface CounterInput {
  serviceCode: string
  applicant: { name: string, idNumber: string, mobile: string }
  answers: Record<string, unknown>
  clerk: { id: number, role: string, departmentCode: string | null }
  ip?: string | null
}

// shared with the browser's correction form; re-exported for the server's callers
export { intakeDefinition }

const APPLICANT_FIELDS = { name: 'name', idNumber: 'idNumber', mobile: 'mobile' } as const

/** The applicant block's value that fills this field, when the field is prefilled from name, ID number or mobile. */
function applicantValue(f: FormField, applicant: CounterInput['applicant']): string | undefined {
  if (!f.prefill || !Object.hasOwn(APPLICANT_FIELDS, f.prefill)) return undefined
  return applicant[APPLICANT_FIELDS[f.prefill as keyof typeof APPLICANT_FIELDS]]
}

/**
 * Answers the applicant block already gives (fields prefilled from name, ID number, mobile). The
 * block is who applies: an answer that names someone else would make one case about two people,
 * so it is refused rather than silently replaced. The same rule holds for a correction of a
 * counter case, with the case's recorded applicant as the block: the applicant of a case is who
 * it is, and a person recorded wrongly is a new case.
 */
export function withApplicantAnswers(def: FormDefinition, answers: Record<string, unknown>, applicant: CounterInput['applicant']): Record<string, unknown> {
  const out = { ...answers }
  const mismatched: Record<string, string> = {}
  for (const f of def.fields) {
    const from = applicantValue(f, applicant)
    // nothing to hold the answer to (a case recorded without a mobile, before it was required)
    if (!from) continue
    // own properties only: a field keyed 'constructor' must not read Object.prototype's
    const given = Object.hasOwn(out, f.key) ? out[f.key] : undefined
    if (given === undefined || given === null || given === '') out[f.key] = from
    else if (typeof given !== 'string' || given.trim().toUpperCase() !== from.trim().toUpperCase()) mismatched[f.key] = 'case.errors.notTheApplicant'
  }
  if (Object.keys(mismatched).length) throw caseInvalid(mismatched, 'An answer names someone other than the applicant')
  return out
}

interface ServiceForCounter { departmentCode: string, status: string, audience: string, formVersionId: number | null, definition: string | null }

/**
 * Receives a counter application; call inside a write transaction. The case is linked to the
 * applicant's portal account when exactly one citizen account has the same ID number, name and
 * mobile, and has proved by an SMS code that the mobile is its own (soleAccountOf), so it also
 * appears under "my cases"; otherwise it stays unlinked, as for a person without an account. For
 * an item for organisations the answers must name the organisation (its name and a valid USCC,
 * asked by the form or added by intakeDefinition): its licence is the organisation's, never the
 * person's at the counter.
 */
export function receiveCounterCase(conn: Connection, input: CounterInput, now = new Date()): { caseNo: string, channel: 'counter' } {
  const service = conn.sqlite.prepare(`SELECT s.department_code AS departmentCode, s.status, s.audience, s.form_version_id AS formVersionId, fv.definition
    FROM services s LEFT JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?`).get(input.serviceCode) as ServiceForCounter | undefined
  if (!service || service.status !== 'published' || service.departmentCode !== input.clerk.departmentCode) {
    throw caseInvalid({ serviceCode: 'case.errors.serviceNotYours' })
  }
  const def: FormDefinition = service.definition ? storedForm(service.definition) : { version: 1, fields: [] }
  // an item for organisations: the answers must name the organisation, with a valid USCC (intakeDefinition)
  const result = validateAnswers(intakeDefinition(def, 'counter', service.audience), withApplicantAnswers(def, input.answers, input.applicant))
  if (!result.ok) throw caseInvalid(Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k === '_' ? 'answers' : k, v])))
  const materials: { uploadId: string, fieldKey: string, source: 'upload' }[] = []
  const sizes = new Map<string, number>()
  for (const f of def.fields) {
    if (f.type !== 'file') continue
    for (const id of (result.value[f.key] as string[] | undefined) ?? []) {
      // scans made at the counter are the clerk's uploads; anyone else's are not theirs to attach
      // and still theirs: a scan a case of another department holds is that department's (OWN_STILL)
      const own = conn.sqlite.prepare(`SELECT size FROM uploads u WHERE u.id = @id AND u.owner_id = @user AND ${OWN_STILL}`)
        .get({ id, user: input.clerk.id, role: input.clerk.role, dept: input.clerk.departmentCode ?? '' }) as { size: number } | undefined
      if (!own) throw caseInvalid({ [f.key]: 'validation.file' })
      sizes.set(id, own.size)
      materials.push({ uploadId: id, fieldKey: f.key, source: 'upload' })
    }
  }
  // the same limit on all files together as an online application
  if ([...sizes.values()].reduce((a, b) => a + b, 0) > maxApplicationBytes()) {
    const keys = new Set(materials.map(m => m.fieldKey))
    throw new CaseError(413, 'The files of this application are too large together', { fieldErrors: Object.fromEntries([...keys].map(k => [k, 'validation.applicationTooLarge'])) })
  }
  const account = soleAccountOf(conn, input.applicant)
  const received = receiveCase(conn, {
    serviceCode: input.serviceCode, channel: 'counter', formVersionId: service.formVersionId,
    applicant: { userId: account, name: input.applicant.name, idNumber: input.applicant.idNumber.toUpperCase(), mobile: input.applicant.mobile },
    answers: result.value, materials, actor: { id: input.clerk.id, role: input.clerk.role }, ip: input.ip,
  }, now)
  return { caseNo: received.caseNo, channel: 'counter' }
}

/**
 * How long an intake's Idempotency-Key is remembered. A retry comes within seconds or minutes of
 * the lost answer; a day also covers a page left open over lunch, and keeps the table small.
 */
export const INTAKE_KEY_HOURS = 24

export interface CounterIntake { caseNo: string, channel: 'counter', replayed: boolean }

/**
 * receiveCounterCase, once per key of the clerk's (`key`, the request's Idempotency-Key; null
 * without one). The counter page sends the same key again when the answer to an intake was lost
 * (a timeout, a dropped connection): the same key with the same request gives the case it made
 * (`replayed`), never a second case for one person at the counter. The same key with another
 * request means the page was changed after its answer was lost: 409 naming the case that was
 * made, for the clerk to open it or start a new intake. Call inside a write transaction.
 */
export function receiveCounterCaseOnce(conn: Connection, input: CounterInput, key: string | null, now = new Date()): CounterIntake {
  if (key === null) return { ...receiveCounterCase(conn, input, now), replayed: false }
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ serviceCode: input.serviceCode, applicant: input.applicant, answers: input.answers })).digest('hex')
  const since = new Date(now.getTime() - INTAKE_KEY_HOURS * 3_600_000).toISOString()
  const earlier = conn.sqlite.prepare(`SELECT fingerprint, case_no AS caseNo FROM counter_intake_keys
    WHERE clerk_id = ? AND key = ? AND created_at > ?`).get(input.clerk.id, key, since) as { fingerprint: string, caseNo: string } | undefined
  if (earlier && earlier.fingerprint !== fingerprint) {
    throw new CaseError(409, 'This intake was already recorded, with other details', { fieldErrors: { serviceCode: 'case.errors.intakeAlreadyRecorded' }, caseNo: earlier.caseNo })
  }
  if (earlier) return { caseNo: earlier.caseNo, channel: 'counter', replayed: true }
  const made = receiveCounterCase(conn, input, now)
  // REPLACE: a key older than INTAKE_KEY_HOURS that the hourly clean-up has not removed yet
  conn.sqlite.prepare(`INSERT OR REPLACE INTO counter_intake_keys (clerk_id, key, fingerprint, case_no, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(input.clerk.id, key, fingerprint, made.caseNo, now.toISOString())
  return { ...made, replayed: false }
}

/** Removes intake keys older than INTAKE_KEY_HOURS; returns how many. Its own short write transaction. */
export function forgetOldIntakeKeys(conn: Connection, now = new Date()): number {
  const before = new Date(now.getTime() - INTAKE_KEY_HOURS * 3_600_000).toISOString()
  return writeTransaction(conn, () => conn.sqlite.prepare('DELETE FROM counter_intake_keys WHERE created_at <= ?').run(before).changes)
}
