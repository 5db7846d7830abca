import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import zhValidation from '../../i18n/locales/zh/validation.json'
import enValidation from '../../i18n/locales/en/validation.json'
import { formDefinitionProblems, formDefinitionSchema } from '../../shared/utils/form-definition'
import { answerMessageKey, buildAnswersSchema, validateAnswers, visibleFields } from '../../shared/utils/form-schema'

const label = (zh: string, en: string) => ({ zh, en })
/** the flat messages of validation.json (the nested groups are not answer messages) */
const MESSAGES: Record<'zh' | 'en', { validation: Record<string, unknown> }> = { zh: zhValidation, en: enValidation }

/** A residence-permit style form: every field type, a showIf chain, sections. */
const FORM: FormDefinition = {
  version: 1,
  sections: [
    { key: 'applicant', title: label('申请人', 'Applicant') },
    { key: 'details', title: label('申请事项', 'Details') },
  ],
  fields: [
    { key: 'name', type: 'text', label: label('姓名', 'Name'), required: true, section: 'applicant', prefill: 'name', maxLength: 50 },
    { key: 'idNumber', type: 'idNumber', label: label('身份证号', 'ID number'), required: true, section: 'applicant', prefill: 'idNumber' },
    { key: 'mobile', type: 'mobile', label: label('手机', 'Mobile'), required: true, section: 'applicant' },
    { key: 'email', type: 'email', label: label('邮箱', 'E-mail'), required: false, section: 'applicant' },
    { key: 'moveInDate', type: 'date', label: label('入住日期', 'Move-in date'), required: true, section: 'details' },
    { key: 'floorArea', type: 'number', label: label('面积', 'Floor area'), required: false, min: 1, max: 10000, section: 'details' },
    {
      key: 'housing', type: 'select', label: label('住房类型', 'Housing'), required: true, section: 'details',
      options: [{ value: 'own', label: label('自有', 'Own') }, { value: 'rent', label: label('租赁', 'Rented') }],
    },
    { key: 'landlordName', type: 'text', label: label('房东姓名', 'Landlord'), required: true, showIf: { field: 'housing', equals: 'rent' }, section: 'details' },
    { key: 'hasAgent', type: 'checkbox', label: label('委托代理', 'By an agent'), required: false, showIf: { field: 'housing', equals: 'rent' }, section: 'details' },
    { key: 'agentUscc', type: 'uscc', label: label('代理机构代码', 'Agency code'), required: true, showIf: { field: 'hasAgent', equals: true }, section: 'details' },
    {
      key: 'channel', type: 'radio', label: label('领取方式', 'Delivery'), required: false, section: 'details',
      options: [{ value: 'post', label: label('邮寄', 'Post') }, { value: 'counter', label: label('窗口', 'Counter') }],
    },
    { key: 'remarks', type: 'textarea', label: label('备注', 'Remarks'), required: false, section: 'details' },
    { key: 'contract', type: 'file', label: label('租赁合同', 'Lease'), required: true, showIf: { field: 'housing', equals: 'rent' }, section: 'details' },
    { key: 'photos', type: 'file', label: label('照片', 'Photos'), required: false, section: 'details' },
    { key: 'declaration', type: 'checkbox', label: label('本人承诺', 'I declare'), required: true, section: 'details' },
  ],
}

const OWNER = {
  name: '张三',
  idNumber: '440301199001011234',
  mobile: '13812345678',
  moveInDate: '2026-02-28',
  housing: 'own',
  declaration: true,
}

/** A copy of `answers` without some keys. */
function without(answers: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(answers).filter(([k]) => !keys.includes(k)))
}

const TENANT = {
  ...OWNER,
  housing: 'rent',
  landlordName: '李四',
  hasAgent: true,
  agentUscc: '9144030071526726XG',
  contract: ['upl_0123456789abcdef'],
}

describe('answers of an application form', () => {
  it('an owner-occupier applies with the required answers only', () => {
    expect(validateAnswers(FORM, OWNER)).toEqual({ ok: true, value: OWNER })
  })

  it('a tenant applies with an agent: the rent questions appear and are required', () => {
    expect(validateAnswers(FORM, TENANT)).toEqual({ ok: true, value: TENANT })
    const missing = without(TENANT, 'landlordName', 'contract', 'agentUscc')
    expect(validateAnswers(FORM, missing)).toEqual({
      ok: false,
      fieldErrors: { landlordName: 'validation.required', agentUscc: 'validation.required', contract: 'validation.required' },
    })
  })

  it('an owner who first chose "rent" keeps stale answers: hidden fields are dropped, not checked', () => {
    const stale = { ...OWNER, landlordName: '李四', hasAgent: true, agentUscc: 'garbage', contract: 'not even an array' }
    expect(validateAnswers(FORM, stale)).toEqual({ ok: true, value: OWNER })
  })

  it('hiding cascades: without an agent the agency code is hidden even though hasAgent is answered', () => {
    const noAgent = without(TENANT, 'hasAgent', 'agentUscc')
    expect(validateAnswers(FORM, noAgent)).toEqual({ ok: true, value: noAgent })
    expect(validateAnswers(FORM, { ...noAgent, hasAgent: false })).toEqual({ ok: true, value: { ...noAgent, hasAgent: false } })
  })

  it('lists the visible fields for the browser', () => {
    expect(visibleFields(FORM, OWNER).map(f => f.key)).not.toContain('landlordName')
    expect(visibleFields(FORM, { housing: 'rent' }).map(f => f.key)).toEqual(
      ['name', 'idNumber', 'mobile', 'email', 'moveInDate', 'floorArea', 'housing', 'landlordName', 'hasAgent', 'channel', 'remarks', 'contract', 'photos', 'declaration'],
    )
    expect(visibleFields(FORM, { housing: ' rent ', hasAgent: true }).map(f => f.key)).toContain('agentUscc')
    expect(visibleFields(FORM, null as unknown as Record<string, unknown>).length).toBe(11)
  })

  it('a mobile answer grouped or prefixed as people type it is stored as its 11 digits', () => {
    expect(validateAnswers(FORM, { ...OWNER, mobile: '+86 138-1234-5678' })).toEqual({ ok: true, value: OWNER })
    expect(validateAnswers(FORM, { ...OWNER, mobile: '138 1234 567' })).toMatchObject({ ok: false, fieldErrors: { mobile: 'validation.mobile' } })
    // an older form's text field filled from the profile's mobile holds the same number, stored the same way
    const phone = { fields: [{ key: 'phone', type: 'text', label: label('电话', 'Phone'), required: true, prefill: 'mobile' }] } as unknown as FormDefinition
    expect(validateAnswers(phone, { phone: '+86 138-1234-5678' })).toEqual({ ok: true, value: { phone: '13812345678' } })
  })

  it('optional answers may be absent, null or empty and are then left out', () => {
    const r = validateAnswers(FORM, { ...OWNER, email: '', floorArea: null, channel: undefined, remarks: '   ', photos: [] })
    expect(r).toEqual({ ok: true, value: OWNER })
  })

  it('required answers that are empty, null or blank are "required"', () => {
    const r = validateAnswers(FORM, { ...OWNER, name: '  ', idNumber: null, mobile: '', declaration: false })
    expect(r).toEqual({
      ok: false,
      fieldErrors: { name: 'validation.required', idNumber: 'validation.required', mobile: 'validation.required', declaration: 'validation.required' },
    })
  })

  it('a missing choice, tick or file is worded for what the person has to do, in both languages', () => {
    const r = validateAnswers(FORM, { housing: 'rent' })
    if (r.ok) throw new Error('an empty form must not pass')
    const shown = (lang: 'zh' | 'en') => Object.fromEntries(Object.entries(r.fieldErrors).map(([key, m]) =>
      [key, MESSAGES[lang].validation[answerMessageKey(FORM.fields.find(f => f.key === key), m).replace('validation.', '')]]))
    expect(r.fieldErrors.housing).toBeUndefined()
    expect(shown('zh')).toMatchObject({ name: '请填写此项', landlordName: '请填写此项', declaration: '请勾选此项', contract: '请至少上传一个文件' })
    expect(shown('en')).toMatchObject({ name: 'Enter this information', declaration: 'Tick this box to go on', contract: 'Attach at least one file' })
    const noHousing = validateAnswers(FORM, without(OWNER, 'housing'))
    expect(noHousing.ok ? null : answerMessageKey(FORM.fields.find(f => f.key === 'housing'), noHousing.fieldErrors.housing!)).toBe('validation.requiredChoice')
    expect(MESSAGES.zh.validation.requiredChoice).toBe('请选择一项')
    // the API's key is unchanged, and other messages pass through
    expect(answerMessageKey({ type: 'select' }, 'validation.option')).toBe('validation.option')
    expect(answerMessageKey(undefined, 'validation.required')).toBe('validation.required')
  })

  it('a key that is not a field of the form is refused under that key, even __proto__', () => {
    const body = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>
    const r = validateAnswers(FORM, { ...OWNER, salary: 1, ...body })
    expect(r).toEqual({ ok: false, fieldErrors: { salary: 'validation.unknownField', ['__proto__']: 'validation.unknownField' } })
    // an answer named like an Object member is not inherited from the prototype either
    expect(validateAnswers(FORM, { ...OWNER, toString: 'x' })).toEqual({ ok: false, fieldErrors: { toString: 'validation.unknownField' } })
  })

  it('normalises: strings trimmed, ID numbers and codes upper-cased', () => {
    const r = validateAnswers(FORM, { ...TENANT, name: '  张三 ', idNumber: '11010519491231002x', agentUscc: '9144030071526726xg', remarks: 'line one\r\nline two\t!\n' })
    expect(r.ok && r.value).toMatchObject({ name: '张三', idNumber: '11010519491231002X', agentUscc: '9144030071526726XG', remarks: 'line one\nline two\t!' })
    // what a phone keyboard types into a description stays: a heart with its variation selector,
    // a family emoji joined by zero-width joiners, a rare character with its variation sequence
    const typed = validateAnswers(FORM, { ...TENANT, remarks: '谢谢❤️ 👨‍👩‍👧 葛\u{E0100}' })
    expect(typed.ok && typed.value.remarks).toBe('谢谢❤️ 👨‍👩‍👧 葛\u{E0100}')
  })

  it('every type refuses its own bad values with a specific key', () => {
    const bad: [string, unknown, string][] = [
      ['name', '张'.repeat(51), 'validation.tooLong'],
      ['name', 'a\tb', 'validation.controlChars'],
      ['name', 'a\nb', 'validation.controlChars'],
      ['name', 42, 'validation.invalidType'],
      ['remarks', 'x'.repeat(2001), 'validation.tooLong'],
      ['remarks', 'bell\u0007', 'validation.controlChars'],
      ['remarks', 'bad \uD800 half', 'validation.controlChars'],
      // characters that are not what they look like: a name of only zero-width characters passed
      // "required", and a right-to-left override showed an account number reversed to the clerk
      ['name', '\u200B\u200C\u2060', 'validation.controlChars'],
      ['name', '\u3164', 'validation.controlChars'],
      ['name', '张\u202E三', 'validation.controlChars'],
      ['remarks', 'account \u202E5443322110', 'validation.controlChars'],
      ['remarks', '12\u200B34', 'validation.controlChars'],
      ['remarks', '\u3164\n\u115F', 'validation.controlChars'],
      ['idNumber', '440301199002301234', 'validation.idNumber.birthDate'],
      ['idNumber', '440301199001011235', 'validation.idNumber.checksum'],
      ['idNumber', '4403011990', 'validation.idNumber.format'],
      ['mobile', '23812345678', 'validation.mobile'],
      ['email', 'nobody', 'validation.email'],
      ['moveInDate', '2026-02-30', 'validation.date'],
      ['moveInDate', '2026/02/28', 'validation.date'],
      ['floorArea', '120', 'validation.number'],
      ['floorArea', 0.5, 'validation.tooSmall'],
      ['floorArea', 10000.5, 'validation.tooLarge'],
      ['housing', 'castle', 'validation.option'],
      ['housing', 1, 'validation.option'],
      ['channel', 'POST', 'validation.option'],
      ['declaration', 'yes', 'validation.invalidType'],
      ['photos', 'upl_0123456789abcdef', 'validation.invalidType'],
      ['photos', ['short'], 'validation.file'],
      ['photos', ['../../etc/passwd'], 'validation.file'],
      ['photos', [42], 'validation.file'],
      ['photos', ['upl_0123456789abcdef', 'upl_0123456789abcdef'], 'validation.fileDuplicate'],
      ['photos', Array.from({ length: 21 }, (_, i) => `upload-${String(i).padStart(4, '0')}`), 'validation.tooMany'],
    ]
    for (const [key, value, message] of bad) {
      expect(validateAnswers(FORM, { ...OWNER, [key]: value }), `${key} = ${JSON.stringify(value)}`).toEqual({ ok: false, fieldErrors: { [key]: message } })
    }
  })

  it('accepts the boundaries: 20 files, min and max numbers, 2000 characters of remarks, 29 Feb', () => {
    const good = {
      ...OWNER,
      photos: Array.from({ length: 20 }, (_, i) => `upload-${String(i).padStart(4, '0')}`),
      floorArea: 10000,
      remarks: '备'.repeat(2000),
      moveInDate: '2024-02-29',
    }
    expect(validateAnswers(FORM, good)).toEqual({ ok: true, value: good })
    expect(validateAnswers(FORM, { ...OWNER, floorArea: 1 }).ok).toBe(true)
  })

  it('numbers must be finite', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, true, [1]]) {
      expect(validateAnswers(FORM, { ...OWNER, floorArea: v })).toEqual({ ok: false, fieldErrors: { floorArea: 'validation.number' } })
    }
  })

  it('a value that is not an object is an error of the whole form', () => {
    for (const v of [null, undefined, 'x', 1, [OWNER], new Date()]) {
      expect(validateAnswers(FORM, v)).toEqual({ ok: false, fieldErrors: { _: 'validation.invalidType' } })
    }
  })

  it('works with the Standard Schema interface vee-validate uses, with the answer key as path', async () => {
    const schema = buildAnswersSchema(FORM)
    const result = await schema['~standard'].validate({ ...OWNER, mobile: '1' })
    expect(result.issues?.map(i => ({ path: i.path, message: i.message }))).toEqual([{ path: ['mobile'], message: 'validation.mobile' }])
  })

  it('text fields default to 200 characters, counted as people count them', () => {
    const def: FormDefinition = { version: 1, fields: [{ key: 'a', type: 'text', label: label('甲', 'A'), required: true }] }
    expect(validateAnswers(def, { a: '𠮷'.repeat(200) }).ok).toBe(true)
    expect(validateAnswers(def, { a: 'x'.repeat(201) })).toEqual({ ok: false, fieldErrors: { a: 'validation.tooLong' } })
  })

  it('a showIf on a number and on an unticked checkbox', () => {
    const def: FormDefinition = {
      version: 1,
      fields: [
        { key: 'children', type: 'number', label: label('子女数', 'Children'), required: true, min: 0, max: 20 },
        { key: 'none', type: 'text', label: label('说明', 'Note'), required: true, showIf: { field: 'children', equals: 0 } },
        { key: 'optOut', type: 'checkbox', label: label('不订阅', 'Opt out'), required: false },
        { key: 'topic', type: 'text', label: label('订阅主题', 'Topic'), required: true, showIf: { field: 'optOut', equals: false } },
      ],
    }
    expect(validateAnswers(def, { children: 2, optOut: true })).toEqual({ ok: true, value: { children: 2, optOut: true } })
    expect(validateAnswers(def, { children: 0 })).toEqual({ ok: false, fieldErrors: { none: 'validation.required', topic: 'validation.required' } })
  })

  it('survives a broken definition (cycle, dangling reference) by hiding, never looping', () => {
    const def = {
      version: 1,
      fields: [
        { key: 'a', type: 'text', label: label('甲', 'A'), required: true, showIf: { field: 'b', equals: 'x' } },
        { key: 'b', type: 'text', label: label('乙', 'B'), required: true, showIf: { field: 'a', equals: 'x' } },
        { key: 'c', type: 'text', label: label('丙', 'C'), required: true, showIf: { field: 'nowhere', equals: 'x' } },
      ],
    } as FormDefinition
    expect(validateAnswers(def, { a: 'x', b: 'x', c: 'x' })).toEqual({ ok: true, value: {} })
  })
})

describe('properties of the answers schema', () => {
  const schema = buildAnswersSchema(FORM)
  const anyValue = fc.oneof(
    fc.constant(undefined), fc.constant(null), fc.constant(''), fc.anything(), fc.string(),
    fc.constantFrom(...Object.values(TENANT), 'own', 'rent', 'post', 'counter', false, 1, 10001, '  rent  ', '2026-02-30'),
  )
  const keyOf = fc.constantFrom(...FORM.fields.map((f: FormField) => f.key), 'extra')
  // a valid application with up to three answers changed, removed or added: most stay close to valid
  const edited = fc.tuple(fc.constantFrom<Record<string, unknown>>(OWNER, TENANT), fc.array(fc.tuple(keyOf, anyValue), { maxLength: 3 }))
    .map(([start, edits]) => {
      const answers: Record<string, unknown> = { ...start }
      for (const [k, v] of edits) answers[k] = v
      return answers
    })
  const mixed = fc.oneof(fc.anything(), edited)

  it('never throws, and whatever it accepts parses again to the same value', () => {
    let accepted = 0
    fc.assert(fc.property(mixed, (input) => {
      const r = schema.safeParse(input)
      if (!r.success) {
        for (const issue of r.error.issues) expect(issue.path.length).toBeLessThanOrEqual(1)
        return
      }
      accepted++
      const again = schema.safeParse(r.data)
      expect(again.success).toBe(true)
      expect(again.data).toEqual(r.data)
      // only fields of the form, never empty values
      for (const [k, v] of Object.entries(r.data)) {
        expect(FORM.fields.some(f => f.key === k)).toBe(true)
        expect(v === '' || v === null || v === undefined).toBe(false)
      }
    }), { numRuns: 2000 })
    expect(accepted).toBeGreaterThan(100)
  })

  it('validateAnswers never throws on anything', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (input) => {
      const r = validateAnswers(FORM, input)
      expect(typeof r.ok).toBe('boolean')
    }))
  })
})

describe('validating a form definition', () => {
  it('the sample form is valid', () => {
    expect(formDefinitionProblems(FORM)).toEqual([])
    expect(formDefinitionSchema.safeParse(FORM).success).toBe(true)
  })

  const base = (fields: unknown[], extra: Record<string, unknown> = {}) => ({ version: 1, fields, ...extra })
  const t = (key: string, more: Record<string, unknown> = {}) => ({ key, type: 'text', label: label('甲', 'A'), required: false, ...more })
  const sel = (key: string, more: Record<string, unknown> = {}) => ({ ...t(key), type: 'select', options: [{ value: 'a', label: label('甲', 'A') }, { value: 'b', label: label('乙', 'B') }], ...more })
  const pathsOf = (def: unknown) => formDefinitionProblems(def).map(p => p.path)

  it.each<[string, unknown, string[]]>([
    ['version 2', { ...base([t('a')]), version: 2 }, ['version']],
    ['no fields', base([]), ['fields']],
    ['a key with a dash', base([t('first-name')]), ['fields.0.key']],
    ['a key starting with a digit', base([t('1a')]), ['fields.0.key']],
    ['a 41-character key', base([t(`a${'b'.repeat(40)}`)]), ['fields.0.key']],
    ['duplicate keys', base([t('a'), t('a')]), ['fields.1.key']],
    ['an empty English label', base([t('a', { label: label('甲', ' ') })]), ['fields.0.label.en']],
    ['an unknown type', base([t('a', { type: 'color' })]), ['fields.0.type']],
    ['an unknown property', base([t('a', { requried: true })]), ['fields.0']],
    ['a select without options', base([t('a', { type: 'select' })]), ['fields.0.options']],
    ['a select with no option', base([sel('a', { options: [] })]), ['fields.0.options']],
    ['duplicate option values', base([sel('a', { options: [{ value: 'x', label: label('甲', 'A') }, { value: 'x', label: label('乙', 'B') }] })]), ['fields.0.options.1.value']],
    ['an option value with spaces around it', base([sel('a', { options: [{ value: ' x', label: label('甲', 'A') }] })]), ['fields.0.options.0.value']],
    ['options on a text field', base([t('a', { options: [{ value: 'x', label: label('甲', 'A') }] })]), ['fields.0.options']],
    ['min on a text field', base([t('a', { min: 1 })]), ['fields.0.min']],
    ['min above max', base([t('a', { type: 'number', min: 5, max: 1 })]), ['fields.0.min']],
    ['maxLength on a date', base([t('a', { type: 'date', maxLength: 10 })]), ['fields.0.maxLength']],
    ['maxLength 0', base([t('a', { maxLength: 0 })]), ['fields.0.maxLength']],
    ['showIf on a later field', base([t('a', { showIf: { field: 'b', equals: 'x' } }), t('b')]), ['fields.0.showIf.field']],
    ['showIf on itself', base([t('a', { showIf: { field: 'a', equals: 'x' } })]), ['fields.0.showIf.field']],
    ['showIf on a missing field', base([t('a'), t('b', { showIf: { field: 'zzz', equals: 'x' } })]), ['fields.1.showIf.field']],
    ['showIf with a value that is not an option', base([sel('a'), t('b', { showIf: { field: 'a', equals: 'c' } })]), ['fields.1.showIf.equals']],
    ['showIf with a string for a checkbox', base([t('a', { type: 'checkbox' }), t('b', { showIf: { field: 'a', equals: 'true' } })]), ['fields.1.showIf.equals']],
    ['showIf on a file field', base([t('a', { type: 'file' }), t('b', { showIf: { field: 'a', equals: 'x' } })]), ['fields.1.showIf.equals']],
    ['duplicate section keys', base([t('a', { section: 's' })], { sections: [{ key: 's', title: label('甲', 'A') }, { key: 's', title: label('乙', 'B') }] }), ['sections.1.key']],
    ['a field in an unknown section', base([t('a', { section: 'nope' })], { sections: [{ key: 's', title: label('甲', 'A') }] }), ['fields.0.section']],
    ['a field without a section when there are sections', base([t('a', { section: 's' }), t('b')], { sections: [{ key: 's', title: label('甲', 'A') }] }), ['fields.1.section']],
    ['a section on a form without sections', base([t('a', { section: 's' })]), ['fields.0.section']],
    ['prefilling an ID number into a date', base([t('a', { type: 'date', prefill: 'idNumber' })]), ['fields.0.prefill']],
    ['a key named constructor', base([t('constructor')]), ['fields.0.key']],
    ['a key named toString', base([t('a'), t('toString')]), ['fields.1.key']],
    ['a key named valueOf', base([t('valueOf')]), ['fields.0.key']],
    ['a key named hasOwnProperty', base([t('hasOwnProperty')]), ['fields.0.key']],
    ['a key named __proto__', base([t('__proto__')]), ['fields.0.key']],
    ['a section key named isPrototypeOf', base([t('a', { section: 'isPrototypeOf' })], { sections: [{ key: 'isPrototypeOf', title: label('甲', 'A') }] }), ['sections.0.key']],
  ])('refuses %s', (_story, def, paths) => {
    expect(pathsOf(def)).toEqual(paths)
  })

  it('accepts the allowed variants', () => {
    expect(pathsOf(base([sel('a'), t('b', { showIf: { field: 'a', equals: 'b' } })]))).toEqual([])
    expect(pathsOf(base([t('a', { type: 'checkbox' }), t('b', { showIf: { field: 'a', equals: false } })]))).toEqual([])
    expect(pathsOf(base([t('a', { type: 'number', min: 0, max: 0 }), t('b', { showIf: { field: 'a', equals: 0 } })]))).toEqual([])
    expect(pathsOf(base([t('a', { type: 'textarea', maxLength: 5000 }), t('b', { prefill: 'name' })]))).toEqual([])
    expect(pathsOf(base([t('a', { type: 'uscc', prefill: 'orgCode' })]))).toEqual([])
  })

  it('refuses every name an object inherits as a key, and no name next to one', () => {
    for (const key of Object.getOwnPropertyNames(Object.prototype)) {
      expect(formDefinitionProblems(base([t(key)])), key).toEqual([{ path: 'fields.0.key', message: expect.stringMatching(/^manage\.formRule\.key(Reserved)?$/) }])
    }
    expect(formDefinitionProblems(base([t('toString')]))).toEqual([{ path: 'fields.0.key', message: 'manage.formRule.keyReserved' }])
    expect(pathsOf(base([t('constructors'), t('Constructor'), t('toStrings'), t('valueOf1'), t('proto')]))).toEqual([])
  })

  it('reports problems as message keys, for administrators in either language', () => {
    const problems = formDefinitionProblems(base([t('a'), t('a')]))
    expect(problems).toEqual([{ path: 'fields.1.key', message: 'manage.formRule.keyDuplicate' }])
    expect(formDefinitionProblems(null).length).toBeGreaterThan(0)
    expect(formDefinitionProblems('form').length).toBeGreaterThan(0)
  })
})
