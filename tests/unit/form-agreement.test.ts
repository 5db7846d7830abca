/**
 * A person's application gets the same verdict in the browser as on the server: what the form
 * page lets through, the server turns into a case, and what it stops, the server refuses too, for
 * the same fields with the same messages.
 *
 * The browser is the apply page's own setup: vee-validate's useForm with the shared schema
 * (toAnswersTypedSchema), values put in with resetForm, and validate() as "Check your answers"
 * calls it. The server is what those values go through on the way to a case, against a database:
 * saveDraft stores what the page sends (as JSON), submitApplication validates the stored draft
 * again and receives the case. Forms are the seeded ones and generated ones (small maxLength,
 * showIf chains, keys next to the names every object has); answers are those the page's inputs
 * produce (text with 𠮷 and outer spaces, numbers, option values, own uploads) and some it cannot.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { useForm } from 'vee-validate'
import type { TypedSchema } from 'vee-validate'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h, shallowRef } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { toAnswersTypedSchema } from '../../composables/useApplicationSchema'
import type { Connection } from '../../db/client'
import { services } from '../../db/seed/catalogue'
import { ApplicationError } from '../../server/services/application-errors'
import { createDraft, saveDraft, submitApplication } from '../../server/services/applications'
import type { FieldType, FormDefinition, FormField } from '../../shared/types/catalogue'
import { FIELD_TYPES } from '../../shared/types/catalogue'
import type { Answers } from '../../shared/utils/form-schema'
import { formDefinitionProblems, isReservedKey } from '../../shared/utils/form-definition'
import { answerLength, answerMaxLength, DEFAULT_MAX_LENGTH, visibleFields } from '../../shared/utils/form-schema'
import { CONTROL_CHARS, MULTILINE_CONTROL_CHARS } from '../../shared/utils/validators'
import { freshDatabase, userIdOf } from '../support/db'

/** Generated forms (each with 1 to 4 applications), and applications per seeded form; AGREEMENT_RUNS=3000 searches longer. */
const RUNS = Number(process.env.AGREEMENT_RUNS || 300)
const SEEDED_RUNS = Math.max(3, Math.round(RUNS / 100))
/** An item for people with an online form: each checked form is published as its form for one run. */
const SERVICE = 'SZGA-0001'

let conn: Connection
let citizen: { id: number, role: 'citizen' }
/** The person's own uploads, which the page's file field offers. */
const uploads: string[] = []

// ---- the browser ---------------------------------------------------------------------------

type FormContext = ReturnType<typeof useForm<Answers>>
let page: { form: FormContext, schema: { value: TypedSchema<Answers, Answers> } }

/** The apply page's form, set up as the page sets it up (a schema ref swapped when the draft loads). */
async function mountForm() {
  let mounted: typeof page | undefined
  const Host = defineComponent({
    setup() {
      const schema = shallowRef<TypedSchema<Answers, Answers>>({ __type: 'VVTypedSchema', parse: async values => ({ value: values, errors: [] }) })
      mounted = { form: useForm<Answers>({ validationSchema: schema }), schema }
      return () => h('form')
    },
  })
  // server rendering runs setup without a DOM, which is all useForm needs
  await renderToString(createSSRApp(Host))
  page = mounted!
}

let pageDef: FormDefinition | undefined

async function inBrowser(def: FormDefinition, values: Answers) {
  // a page per form, as a person opens one: a reused form would keep every earlier form's fields
  if (pageDef !== def) {
    await mountForm()
    page.schema.value = toAnswersTypedSchema(def)
    pageDef = def
  }
  // the page resets a new form once; this one is reused, so its earlier values must go (force)
  page.form.resetForm({ values: { ...values } }, { force: true })
  const pending = page.form.validate()
  // vee-validate waits 5 ms to merge validations (debounce); the timers are fake, so skip it
  vi.advanceTimersByTime(10)
  const result = await pending
  return { valid: result.valid, errors: result.errors as Record<string, string>, value: result.values }
}

// ---- the server ----------------------------------------------------------------------------

type OnServer = { ok: true, stored: unknown } | { ok: false, stage: 'save' | 'submit', fieldErrors: Record<string, string> }

class Rollback extends Error {}

let formVersion = 1000

/** Publishes `def`, saves `values` as the page does and submits; all of it rolled back afterwards. */
function onServer(def: FormDefinition, values: Answers): OnServer {
  // what $fetch sends: JSON (an undefined answer vanishes on the way)
  const sent: unknown = JSON.parse(JSON.stringify(values))
  let outcome: OnServer | undefined
  const run = conn.sqlite.transaction(() => {
    const version = conn.sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status) VALUES (?, ?, ?, 'published')`)
      .run(SERVICE, formVersion++, JSON.stringify(def))
    conn.sqlite.prepare('UPDATE services SET form_version_id = ? WHERE code = ?').run(version.lastInsertRowid, SERVICE)
    const draft = createDraft(conn, citizen, { serviceCode: SERVICE, answers: {} })
    let stage: 'save' | 'submit' = 'save'
    try {
      saveDraft(conn, citizen, draft.id, sent)
      stage = 'submit'
      submitApplication(conn, citizen, draft.id)
      const row = conn.sqlite.prepare('SELECT answers FROM applications WHERE id = ?').get(draft.id) as { answers: string }
      outcome = { ok: true, stored: JSON.parse(row.answers) }
    }
    catch (error) {
      if (!(error instanceof ApplicationError) || error.statusCode !== 400) throw error
      outcome = { ok: false, stage, fieldErrors: error.fieldErrors ?? {} }
    }
    throw new Rollback()
  })
  try { run() }
  catch (error) { if (!(error instanceof Rollback)) throw error }
  return outcome!
}

// ---- the comparison ------------------------------------------------------------------------

/** How often each outcome occurred, so that the property is seen to test something. */
const seen = { cases: 0, refusedOnSave: 0, refusedOnSubmit: 0, refusedAsNotTheApplicant: 0, hiddenWrongAnswerSetAside: 0 }

/** A text answer too long or with a control character, which the field would refuse if shown. */
function wouldBeRefused(f: FormField, v: unknown): boolean {
  const max = answerMaxLength(f)
  if (typeof v !== 'string' || max === undefined) return false
  const read = (f.type === 'textarea' ? v.replace(/\r\n?/g, '\n') : v).trim()
  return answerLength(f, v) > max || (f.type === 'textarea' ? MULTILINE_CONTROL_CHARS : CONTROL_CHARS).test(read)
}

/** The account applying (the demo citizen), as its profile prefills the form. */
const ACCOUNT: Partial<Record<string, string>> = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

/**
 * What the server alone refuses on submit: a shown answer prefilled from the account's name, ID
 * number or mobile that is not the account's (the applicant of a person's own application is the
 * account holder). The page's schema cannot know the account, as it cannot know whose an upload is.
 */
function notTheAccountHolder(def: FormDefinition, values: Answers): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const f of visibleFields(def, values)) {
    const own = f.prefill ? ACCOUNT[f.prefill] : undefined
    const v = values[f.key]
    if (own === undefined || typeof v !== 'string' || v.trim() === '') continue
    // a mobile is the account's however it is grouped or prefixed (+86 138 0013 8000)
    const given = f.prefill === 'mobile' ? v.normalize('NFKC').replace(/[\s-]/g, '').replace(/^(?:\+|00)86(?=\d{11}$)/, '') : v.trim().toUpperCase()
    if (given !== own) errors[f.key] = 'validation.notTheApplicant'
  }
  return errors
}

async function agree(def: FormDefinition, values: Answers) {
  const browser = await inBrowser(def, values)
  const server = onServer(def, values)
  const story = { values, browser, server }
  const notTheApplicant = notTheAccountHolder(def, values)
  if (browser.valid && Object.keys(notTheApplicant).length) {
    seen.refusedAsNotTheApplicant++
    expect(server, JSON.stringify(story)).toEqual({ ok: false, stage: 'submit', fieldErrors: notTheApplicant })
    return
  }
  expect(server.ok, JSON.stringify(story)).toBe(browser.valid)
  if (server.ok) {
    seen.cases++
    // the case holds exactly what the browser's schema made of the answers
    expect(server.stored).toEqual(JSON.parse(JSON.stringify(browser.value)))
    // a hidden field may hold what it would not accept shown (typed before it was hidden)
    const shown = new Set(visibleFields(def, values).map(f => f.key))
    if (def.fields.some(f => !shown.has(f.key) && wouldBeRefused(f, values[f.key]))) seen.hiddenWrongAnswerSetAside++
  }
  else if (server.stage === 'submit') {
    seen.refusedOnSubmit++
    // the same errors, and with them those of answers naming someone else (the form's error first)
    expect(server.fieldErrors, JSON.stringify(story)).toEqual({ ...notTheApplicant, ...browser.errors })
  }
  else {
    // a draft refuses only answers of the wrong shape; the page shows each of them as an error
    seen.refusedOnSave++
    for (const key of Object.keys(server.fieldErrors)) expect(browser.errors, JSON.stringify(story)).toHaveProperty([key])
  }
}

// ---- answers -------------------------------------------------------------------------------

const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.constant([]), fc.constant(['x']), fc.constant({}))

/** Text as people type and paste it: rare characters outside the BMP, outer spaces, a stray control character. */
function typed(max: number, multiline: boolean): fc.Arbitrary<string> {
  const unit = fc.constantFrom('a', '中', '𠮷', ' ', ...(multiline ? ['\n', '\r\n'] : []))
  const body = fc.array(unit, { minLength: Math.max(0, max - 2), maxLength: max + 2 }).map(u => u.join(''))
  return fc.oneof(
    { arbitrary: body, weight: 4 },
    { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
    { arbitrary: body.map(s => ` ${s}\t`), weight: 1 },
    { arbitrary: fc.constantFrom('yes', ' yes ', 'a\u0001b', ''), weight: 2 },
  )
}

/** What the page's input for the field can hold: mostly that, sometimes junk, sometimes nothing. */
function answerFor(f: FormField): fc.Arbitrary<unknown> {
  const options = fc.constantFrom('', 'zzz', ...(f.options ?? []).map(o => o.value))
  const byType: Record<FieldType, () => fc.Arbitrary<unknown>> = {
    text: () => typed(Math.min(f.maxLength ?? DEFAULT_MAX_LENGTH.text, 40), false),
    textarea: () => typed(Math.min(f.maxLength ?? DEFAULT_MAX_LENGTH.textarea, 40), true),
    // the number input gives a number, or '' when empty or unparsable
    number: () => fc.oneof(fc.integer({ min: (f.min ?? 0) - 3, max: (f.max ?? 50) + 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant('')),
    date: () => fc.constantFrom('2026-02-28', '2026-02-30', '2026-13-01', '', ' 2025-12-31 ', '1990-03-07'),
    select: () => options,
    radio: () => options,
    checkbox: () => fc.boolean(),
    idNumber: () => fc.constantFrom('440305199003072319', ' 440305199003072319', '44030419881115002x', '440305199003072310', '4403051990', ''),
    uscc: () => fc.constantFrom('9144030071526726XG', '9144030071526726xg ', '9144030071526726XH', '91440300'),
    mobile: () => fc.constantFrom('13800138000', ' 13912345678 ', '12800138000', '1380013800', '+8613800138000', '138 0013 8000', '139-1234-5678', '+86 138 0013 800', '１３８　００１３　８０００'),
    email: () => fc.oneof(fc.constantFrom('a@example.com', 'not-an-email', `${'a'.repeat(250)}@b.cn`, ' li.hua@sz.gov.cn'), fc.emailAddress()),
    // typed on a phone's Chinese keyboard (full-width, in groups), too short, too long, not digits
    bankAccount: () => fc.constantFrom('6222021234567890123', '６２２２ ０２１２ ３４５６ ７８９０ １２３', '755912345678', ' 6225 8800 1234 5678 ', '75591234567', '62220212345678901234', 'abc', '6222-0212-3456'),
    // the file field only ever lists the person's own uploads, each once
    file: () => fc.oneof(fc.subarray(uploads, { maxLength: 3 }), fc.constant(['short'])),
  }
  return fc.oneof({ arbitrary: byType[f.type](), weight: 8 }, { arbitrary: junk, weight: 1 })
}

/** A right answer for the field, so that whole applications are often complete. */
function rightAnswerFor(f: FormField): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'number': return fc.integer({ min: Math.ceil(f.min ?? 0), max: Math.floor(f.max ?? 1000) })
    case 'date': return fc.constant('2026-01-15')
    case 'select':
    case 'radio': return fc.constantFrom(...(f.options ?? []).map(o => o.value))
    case 'checkbox': return f.required ? fc.constant(true) : fc.boolean()
    case 'idNumber': return fc.constantFrom('440305199003072319', '44030419881115002X')
    case 'uscc': return fc.constant('9144030071526726XG')
    case 'mobile': return fc.constant('13800138000')
    case 'email': return fc.constant('a@example.com')
    case 'bankAccount': return fc.constantFrom('6222021234567890123', '755912345678')
    case 'file': return fc.subarray(uploads, { minLength: 1, maxLength: 3 })
    default: return fc.constantFrom('yes', '张晓明', '𠮷').map(s => Array.from(s).slice(0, f.maxLength ?? 200).join(''))
  }
}

/** Answers to a whole form: mixed, or complete with one answer perhaps spoilt; now and then a key the form lacks. */
function answersFor(def: FormDefinition): fc.Arbitrary<Answers> {
  const mixed = fc.record(Object.fromEntries(def.fields.map(f => [f.key, answerFor(f)])), { requiredKeys: [] })
  const complete = fc.tuple(
    fc.record(Object.fromEntries(def.fields.map(f => [f.key, rightAnswerFor(f)]))),
    fc.option(fc.constantFrom(...def.fields).chain(f => fc.tuple(fc.constant(f.key), answerFor(f))), { freq: 2 }),
  ).map(([a, spoil]) => (spoil ? { ...a, [spoil[0]]: spoil[1] } : a))
  // a person types a long or pasted answer, then changes the answer that showed its field: the
  // hidden field keeps text it would refuse shown, which neither side may hold against them
  const stale = fc.tuple(complete, fc.constantFrom('a\u0001b', ' ')).map(([a, odd]) => {
    const shown = new Set(visibleFields(def, a).map(f => f.key))
    const hidden = def.fields.filter(f => !shown.has(f.key) && answerMaxLength(f) !== undefined)
    return Object.fromEntries([...Object.entries(a), ...hidden.map(f => [f.key, odd.trim() ? odd : '𠮷'.repeat(answerMaxLength(f)! + 1)])])
  })
  // values the page holds come from the form's fields and the stored draft, so a stranger key
  // cannot arise there; the server must still refuse one. Not toString or constructor: vee-validate
  // 4.15 itself reads its results with `results[path]`, so such a key breaks its validate() (one
  // more reason a field may not be named so: formDefinitionProblems refuses it)
  const stranger = fc.oneof({ arbitrary: fc.constant(null), weight: 11 }, { arbitrary: fc.tuple(fc.constant('extra'), junk), weight: 1 })
  return fc.tuple(fc.oneof(mixed, complete, { arbitrary: stale, weight: 2 }), stranger)
    .map(([a, extra]) => (extra && !def.fields.some(f => f.key === extra[0]) ? { ...a, [extra[0]]: extra[1] } : a) as Answers)
}

// ---- generated forms -----------------------------------------------------------------------

/** Keys one letter away from the members every object has: allowed, and must behave like any key. */
const NEAR_RESERVED = ['constructors', 'toStrin', 'valueOf1', 'hasOwn', 'isPrototype', 'Constructor', 'toLocaleStrings', 'protoType', 'propertyIsEnumerabl']

const label = (s: string) => ({ zh: `字段${s}`, en: `Field ${s}` })

interface Spec { type: FieldType, required: boolean, maxLength: number | null, bounds: [number, number] | null, options: number, showIf: [number, number] | null }

const specArb: fc.Arbitrary<Spec> = fc.record({
  type: fc.constantFrom(...FIELD_TYPES),
  required: fc.boolean(),
  maxLength: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 2 }),
  bounds: fc.option(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 10 }))),
  options: fc.integer({ min: 1, max: 3 }),
  showIf: fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 2 }),
})

/** The answer to `ref` that shows a field depending on it (pick chooses among the possible ones). */
function showingAnswer(ref: FormField, pick: number): string | number | boolean | null {
  switch (ref.type) {
    case 'select':
    case 'radio': return ref.options![pick % ref.options!.length]!.value
    case 'checkbox': return pick % 2 === 0
    case 'number': return ref.min ?? 0
    case 'text':
    case 'textarea': return 'yes'
    default: return null
  }
}

function formOf(keys: string[], specs: Spec[]): FormDefinition {
  const fields: FormField[] = []
  keys.forEach((key, i) => {
    const s = specs[i]!
    const f: FormField = { key, type: s.type, label: label(key), required: s.required }
    if (s.type === 'text' || s.type === 'textarea') {
      if (s.maxLength !== null) f.maxLength = s.maxLength
    }
    if (s.type === 'number' && s.bounds) [f.min, f.max] = [s.bounds[0], s.bounds[0] + s.bounds[1]]
    if (s.type === 'select' || s.type === 'radio') f.options = ['是', 'no', 'x y'].slice(0, s.options).map(v => ({ value: v, label: label(v) }))
    if (s.showIf) {
      const candidates = fields.filter(e => showingAnswer(e, 0) !== null)
      const ref = candidates[s.showIf[0] % Math.max(1, candidates.length)]
      const equals = ref ? showingAnswer(ref, s.showIf[1]) : null
      if (ref && equals !== null) f.showIf = { field: ref.key, equals }
    }
    fields.push(f)
  })
  return { version: 1, fields }
}

const keyArb = fc.oneof(fc.constantFrom(...NEAR_RESERVED), fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/))
const generatedForm: fc.Arbitrary<FormDefinition> = fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 })
  .chain(keys => fc.array(specArb, { minLength: keys.length, maxLength: keys.length }).map(specs => formOf(keys, specs)))

// ---- the properties ------------------------------------------------------------------------

const seeded = services.filter(s => s.form).map(s => [s.code, s.form!] as [string, FormDefinition])

beforeAll(async () => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
  for (let i = 0; i < 4; i++) {
    const id = randomBytes(16).toString('base64url')
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at)
      VALUES (?, ?, 'photo.png', 1000, 'image/png', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
      .run(id, citizen.id, 'a'.repeat(64), randomBytes(8).toString('hex'))
    uploads.push(id)
  }
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})

afterAll(() => {
  vi.useRealTimers()
  conn.sqlite.close()
})

describe('the form page and the server agree', () => {
  it('generates valid forms, with keys next to the reserved names', () => {
    fc.assert(fc.property(generatedForm, (def) => {
      expect(formDefinitionProblems(def)).toEqual([])
      expect(def.fields.some(f => isReservedKey(f.key))).toBe(false)
    }), { numRuns: 200 })
    expect(NEAR_RESERVED.some(isReservedKey)).toBe(false)
  })

  it('on every application to a generated form', { timeout: 60_000 }, async () => {
    await fc.assert(fc.asyncProperty(generatedForm.chain(def => fc.tuple(fc.constant(def), fc.array(answersFor(def), { minLength: 1, maxLength: 4 }))), async ([def, applications]) => {
      for (const values of applications) await agree(def, values)
    }), { numRuns: RUNS })
  })

  it('on applications to every seeded online form', { timeout: 60_000 }, async () => {
    expect(seeded.length).toBeGreaterThanOrEqual(100)
    for (const [, def] of seeded) {
      await fc.assert(fc.asyncProperty(answersFor(def), values => agree(def, values)), { numRuns: SEEDED_RUNS })
    }
  })

  it('saw cases made, refusals at saving and at submission (also of answers naming someone else), and wrong hidden answers set aside', () => {
    expect(seen.cases).toBeGreaterThan(100)
    expect(seen.refusedOnSave).toBeGreaterThan(50)
    expect(seen.refusedOnSubmit).toBeGreaterThan(100)
    expect(seen.hiddenWrongAnswerSetAside).toBeGreaterThan(5)
    expect(seen.refusedAsNotTheApplicant).toBeGreaterThan(5)
  })
})
