/**
 * A counter intake (窗口收件) judged: the applicant block (who applies, checked as on
 * registration) and the answers of the item's form with the block filled into them. One check for
 * the server's intake (server/services/counter.ts, receiveCounterCase) and for the counter page
 * before it sends (pages/clerk/counter.vue), so a mistyped ID number or a blank required answer is
 * told by the same rule, with the same keys and messages, in the browser and on the server.
 * Messages are i18n keys (validation.*); the keys of the block's errors are `applicant.<entry>`.
 */
import { z } from 'zod'
import type { FormDefinition, FormField } from '../types/catalogue'
import type { AnswersResult } from './form-schema'
import { intakeDefinition, validateAnswers } from './form-schema'
import { chosenServiceCodeSchema } from './query'
import { idNumberSchema, mobileSchema, personNameSchema } from './validators'

/** The applicant block of a counter intake: who applies, checked as on registration. */
export const counterApplicantSchema = z.strictObject({ name: personNameSchema, idNumber: idNumberSchema, mobile: mobileSchema }, { error: 'validation.invalidType' })

export type CounterApplicant = z.output<typeof counterApplicantSchema>

/** The block checked: its well-formed entries, and the field errors of the others. */
export interface CheckedApplicant { applicant: Partial<CounterApplicant>, errors: Record<string, string> }

/**
 * Whether an answer given for a field the block fills (`source`: name, idNumber, mobile) names the
 * applicant `own`: on the server sameApplicantAnswer (server/services/applicant-match.ts).
 */
export type SameApplicantAnswer = (source: string, given: string, own: string) => boolean

const APPLICANT_FIELDS = { name: 'name', idNumber: 'idNumber', mobile: 'mobile' } as const

/** Whether the field is filled from the applicant block (prefill name, ID number or mobile). */
function fromBlock(f: FormField): boolean {
  return !!f.prefill && Object.hasOwn(APPLICANT_FIELDS, f.prefill)
}

/** The applicant block's value that fills this field, when the field is prefilled from name, ID number or mobile. */
function applicantValue(f: FormField, applicant: Partial<CounterApplicant>): string | undefined {
  if (!fromBlock(f)) return undefined
  return applicant[APPLICANT_FIELDS[f.prefill as keyof typeof APPLICANT_FIELDS]]
}

/**
 * The answers with the block's values filled in, and the fields whose answer names someone else
 * (by `sameAnswer`; without it an answer given is kept as given: the counter page never has one,
 * since it does not show those fields). A block entry that is missing (or was itself refused)
 * holds nothing to: its fields are left as answered.
 */
export function applicantAnswers(def: FormDefinition, answers: Record<string, unknown>, applicant: Partial<CounterApplicant>, sameAnswer?: SameApplicantAnswer): { answers: Record<string, unknown>, mismatched: Record<string, string> } {
  const out = { ...answers }
  const mismatched: Record<string, string> = {}
  for (const f of def.fields) {
    const from = applicantValue(f, applicant)
    // nothing to hold the answer to (a case recorded without a mobile, before it was required)
    if (!from) continue
    // own properties only: a field keyed 'constructor' must not read Object.prototype's
    const given = Object.hasOwn(out, f.key) ? out[f.key] : undefined
    if (given === undefined || given === null || given === '') out[f.key] = from
    else if (sameAnswer && (typeof given !== 'string' || !sameAnswer(f.prefill!, given, from))) mismatched[f.key] = 'case.errors.notTheApplicant'
  }
  return { answers: out, mismatched }
}

/** A zod message that is already an i18n key (`validation.required`), as server/utils/validation.ts keeps them. */
const MESSAGE_KEY = /^[a-z]+(?:\.[A-Za-z]+)+$/

const messageKeyOf = (message: string): string => MESSAGE_KEY.test(message) ? message : 'validation.invalidType'

/**
 * The applicant block checked: its well-formed entries, and the field errors of the others, keyed
 * `applicant.<entry>` as the counter page maps them (`applicant` alone for a block that is not an
 * object, or has an entry the block does not know).
 */
export function checkedApplicant(raw: unknown): CheckedApplicant {
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

/**
 * The answers of an intake judged with the block (`block`, checkedApplicant's) against the item's
 * form `def` as the counter applies it (intakeDefinition: no file field required; for an item for
 * organisations their name and USCC). `errors` lists the block's and the answers' together, so
 * that one refusal lists every field error; `answers` are the answers with the block filled in.
 */
export function checkedCounterAnswers(def: FormDefinition, audience: string, block: CheckedApplicant, answers: Record<string, unknown>, sameAnswer?: SameApplicantAnswer): { answers: Record<string, unknown>, result: AnswersResult, errors: Record<string, string> } {
  const filled = applicantAnswers(def, answers, block.applicant, sameAnswer)
  // an item for organisations: the answers must name the organisation, with a valid USCC (intakeDefinition)
  const result = validateAnswers(intakeDefinition(def, 'counter', audience), filled.answers)
  // a field filled from a block entry that was refused is not on the page (the block stands for
  // it): its error is the block's, told once under `applicant.*`
  const fromRefused = new Set(def.fields.filter(f => fromBlock(f) && applicantValue(f, block.applicant) === undefined).map(f => f.key))
  const errors: Record<string, string> = { ...block.errors }
  if (!result.ok) {
    for (const [k, v] of Object.entries(result.fieldErrors)) if (!fromRefused.has(k)) errors[k === '_' ? 'answers' : k] = filled.mismatched[k] ?? v
  }
  for (const [k, v] of Object.entries(filled.mismatched)) errors[k] ??= v
  return { answers: filled.answers, result, errors }
}

/**
 * The field errors the server finds in a counter intake's body before it looks in the database:
 * the item not chosen (then, as POST /api/counter-cases, only the block's errors besides), else the
 * block's and the answers' by the item's form (`item`, the guide the page loaded: its published
 * form, or null for none, and its audience). What needs the database (the item is the clerk's
 * department's and published, the scans are the clerk's, the paper materials are the guide's as
 * it is now) is the server's alone. Give the body as the server reads it: as JSON carries it.
 */
export function counterIntakeErrors(body: { serviceCode: unknown, applicant: unknown, answers: Record<string, unknown> }, item: { form: FormDefinition | null, audience: string } | null): Record<string, string> {
  const block = checkedApplicant(body.applicant)
  const code = chosenServiceCodeSchema.safeParse(body.serviceCode)
  // a code of another type than a string: zod's own message, which the server reads as invalidType
  if (!code.success) return { ...block.errors, serviceCode: messageKeyOf(code.error.issues[0]!.message) }
  if (!item) return block.errors
  return checkedCounterAnswers(item.form ?? { version: 1, fields: [] }, item.audience, block, body.answers).errors
}
