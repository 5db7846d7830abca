/**
 * Online application forms: the one place where a FormDefinition becomes validation, shared
 * by the browser (vee-validate reads the zod schema through Standard Schema) and the server
 * (which validates again on submit). Messages are i18n keys; issue paths are the answer key.
 */
import { z } from 'zod'
import type { FormDefinition, FormField } from '../types/catalogue'
import { bankAccountProblem, normalizeBankAccount } from './bank-account'
import { isValidEmail, isValidMobile, normalMobile } from './contact'
import { idNumberProblem, normalizeIdNumber } from './id-number'
import { normalizeUscc, usccProblem } from './uscc'
import { firstErrorPerKey, hiddenCharsIn } from './validators'
import { isIsoDate } from './working-days'

export type Answers = Record<string, unknown>

export const DEFAULT_MAX_LENGTH = { text: 200, textarea: 2000 } as const
export const MAX_FILES = 20
const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/

type Checked = { ok: true, value: unknown } | { ok: false, message: string }
const fail = (message: string): Checked => ({ ok: false, message })
const pass = (value: unknown): Checked => ({ ok: true, value })

function isPlainObject(v: unknown): v is Answers {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * `record[key]` for an own property only: an answer or error named like an Object.prototype member
 * (`constructor`, `toString`) must not read as `Object` or a function where there is none.
 */
export function ownValue<T>(record: Partial<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined
}

const answerOf = (answers: Answers, key: string): unknown => ownValue(answers, key)

/**
 * An answer as it is checked and stored: strings trimmed, a textarea's CR LF as LF (pasted Windows
 * text is the same answer), a mobile number (a mobile field's, or a field filled from the mobile) as its 11 digits (normalMobile: 138 1234 5678 is
 * 13812345678), an ID number, a unified social credit code (also one filled from the
 * organisation's) and a bank account number in ASCII without the spaces between their groups. The
 * server judges drafts with it too, so a draft never refuses what the form accepts.
 */
export function normalizedAnswer(field: Pick<FormField, 'type' | 'prefill'>, v: unknown): unknown {
  if (typeof v !== 'string') return v
  // a text field the profile fills with the mobile (older forms) holds one too, and is held to the account's
  if (field.type === 'mobile' || field.prefill === 'mobile') return normalMobile(v.trim())
  // full-width digits, spaces between the groups: stored as the ID number itself (shared, so the
  // browser and the server judge and keep the same)
  if (field.type === 'idNumber') return normalizeIdNumber(v)
  // the same for a code (a text field filled from the organisation's is held to it, like the mobile)
  // and a bank account: ６２２２ ０２１２ … typed on a phone is 62220212…
  if (field.type === 'uscc' || field.prefill === 'orgCode') return normalizeUscc(v)
  if (field.type === 'bankAccount') return normalizeBankAccount(v)
  return (field.type === 'textarea' ? v.replace(/\r\n?/g, '\n') : v).trim()
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** The answer as showIf compares it: trimmed, empty means absent, an unticked checkbox is false. */
function comparable(field: FormField, raw: unknown): unknown {
  const v = normalizedAnswer(field, raw)
  if (isEmpty(v)) return field.type === 'checkbox' ? false : undefined
  // compare what would be stored, so the parsed output shows exactly the same fields again
  return typeof v === 'string' && (field.type === 'idNumber' || field.type === 'uscc') ? v.toUpperCase() : v
}

/** Validates one present, visible answer (already normalised and known to be non-empty). */
function checkValue(field: FormField, v: unknown): Checked {
  if (field.type === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail('validation.number')
    if (field.min !== undefined && v < field.min) return fail('validation.tooSmall')
    if (field.max !== undefined && v > field.max) return fail('validation.tooLarge')
    return pass(v)
  }
  if (field.type === 'checkbox') {
    if (typeof v !== 'boolean') return fail('validation.invalidType')
    // a required checkbox is a declaration the applicant must tick
    if (field.required && !v) return fail('validation.required')
    return pass(v)
  }
  if (field.type === 'file') {
    if (!Array.isArray(v)) return fail('validation.invalidType')
    if (v.length > MAX_FILES) return fail('validation.tooMany')
    if (!v.every(id => typeof id === 'string' && UPLOAD_ID.test(id))) return fail('validation.file')
    if (new Set(v).size !== v.length) return fail('validation.fileDuplicate')
    return pass([...v])
  }
  if (typeof v !== 'string') return fail(field.type === 'select' || field.type === 'radio' ? 'validation.option' : 'validation.invalidType')
  if (hiddenCharsIn(v, field.type === 'textarea')) return fail('validation.controlChars')
  switch (field.type) {
    case 'text':
    case 'textarea': {
      const max = field.maxLength ?? DEFAULT_MAX_LENGTH[field.type]
      // counted in code points, as people count characters
      return Array.from(v).length > max ? fail('validation.tooLong') : pass(v)
    }
    case 'date':
      return isIsoDate(v) ? pass(v) : fail('validation.date')
    case 'select':
    case 'radio':
      return (field.options ?? []).some(o => o.value === v) ? pass(v) : fail('validation.option')
    case 'idNumber': {
      const problem = idNumberProblem(v)
      return problem ? fail(`validation.idNumber.${problem}`) : pass(v.toUpperCase())
    }
    case 'uscc': {
      const problem = usccProblem(v)
      return problem ? fail(`validation.uscc.${problem}`) : pass(normalizeUscc(v))
    }
    case 'bankAccount': {
      const problem = bankAccountProblem(v)
      return problem ? fail(`validation.bankAccount.${problem}`) : pass(normalizeBankAccount(v))
    }
    case 'mobile':
      return isValidMobile(v) ? pass(v) : fail('validation.mobile')
    case 'email':
      return v.length > 254 ? fail('validation.tooLong') : isValidEmail(v) ? pass(v) : fail('validation.email')
    default:
      return fail('validation.invalidType')
  }
}

/**
 * Keys of the fields that exist for these answers: a field with showIf exists only when the
 * referenced field exists and its answer equals the value (so hiding cascades down a chain).
 */
function visibleKeys(def: FormDefinition, answers: Answers): Set<string> {
  const byKey = new Map<string, FormField>()
  for (const f of def.fields) if (!byKey.has(f.key)) byKey.set(f.key, f)
  const memo = new Map<string, boolean>()
  const visiting = new Set<string>()
  const isVisible = (field: FormField): boolean => {
    const known = memo.get(field.key)
    if (known !== undefined) return known
    // a cycle can only come from an unvalidated definition; hide rather than loop forever
    if (visiting.has(field.key)) return false
    visiting.add(field.key)
    let result = true
    if (field.showIf) {
      const ref = byKey.get(field.showIf.field)
      result = ref !== undefined && isVisible(ref) && comparable(ref, answerOf(answers, ref.key)) === field.showIf.equals
    }
    visiting.delete(field.key)
    memo.set(field.key, result)
    return result
  }
  return new Set([...byKey.values()].filter(isVisible).map(f => f.key))
}

/**
 * The message a person reads for an answer's error. The API reports every missing answer as
 * 'validation.required' ("Enter this information"), which suits a text box but not a choice, a
 * tick box or a file; the key in fieldErrors stays the same, only the words shown change.
 */
export function answerMessageKey(field: Pick<FormField, 'type'> | undefined, key: string): string {
  if (key !== 'validation.required' || !field) return key
  if (field.type === 'select' || field.type === 'radio') return 'validation.requiredChoice'
  if (field.type === 'checkbox') return 'validation.requiredTick'
  if (field.type === 'file') return 'validation.requiredFile'
  return key
}

export interface AnswerError {
  key: string
  /** the form's field with this key; undefined for a key that is not one (`answers`, `organizationId`) */
  field: FormField | undefined
  /** the message key to show, through answerMessageKey */
  message: string
}

/**
 * Errors of answers (vee-validate's or the server's fieldErrors) as the form and review pages show
 * them: own keys only, the fields' errors first in form order, then any other key; each message
 * worded for its field. Both pages use it, so a missing choice reads the same on both.
 */
export function answerErrors(fields: readonly FormField[], errors: Partial<Record<string, string>>): AnswerError[] {
  const out: AnswerError[] = []
  const seen = new Set<string>()
  for (const field of fields) {
    const message = ownValue(errors, field.key)
    if (!message || seen.has(field.key)) continue
    seen.add(field.key)
    out.push({ key: field.key, field, message: answerMessageKey(field, message) })
  }
  for (const [key, message] of Object.entries(errors)) {
    if (message && !seen.has(key)) out.push({ key, field: undefined, message })
  }
  return out
}

/**
 * The most characters a text answer may have, as the schema counts them (code points, after
 * trimming); undefined for answers whose format fixes their length (ID number, code, mobile…).
 */
export function answerMaxLength(field: Pick<FormField, 'type' | 'maxLength'>): number | undefined {
  return field.type === 'text' || field.type === 'textarea' ? field.maxLength ?? DEFAULT_MAX_LENGTH[field.type] : undefined
}

/**
 * The length of a text answer as the schema counts it: code points (𠮷 is one character, two
 * UTF-16 units) of the trimmed answer. A browser's maxlength counts UTF-16 units of the untrimmed
 * text instead, so it cuts rare characters at half the limit; the form shows this count instead.
 */
export function answerLength(field: Pick<FormField, 'type'>, value: unknown): number {
  const v = normalizedAnswer(field, value)
  return typeof v === 'string' ? Array.from(v).length : 0
}

/** The fields shown for the current answers, in form order (what the browser renders). */
export function visibleFields(def: FormDefinition, answers: Answers): FormField[] {
  const keys = visibleKeys(def, isPlainObject(answers) ? answers : {})
  const seen = new Set<string>()
  return def.fields.filter(f => keys.has(f.key) && !seen.has(f.key) && seen.add(f.key))
}

/**
 * The zod schema of a form's answers. Parsing yields only the visible, non-empty answers,
 * normalised (trimmed, ID numbers and codes upper-cased); every issue's path is [answer key].
 */
export function buildAnswersSchema(def: FormDefinition) {
  const byKey = new Map<string, FormField>()
  for (const f of def.fields) if (!byKey.has(f.key)) byKey.set(f.key, f)
  return z.custom<Answers>(isPlainObject, { error: 'validation.invalidType' }).transform((input, ctx) => {
    for (const key of Object.keys(input)) {
      // undefined is how JavaScript says "absent"; JSON cannot even carry it
      if (!byKey.has(key) && input[key] !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'validation.unknownField', path: [key], input: input[key] })
      }
    }
    const visible = visibleKeys(def, input)
    const out: [string, unknown][] = []
    for (const field of byKey.values()) {
      // a hidden field is dropped whatever it holds: the browser may keep a stale value
      if (!visible.has(field.key)) continue
      const v = normalizedAnswer(field, answerOf(input, field.key))
      if (isEmpty(v)) {
        if (field.required) ctx.addIssue({ code: 'custom', message: 'validation.required', path: [field.key], input: v })
        continue
      }
      const checked = checkValue(field, v)
      if (checked.ok) out.push([field.key, checked.value])
      else ctx.addIssue({ code: 'custom', message: checked.message, path: [field.key], input: v })
    }
    // fromEntries defines own properties, so no key can reach the prototype
    return Object.fromEntries(out) as Answers
  })
}

export type AnswersSchema = ReturnType<typeof buildAnswersSchema>

const schemaCache = new WeakMap<FormDefinition, AnswersSchema>()

export type AnswersResult = { ok: true, value: Answers } | { ok: false, fieldErrors: Record<string, string> }

/**
 * The fields the counter asks for an item for organisations whose form does not ask the
 * organisation's name or code itself (prefill orgName / orgCode): keyed `orgName` and `orgCode`,
 * or with a digit added when the form already has a field of that key.
 */
const COUNTER_ORG_FIELDS: readonly Pick<FormField, 'key' | 'type' | 'label' | 'prefill'>[] = [
  { key: 'orgName', type: 'text', prefill: 'orgName', label: { zh: '单位名称', en: 'Name of the organisation' } },
  { key: 'orgCode', type: 'uscc', prefill: 'orgCode', label: { zh: '统一社会信用代码', en: 'Unified social credit code' } },
]

/**
 * The field the counter added for the answer `key` (a COUNTER_ORG_FIELDS key, perhaps with a digit
 * added), or undefined: the stored form version does not have it, and a case page shows the answer
 * under its label, not its key.
 */
export function counterAddedField(key: string): Pick<FormField, 'key' | 'type' | 'label' | 'prefill'> | undefined {
  const field = COUNTER_ORG_FIELDS.find(f => f.key === key.replace(/\d+$/, ''))
  return field ? { ...field, key } : undefined
}

/** A field naming the organisation, as the counter asks it: always shown, required, a code checked as a USCC. */
function askedOfOrganisation(f: FormField): FormField {
  const { showIf: _showIf, maxLength, ...rest } = f
  if (f.prefill === 'orgCode') return { ...rest, type: 'uscc', required: true }
  return { ...rest, ...(maxLength === undefined ? {} : { maxLength }), required: true }
}

/**
 * The form as it applies to a channel: at the counter no file field is required, since the clerk
 * checks the paper materials there and scans may be attached but need not be. The server's intake
 * and the clerk's correction form in the browser both use this one rule.
 *
 * At the counter an item for organisations (`audience` 'organization') is applied for by a person
 * for an organisation that has no record on the portal: the organisation is the one the answers
 * name (server/services/result-issue.ts, holderOf), so its name and a valid USCC are required there.
 * The form's own fields filled from them become required and always shown, a plain-text code field
 * is checked as a USCC, and a form that asks neither gets the fields of COUNTER_ORG_FIELDS first.
 * The counter page renders this definition, so it shows what the server requires.
 */
export function intakeDefinition(def: FormDefinition, channel: 'online' | 'counter', audience?: string): FormDefinition {
  if (channel === 'online') return def
  const fields = def.fields.map(f => (f.type === 'file' ? { ...f, required: false } : f))
  if (audience !== 'organization') return { ...def, fields }
  const isOrg = (f: FormField) => f.prefill === 'orgName' || f.prefill === 'orgCode'
  const taken = new Set(fields.map(f => f.key))
  const added: FormField[] = []
  for (const field of COUNTER_ORG_FIELDS) {
    if (fields.some(f => f.prefill === field.prefill)) continue
    let key = field.key
    for (let i = 2; taken.has(key); i++) key = `${field.key}${i}`
    taken.add(key)
    added.push({ ...field, key, required: true, ...(def.sections?.length ? { section: def.sections[0]!.key } : {}) })
  }
  return { ...def, fields: [...added, ...fields.map(f => (isOrg(f) ? askedOfOrganisation(f) : f))] }
}

/** Validates answers against a form: the value to store, or `{ [key]: messageKey }` (first error per key). */
export function validateAnswers(def: FormDefinition, answers: unknown): AnswersResult {
  let schema = schemaCache.get(def)
  if (!schema) {
    schema = buildAnswersSchema(def)
    schemaCache.set(def, schema)
  }
  const result = schema.safeParse(answers)
  return result.success ? { ok: true, value: result.data } : { ok: false, fieldErrors: firstErrorPerKey(result.error) }
}
