/**
 * The browser and the server must give the same verdict on every answer a person can send:
 * the browser runs vee-validate with the shared schema (composables/useApplicationSchema.ts),
 * the server runs validateAnswers on the JSON it receives. fast-check tries thousands of random
 * answers, valid and not, for every seeded form.
 */
import fc from 'fast-check'
import { validate } from 'vee-validate'
import { describe, expect, it } from 'vitest'
import { toAnswersTypedSchema } from '../../composables/useApplicationSchema'
import { services } from '../../db/seed/catalogue'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import { DEFAULT_MAX_LENGTH, validateAnswers } from '../../shared/utils/form-schema'

const RUNS = Number(process.env.AGREEMENT_RUNS || 1000)

/** Both verdicts must actually occur, or the property would prove little. */
const verdicts = { valid: 0, invalid: 0 }

const forms = services.filter(s => s.form).map(s => [s.code, s.form!] as [string, FormDefinition])

const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 20 }), fc.array(fc.string(), { maxLength: 3 }), fc.constant({}))

/** Answers a person (or a careless client) might give for one field: good ones mostly, bad ones often. */
function answerFor(f: FormField): fc.Arbitrary<unknown> {
  const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ minLength: max - 2, maxLength: max + 3 }), fc.constant('  a\u0001b '))
  const options = fc.oneof(fc.constantFrom('', ...(f.options ?? []).map(o => o.value)), fc.string({ maxLength: 5 }))
  const good: Record<FormField['type'], () => fc.Arbitrary<unknown>> = {
    text: () => text(f.maxLength ?? DEFAULT_MAX_LENGTH.text),
    textarea: () => fc.oneof(text(f.maxLength ?? DEFAULT_MAX_LENGTH.textarea), fc.constant('第一行\r\n第二行')),
    number: () => fc.oneof(fc.integer({ min: (f.min ?? 0) - 5, max: (f.max ?? 100) + 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    date: () => fc.oneof(fc.constantFrom('2026-02-28', '2026-02-30', '2026-13-01', '20260101', ' 2025-12-31 '), fc.date({ noInvalidDate: true }).map(d => d.toISOString().slice(0, 10))),
    select: () => options,
    radio: () => options,
    checkbox: () => fc.boolean(),
    idNumber: () => fc.constantFrom('440305199003072319', '44030419881115002x', '440305199003072310', '440305209913012319', '4403051990', ' 440305199003072319 '),
    uscc: () => fc.constantFrom('9144030071526726XG', '914403001922038216', '9144030071526726xg', '9144030071526726XH', '91440300'),
    mobile: () => fc.constantFrom('13800138000', '12800138000', '1380013800', '+8613800138000', ' 13912345678 '),
    email: () => fc.oneof(fc.constantFrom('a@example.com', 'not-an-email', 'x@y', `${'a'.repeat(250)}@b.cn`), fc.emailAddress()),
    file: () => fc.oneof(fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{8,24}$/), { maxLength: 3 }), fc.constant(['short']), fc.constant(['AAAAAAAAAA', 'AAAAAAAAAA'])),
  }
  return fc.oneof({ arbitrary: good[f.type](), weight: 6 }, { arbitrary: junk, weight: 1 }, { arbitrary: fc.constantFrom('', undefined), weight: 1 })
}

/** A right answer for one field, so that whole applications are often complete. */
function rightAnswerFor(f: FormField): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'number': return fc.integer({ min: Math.ceil(f.min ?? 0), max: Math.floor(f.max ?? 1000) })
    case 'date': return fc.constantFrom('2026-01-15', '1990-03-07')
    case 'select':
    case 'radio': return fc.constantFrom(...(f.options ?? []).map(o => o.value))
    case 'checkbox': return f.required ? fc.constant(true) : fc.boolean()
    case 'idNumber': return fc.constantFrom('440305199003072319', '44030419881115002X')
    case 'uscc': return fc.constantFrom('9144030071526726XG', '914403001922038216')
    case 'mobile': return fc.constantFrom('13800138000', '13912345678')
    case 'email': return fc.constantFrom('a@example.com', 'li.hua@sz.gov.cn')
    case 'file': return fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{8,24}$/), { minLength: 1, maxLength: 3 })
    default: return fc.constantFrom('张晓明', 'Li Hua', '深圳市福田区深南大道1号')
  }
}

function answersFor(def: FormDefinition): fc.Arbitrary<Record<string, unknown>> {
  const record: Record<string, fc.Arbitrary<unknown>> = {}
  const right: Record<string, fc.Arbitrary<unknown>> = {}
  for (const f of def.fields) {
    record[f.key] = answerFor(f)
    right[f.key] = rightAnswerFor(f)
  }
  const mixed = fc.record(record, { requiredKeys: [] })
  // complete applications, some with one answer spoilt
  const complete = fc.tuple(fc.record(right), fc.option(fc.tuple(fc.constantFrom(...def.fields), junk), { freq: 2 }))
    .map(([a, spoil]) => spoil ? { ...a, [spoil[0].key]: spoil[1] } : a)
  const unknown = fc.dictionary(fc.constantFrom('extra', 'toString', '__proto__', 'constructor'), junk, { maxKeys: 1 })
  return fc.tuple(fc.oneof(mixed, complete), fc.oneof({ arbitrary: fc.constant({}), weight: 9 }, { arbitrary: unknown, weight: 1 }))
    .map(([a, b]) => Object.assign(Object.create(null) as Record<string, unknown>, b, a))
    .map(a => ({ ...a }))
}

describe('the browser and the server agree', () => {
  it('covers every seeded online form', () => {
    expect(forms.length).toBeGreaterThanOrEqual(100)
  })

  it.each(forms)('on every answer to the form of %s', async (_code, def) => {
    const browser = toAnswersTypedSchema(def)
    await fc.assert(fc.asyncProperty(answersFor(def), async (answers) => {
      const inBrowser = await browser.parse(answers)
      // what travels is JSON: undefined answers vanish on the way
      const onServer = validateAnswers(def, JSON.parse(JSON.stringify(answers)))
      const browserErrors = Object.fromEntries(inBrowser.errors.map(e => [e.path, e.errors[0]]))
      expect(onServer.ok).toBe(inBrowser.errors.length === 0)
      verdicts[onServer.ok ? 'valid' : 'invalid']++
      if (onServer.ok) expect(JSON.stringify(inBrowser.value)).toBe(JSON.stringify(onServer.value))
      else expect(browserErrors).toEqual(onServer.fieldErrors)
    }), { numRuns: RUNS })
  })

  it('saw both complete and faulty applications', () => {
    expect(verdicts.valid).toBeGreaterThan(100)
    expect(verdicts.invalid).toBeGreaterThan(100)
  })

  it('through vee-validate itself, for a sample of forms', async () => {
    for (const [, def] of forms.slice(0, 10)) {
      const schema = toAnswersTypedSchema(def)
      await fc.assert(fc.asyncProperty(answersFor(def), async (answers) => {
        const result = await validate(answers, schema)
        expect(result.valid).toBe(validateAnswers(def, JSON.parse(JSON.stringify(answers))).ok)
      }), { numRuns: 200 })
    }
  })
})
