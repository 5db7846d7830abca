/**
 * An administrator building a form reads its problems in the page's language: every problem
 * formDefinitionProblems reports is a message key of both locales (manage.rule.*,
 * manage.formRule.*), never an English sentence or one of zod's own ("Too small: expected number
 * to be >=1"), and it reads as a whole sentence without parameters, as the import report shows it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { services } from '../../db/seed/catalogue'
import type { FormDefinition } from '../../shared/types/catalogue'
import { formDefinitionProblems, formDefinitionSchema } from '../../shared/utils/form-definition'

type Messages = { [key: string]: string | Messages }

function load(locale: string): Messages {
  const dir = join('i18n/locales', locale)
  return Object.assign({}, ...readdirSync(dir).filter(f => f.endsWith('.json')).sort()
    .map(f => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Messages)) as Messages
}

function flatten(m: Messages, prefix = ''): [string, string][] {
  return Object.entries(m).flatMap(([k, v]) => typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`))
}

const messages = { zh: load('zh'), en: load('en') }
const keys = { zh: new Map(flatten(messages.zh)), en: new Map(flatten(messages.en)) }
const i18n = {
  zh: createI18n({ legacy: false, locale: 'zh', fallbackLocale: false, messages }).global,
  en: createI18n({ legacy: false, locale: 'en', fallbackLocale: false, messages }).global,
}

const label = (zh: string, en: string) => ({ zh, en })
const t = (key: string, more: Record<string, unknown> = {}) => ({ key, type: 'text', label: label('甲', 'A'), required: false, ...more })
const sel = (key: string, more: Record<string, unknown> = {}) => ({ ...t(key), type: 'select', options: [{ value: 'a', label: label('甲', 'A') }], ...more })
const form = (fields: unknown[], extra: Record<string, unknown> = {}) => ({ version: 1, fields, ...extra })
const sections = [{ key: 's', title: label('甲', 'A') }]

/**
 * One definition for each thing that can be wrong. The rules across fields are checked once the
 * outline is right (zod runs the refinement only then), so they have definitions of their own.
 */
const BAD: unknown[] = [
  null, 'form', [], {}, { version: 2, fields: [] }, { version: 1, fields: 'x' }, form([t('a')], { extra: true }),
  form(Array.from({ length: 201 }, (_, i) => t(`f${i}`))),
  form([t('a', { section: 's' })], { sections: Array.from({ length: 51 }, (_, i) => ({ key: `s${i}`, title: label('甲', 'A') })) }),
  form([t('a', { section: 's' })], { sections: 'x' }),
  form([t('a', { section: 's' })], { sections: [5] }),
  form([t('a', { section: 's' })], { sections: [{ key: 's', title: label('甲', 'A') }, { key: 's', title: label('乙', 'B'), more: 1 }] }),
  form([5, {}, t('1a'), t('constructor'), t('__proto__'), t('b', { requried: true })]),
  form([t('a'), t('a')]),
  form([t('a', { key: 7, type: 'color', required: 'yes', label: 'A' })]),
  form([t('a', { label: { zh: '', en: '\u0001' } }), t('b', { label: { zh: '字'.repeat(201), en: 'A', fr: 'A' } }), t('c', { label: null })]),
  form([t('a', { hint: null }), t('b', { hint: { zh: '甲' } }), t('c', { hint: 'x' })]),
  form([sel('a', { options: [] }), sel('b', { options: 'x' }), sel('c', { options: [5, { value: ' x', label: label('甲', 'A') }] })]),
  form([sel('a', { options: Array.from({ length: 201 }, (_, i) => ({ value: `v${i}`, label: label('甲', 'A') })) })]),
  form([sel('a', { options: [{ value: 'x'.repeat(101), label: label('甲', 'A') }, { value: 3, label: label('甲', 'A'), more: 1 }] })]),
  form([sel('a', { options: [{ value: 'x', label: label('甲', 'A') }, { value: 'x', label: label('乙', 'B') }] })]),
  form([t('a', { type: 'select' }), t('b', { options: [{ value: 'x', label: label('甲', 'A') }] })]),
  form([t('a', { min: 1, max: 2 }), t('b', { type: 'number', min: 5, max: 1 })]),
  form([t('c', { type: 'number', min: 'x', max: null })]),
  form([t('a', { maxLength: 0 }), t('b', { maxLength: 1.5 }), t('c', { maxLength: '5' }), t('d', { maxLength: 10001 })]),
  form([t('e', { type: 'date', maxLength: 5 })]),
  form([t('a', { showIf: { field: 'b', equals: 'x' } }), t('b')]),
  form([t('b', { showIf: 'x' }), t('c', { showIf: { field: 1, equals: null, more: 1 } }), t('d', { showIf: {} })]),
  form([sel('a'), t('b', { showIf: { field: 'a', equals: 'zzz' } }), t('c', { type: 'file' }), t('d', { showIf: { field: 'c', equals: 'x' } })]),
  form([t('a', { section: 'nope' }), t('b')], { sections }),
  form([t('a', { section: 5 })]),
  form([t('a', { type: 'date', prefill: 'idNumber' })]),
  form([t('b', { prefill: 'shoeSize' })]),
]

/** A valid form to spoil at random. */
const VALID = services.find(s => s.form && s.form.sections?.length && s.form.fields.some(f => f.options && f.showIf))!.form!

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Every place in a JSON value, as paths. */
function places(v: Json, path: (string | number)[] = []): (string | number)[][] {
  const here = [path]
  if (Array.isArray(v)) return here.concat(v.flatMap((x, i) => places(x, [...path, i])))
  if (v && typeof v === 'object') return here.concat(Object.entries(v).flatMap(([k, x]) => places(x, [...path, k])))
  return here
}

const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, 1e9, '', ' ', 'x', '\u0001', '字'.repeat(201), [], {}, ['x'], { zh: 'a' }),
  fc.string({ maxLength: 5 }), fc.integer(),
)

/** The definition with one place replaced, removed, or given an extra property. */
function spoil(def: Json, at: number, how: 'replace' | 'remove' | 'add', value: Json): Json {
  const copy = structuredClone(def)
  const all = places(copy)
  const path = all[at % all.length]!
  if (!path.length) return how === 'replace' ? value : copy
  let parent = copy as Record<string | number, Json>
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>
  const last = path.at(-1)!
  if (how === 'replace') parent[last] = value
  else if (how === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else Reflect.deleteProperty(parent, last)
  }
  else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) (parent[last] as Record<string, Json>).oddProperty = value
  return copy
}

const spoilt = fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace' as const, 'remove' as const, 'add' as const), junk), { minLength: 1, maxLength: 3 })
  .map(steps => steps.reduce((def, [at, how, value]) => spoil(def, at, how, value), VALID as unknown as Json))

function expectKeys(problems: { path: string, message: string }[]) {
  for (const p of problems) {
    expect(keys.zh.has(p.message), `zh: ${p.path} ${p.message}`).toBe(true)
    expect(keys.en.has(p.message), `en: ${p.path} ${p.message}`).toBe(true)
  }
}

describe('problems of a form definition', () => {
  it('are message keys of both languages, for every kind of mistake', () => {
    const all = BAD.flatMap(def => formDefinitionProblems(def))
    expect(BAD.every(def => formDefinitionProblems(def).length > 0)).toBe(true)
    expectKeys(all)
  })

  it('are message keys of both languages however a valid form is spoilt', () => {
    expect(formDefinitionProblems(VALID)).toEqual([])
    fc.assert(fc.property(spoilt, (def) => {
      expectKeys(formDefinitionProblems(def))
      // and so are the raw issues of the schema, which the guide's checks also read
      const parsed = formDefinitionSchema.safeParse(def)
      if (!parsed.success) expectKeys(parsed.error.issues.map(i => ({ path: i.path.join('.'), message: i.message })))
    }), { numRuns: 500 })
  })

  it('use every form rule message there is, each a whole sentence without parameters', () => {
    const used = new Set(BAD.flatMap(def => formDefinitionProblems(def as FormDefinition)).map(p => p.message))
    const formRules = [...keys.en.keys()].filter(k => k.startsWith('manage.formRule.'))
    expect(formRules.filter(k => !used.has(k))).toEqual([])
    for (const key of used) {
      for (const locale of ['zh', 'en'] as const) {
        expect(keys[locale].get(key), `${locale}: ${key}`).not.toMatch(/\{\w+\}/)
        expect(i18n[locale].t(key)).toBe(keys[locale].get(key))
      }
      // the Chinese administrator reads Chinese
      expect(keys.zh.get(key), key).toMatch(/\p{Script=Han}/u)
    }
  })
})
