/**
 * Validating a FormDefinition itself (catalogue import, administrators' form builder). Every
 * message is an i18n key (manage.rule.*, manage.formRule.*): administrators read them in both
 * languages, in the builder and in import reports. Their limits are constants, so the messages
 * name them and need no parameters (the import report shows a message without any).
 */
import { z } from 'zod'
import type { FormField } from '../types/catalogue'
import { FIELD_TYPES, PREFILL_SOURCES } from '../types/catalogue'
import { CONTROL_CHARS } from './validators'
import { isIsoDate } from './working-days'

const FIELD_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/

/**
 * Keys that are members of every object (`constructor`, `toString`, `valueOf`, …): answers and
 * errors are records keyed by field key, and `errors.constructor` on a record that has no such
 * answer is `Object`, which a page would show as the field's error. `__proto__` would not even
 * be an own property. The underscored ones already fail FIELD_KEY; listing them all costs nothing.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])

/** Whether a key names a member of every object, so it cannot be a field's key. */
export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key)
}

type RawIssue = { code?: string, input?: unknown }

/** A missing value is "required", any other wrong type "wrong format". */
const typeError = (iss: RawIssue) => (iss.input === undefined || iss.input === null ? 'manage.rule.required' : 'manage.rule.invalidType')
/** An object's own issues: not an object, or a property the definition does not have (a misspelling). */
const objectError = (iss: RawIssue) => (iss.code === 'unrecognized_keys' ? 'manage.formRule.unknownProperty' : typeError(iss))
const optionalTypeError = { error: 'manage.rule.invalidType' }

const keySchema = z.string({ error: typeError }).superRefine((key, ctx) => {
  if (!FIELD_KEY.test(key)) ctx.addIssue({ code: 'custom', message: 'manage.formRule.key', input: key })
  else if (isReservedKey(key)) ctx.addIssue({ code: 'custom', message: 'manage.formRule.keyReserved', input: key })
})

const text = (max: number, tooLong: string) => z.string({ error: typeError })
  .refine(s => s.trim() !== '', 'manage.rule.required')
  .refine(s => Array.from(s).length <= max, tooLong)
  .refine(s => !CONTROL_CHARS.test(s), 'manage.rule.controlChars')

const localTextOf = (error: typeof objectError) =>
  z.strictObject({ zh: text(200, 'manage.formRule.textTooLong'), en: text(200, 'manage.formRule.textTooLong') }, { error })
const localText = localTextOf(objectError)
/** An optional text given as null is in the wrong format, not missing. */
const optionalLocalText = localTextOf(iss => (iss.code === 'unrecognized_keys' ? 'manage.formRule.unknownProperty' : 'manage.rule.invalidType'))

const optionSchema = z.strictObject({
  // answers are trimmed, so a value with outer spaces could never be chosen
  value: text(100, 'manage.formRule.optionValueTooLong').refine(s => s === s.trim(), 'manage.formRule.optionValueSpaces'),
  label: localText,
}, { error: objectError })

const fieldSchema = z.strictObject({
  key: keySchema,
  type: z.enum(FIELD_TYPES, { error: 'manage.rule.enum' }),
  label: localText,
  required: z.boolean({ error: typeError }),
  options: z.array(optionSchema, optionalTypeError).min(1, 'manage.formRule.optionsMin').max(200, 'manage.formRule.optionsMax').optional(),
  min: z.number(optionalTypeError).optional(),
  max: z.number(optionalTypeError).optional(),
  maxLength: z.number({ error: 'manage.formRule.maxLength' }).int('manage.formRule.maxLength')
    .min(1, 'manage.formRule.maxLength').max(10000, 'manage.formRule.maxLength').optional(),
  showIf: z.strictObject({
    field: z.string({ error: typeError }),
    equals: z.union([z.string(), z.number(), z.boolean()], { error: typeError }),
  }, { error: objectError }).optional(),
  hint: optionalLocalText.optional(),
  section: z.string(optionalTypeError).optional(),
  prefill: z.enum(PREFILL_SOURCES, { error: 'manage.rule.enum' }).optional(),
}, { error: objectError })

/** Field types each prefill source may fill ('text' always, for forms that predate a typed field). */
const PREFILL_TYPES: Record<(typeof PREFILL_SOURCES)[number], readonly string[]> = {
  name: ['text'],
  orgName: ['text'],
  idNumber: ['idNumber', 'text'],
  mobile: ['mobile', 'text'],
  email: ['email', 'text'],
  orgCode: ['uscc', 'text'],
}

/** Whether `equals` is a value the referenced field's answer can take. */
function fitsField(ref: FormField, equals: string | number | boolean): boolean {
  switch (ref.type) {
    case 'select':
    case 'radio':
      return typeof equals === 'string' && (ref.options ?? []).some(o => o.value === equals)
    case 'checkbox':
      return typeof equals === 'boolean'
    case 'number':
      return typeof equals === 'number' && Number.isFinite(equals)
    case 'date':
      return isIsoDate(equals)
    case 'file':
      return false
    default:
      return typeof equals === 'string' && equals !== '' && equals === equals.trim()
  }
}

export const formDefinitionSchema = z.strictObject({
  version: z.literal(1, { error: 'manage.formRule.version' }),
  sections: z.array(z.strictObject({ key: keySchema, title: localText }, { error: objectError }), optionalTypeError)
    .max(50, 'manage.formRule.sectionsMax').optional(),
  fields: z.array(fieldSchema, { error: typeError }).min(1, 'manage.formRule.fieldsMin').max(200, 'manage.formRule.fieldsMax'),
}, { error: objectError }).superRefine((def, ctx) => {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const sectionKeys = new Set<string>()
  def.sections?.forEach((s, i) => {
    if (sectionKeys.has(s.key)) problem(['sections', i, 'key'], 'manage.formRule.sectionKeyDuplicate')
    sectionKeys.add(s.key)
  })
  const hasSections = sectionKeys.size > 0
  const earlier = new Map<string, FormField>()
  def.fields.forEach((f, i) => {
    const at = (...p: (string | number)[]) => ['fields', i, ...p]
    if (earlier.has(f.key)) problem(at('key'), 'manage.formRule.keyDuplicate')
    const choice = f.type === 'select' || f.type === 'radio'
    if (choice && f.options === undefined) problem(at('options'), 'manage.formRule.optionsNeeded')
    if (!choice && f.options !== undefined) problem(at('options'), 'manage.formRule.optionsNotAllowed')
    const values = new Set<string>()
    f.options?.forEach((o, j) => {
      if (values.has(o.value)) problem(at('options', j, 'value'), 'manage.formRule.optionDuplicate')
      values.add(o.value)
    })
    if (f.type !== 'number') {
      if (f.min !== undefined) problem(at('min'), 'manage.formRule.minMaxNotNumber')
      if (f.max !== undefined) problem(at('max'), 'manage.formRule.minMaxNotNumber')
    }
    else if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
      problem(at('min'), 'manage.formRule.minAboveMax')
    }
    if (f.maxLength !== undefined && f.type !== 'text' && f.type !== 'textarea') problem(at('maxLength'), 'manage.formRule.maxLengthNotText')
    if (f.showIf) {
      const ref = earlier.get(f.showIf.field)
      if (!ref) problem(at('showIf', 'field'), 'manage.formRule.showIfEarlier')
      else if (!fitsField(ref, f.showIf.equals)) problem(at('showIf', 'equals'), 'manage.formRule.showIfValue')
    }
    if (f.section !== undefined && !sectionKeys.has(f.section)) problem(at('section'), 'manage.formRule.sectionUnknown')
    if (hasSections && f.section === undefined) problem(at('section'), 'manage.formRule.sectionRequired')
    if (f.prefill && !PREFILL_TYPES[f.prefill].includes(f.type)) problem(at('prefill'), 'manage.formRule.prefillType')
    if (!earlier.has(f.key)) earlier.set(f.key, f)
  })
})

/** Every problem of a form definition as `{ path: 'fields.2.options', message }`; empty when it is valid. */
export function formDefinitionProblems(def: unknown): { path: string, message: string }[] {
  const result = formDefinitionSchema.safeParse(def)
  if (result.success) return []
  return result.error.issues.map(i => ({ path: i.path.map(String).join('.'), message: i.message }))
}
