/**
 * Counter intake (窗口收件): a clerk records an application made in person, with channel
 * `counter` so that the online-rate report counts it. The answers are validated with the item's
 * published form, except that file fields are never required: the paper materials are checked by
 * the clerk at the counter, and scans may be attached but need not be.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import { canonicalJson } from '../../shared/utils/canonical-json'
import { intakeDefinition, validateAnswers } from '../../shared/utils/form-schema'
import { idNumberSchema, mobileSchema, personNameSchema } from '../../shared/utils/validators'
import { sameApplicantAnswer, soleAccountOf } from './applicant-match'
import { receiveCase } from './case-intake'
import { CaseError, caseInvalid } from './case-errors'
import { storedForm } from './stored-forms'
import { maxApplicationBytes, OWN_STILL } from './uploads'

/** The applicant block of a counter intake: who applies, checked as on registration. */
export const counterApplicantSchema = z.strictObject({ name: personNameSchema, idNumber: idNumberSchema, mobile: mobileSchema }, { error: 'validation.invalidType' })

export type CounterApplicant = z.output<typeof counterApplicantSchema>

export interface CounterInput {
  serviceCode: string
  /**
   * The applicant block as sent (CounterApplicant when well formed). receiveCounterCase checks it
   * together with the answers, so that one refusal lists every field error: the block's under
   * `applicant.name`, `applicant.idNumber`, `applicant.mobile`, the answers' under their keys.
   */
  applicant: unknown
  answers: Record<string, unknown>
  clerk: { id: number, role: string, departmentCode: string | null }
  ip?: string | null
}

// shared with the browser's correction form; re-exported for the server's callers
export { intakeDefinition }

const APPLICANT_FIELDS = { name: 'name', idNumber: 'idNumber', mobile: 'mobile' } as const

/** The applicant block's value that fills this field, when the field is prefilled from name, ID number or mobile. */
function applicantValue(f: FormField, applicant: Partial<CounterApplicant>): string | undefined {
  if (!f.prefill || !Object.hasOwn(APPLICANT_FIELDS, f.prefill)) return undefined
  return applicant[APPLICANT_FIELDS[f.prefill as keyof typeof APPLICANT_FIELDS]]
}

/**
 * withApplicantAnswers without the throw: the answers with the block's values filled in, and the
 * fields whose answer names someone else. A block entry that is missing (or was itself refused)
 * holds nothing to: its fields are left as answered.
 */
function applicantAnswers(def: FormDefinition, answers: Record<string, unknown>, applicant: Partial<CounterApplicant>): { answers: Record<string, unknown>, mismatched: Record<string, string> } {
  const out = { ...answers }
  const mismatched: Record<string, string> = {}
  for (const f of def.fields) {
    const from = applicantValue(f, applicant)
    // nothing to hold the answer to (a case recorded without a mobile, before it was required)
    if (!from) continue
    // own properties only: a field keyed 'constructor' must not read Object.prototype's
    const given = Object.hasOwn(out, f.key) ? out[f.key] : undefined
    if (given === undefined || given === null || given === '') out[f.key] = from
    else if (typeof given !== 'string' || !sameApplicantAnswer(f.prefill!, given, from)) mismatched[f.key] = 'case.errors.notTheApplicant'
  }
  return { answers: out, mismatched }
}

/**
 * Answers the applicant block already gives (fields prefilled from name, ID number, mobile). The
 * block is who applies: an answer that names someone else would make one case about two people,
 * so it is refused rather than silently replaced. The same rule holds for a correction of a
 * counter case, with the case's recorded applicant as the block: the applicant of a case is who
 * it is, and a person recorded wrongly is a new case.
 */
export function withApplicantAnswers(def: FormDefinition, answers: Record<string, unknown>, applicant: Partial<CounterApplicant>): Record<string, unknown> {
  const { answers: out, mismatched } = applicantAnswers(def, answers, applicant)
  if (Object.keys(mismatched).length) throw caseInvalid(mismatched, 'An answer names someone other than the applicant')
  return out
}

/** A zod message that is already an i18n key (`validation.required`), as server/utils/validation.ts keeps them. */
const MESSAGE_KEY = /^[a-z]+(?:\.[A-Za-z]+)+$/

/**
 * The applicant block checked: its well-formed entries, and the field errors of the others, keyed
 * `applicant.<entry>` as the counter page maps them (`applicant` alone for a block that is not an
 * object, or has an entry the block does not know).
 */
export function checkedApplicant(raw: unknown): { applicant: Partial<CounterApplicant>, errors: Record<string, string> } {
  const whole = counterApplicantSchema.safeParse(raw)
  if (whole.success) return { applicant: whole.data, errors: {} }
  const errors: Record<string, string> = {}
  for (const issue of whole.error.issues) {
    const key = ['applicant', ...issue.path.map(String)].join('.')
    errors[key] ??= MESSAGE_KEY.test(issue.message) ? issue.message : issue.code === 'unrecognized_keys' ? 'validation.unknownField' : 'validation.invalidType'
  }
  const applicant: Partial<CounterApplicant> = {}
  for (const k of Object.keys(APPLICANT_FIELDS) as (keyof CounterApplicant)[]) {
    if (errors[`applicant.${k}`]) continue
    const one = counterApplicantSchema.shape[k].safeParse(typeof raw === 'object' && raw !== null && Object.hasOwn(raw, k) ? (raw as Record<string, unknown>)[k] : undefined)
    if (one.success) applicant[k] = one.data
  }
  return { applicant, errors }
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
  // the applicant block and the answers are judged together: one refusal lists every field
  // error, so the clerk corrects the whole intake at once rather than in rounds
  const block = checkedApplicant(input.applicant)
  const service = conn.sqlite.prepare(`SELECT s.department_code AS departmentCode, s.status, s.audience, s.form_version_id AS formVersionId, fv.definition
    FROM services s LEFT JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?`).get(input.serviceCode) as ServiceForCounter | undefined
  if (!service || service.status !== 'published' || service.departmentCode !== input.clerk.departmentCode) {
    throw caseInvalid({ ...block.errors, serviceCode: 'case.errors.serviceNotYours' })
  }
  const def: FormDefinition = service.definition ? storedForm(service.definition) : { version: 1, fields: [] }
  const filled = applicantAnswers(def, input.answers, block.applicant)
  // an item for organisations: the answers must name the organisation, with a valid USCC (intakeDefinition)
  const result = validateAnswers(intakeDefinition(def, 'counter', service.audience), filled.answers)
  // a field filled from a block entry that was refused is not on the page (the block stands for
  // it): its error is the block's, told once under `applicant.*`
  const fromRefused = new Set(def.fields.filter(f => f.prefill && Object.hasOwn(APPLICANT_FIELDS, f.prefill) && applicantValue(f, block.applicant) === undefined).map(f => f.key))
  const errors: Record<string, string> = { ...block.errors }
  if (!result.ok) {
    for (const [k, v] of Object.entries(result.fieldErrors)) if (!fromRefused.has(k)) errors[k === '_' ? 'answers' : k] = filled.mismatched[k] ?? v
  }
  for (const [k, v] of Object.entries(filled.mismatched)) errors[k] ??= v
  const materials: { uploadId: string, fieldKey: string, source: 'upload' }[] = []
  const sizes = new Map<string, number>()
  const answered = result.ok ? result.value : filled.answers
  for (const f of def.fields) {
    if (f.type !== 'file' || errors[f.key]) continue
    const ids = answered[f.key]
    if (!Array.isArray(ids)) continue
    for (const id of ids) {
      // scans made at the counter are the clerk's uploads; anyone else's are not theirs to attach
      // and still theirs: a scan a case of another department holds is that department's (OWN_STILL)
      const own = typeof id === 'string'
        ? conn.sqlite.prepare(`SELECT size FROM uploads u WHERE u.id = @id AND u.owner_id = @user AND ${OWN_STILL}`)
          .get({ id, user: input.clerk.id, role: input.clerk.role, dept: input.clerk.departmentCode ?? '' }) as { size: number } | undefined
        : undefined
      if (!own) {
        errors[f.key] = 'validation.file'
        break
      }
      sizes.set(id as string, own.size)
      materials.push({ uploadId: id as string, fieldKey: f.key, source: 'upload' })
    }
  }
  if (!result.ok || Object.keys(errors).length) throw caseInvalid(errors)
  const applicant = block.applicant as CounterApplicant
  // the same limit on all files together as an online application
  if ([...sizes.values()].reduce((a, b) => a + b, 0) > maxApplicationBytes()) {
    const keys = new Set(materials.map(m => m.fieldKey))
    throw new CaseError(413, 'The files of this application are too large together', { fieldErrors: Object.fromEntries([...keys].map(k => [k, 'validation.applicationTooLarge'])) })
  }
  const account = soleAccountOf(conn, applicant)
  const received = receiveCase(conn, {
    serviceCode: input.serviceCode, channel: 'counter', formVersionId: service.formVersionId,
    applicant: { userId: account, name: applicant.name, idNumber: applicant.idNumber.toUpperCase(), mobile: applicant.mobile },
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
  // the block as checked (trimmed, the ID number's x as X) when it is well formed: a repeat that
  // differs only in that way is the same intake
  const block = counterApplicantSchema.safeParse(input.applicant)
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ serviceCode: input.serviceCode, applicant: block.success ? block.data : input.applicant, answers: input.answers })).digest('hex')
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
