/**
 * An administrator's guide is checked as strictly as the seed: each rule below is one way a
 * guide can be wrong, and the report names the item, the field and the rule.
 */
import { describe, expect, it } from 'vitest'
import type { SeedService } from '../../shared/types/catalogue'
import { OPTIONAL_GUIDE_KEYS } from '../../shared/types/catalogue'
import { editableOptional, guideDetails, optionalElements, tidyMaterial, withEditedOptional } from '../../shared/utils/guide-optional'
import { buildGuideSchema, fieldPath, guideProblems, guideShapeSchema, isValidPhone, workingDaysWithin } from '../../shared/utils/guide-schema'

const ctx = {
  departments: ['SZRS', 'SZGA'],
  themes: [{ code: 'employment', audience: 'person' as const }, { code: 'tax', audience: 'organization' as const }],
  existingCodes: ['SZRS-0001'],
}

function good(): SeedService {
  return {
    code: 'SZRS-9001', basicCode: '000111999000', department: 'SZRS', type: 'public_service', audience: 'person',
    name: '就业登记', nameEn: 'Employment registration', legalLimitDays: 20, promisedLimitDays: 5, processType: 'promised',
    onlineDepth: 3, suitableOnline: true, unsuitableReason: null, visits: 0, visitsReason: null,
    themes: ['employment'], keywords: ['就业'], conditions: ['在本市就业。'],
    materials: [{ name: '居民身份证', required: true, format: 'electronic', copies: 1, source: 'government' }],
    fees: [], steps: [{ name: '申请', description: '在线提交。' }], location: '市民中心', hours: '工作日 9:00-18:00',
    consultPhone: '0755-12345678', complaintPhone: '12345', legalBasis: ['《就业促进法》'], resultName: null,
    form: { version: 1, fields: [{ key: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true }] },
  }
}

const problemsOf = (patch: Record<string, unknown>) => guideProblems({ ...good(), ...patch }, ctx)
const fieldsOf = (patch: Record<string, unknown>) => problemsOf(patch).map(p => `${p.field}:${p.message}`)

describe('an administrator writing a guide', () => {
  it('has a good guide accepted, and the schema gives the seed\'s shape back', () => {
    expect(guideProblems(good(), ctx)).toEqual([])
    const parsed = buildGuideSchema(ctx).parse({ ...good(), department: { code: 'SZRS', name: '人社局' }, onlineAvailable: true })
    expect(parsed.department).toBe('SZRS')
    expect('onlineAvailable' in parsed).toBe(false)
  })

  it.each([['', 'empty'], ['有空格 1', 'spaces'], ['A'.repeat(65), 'too long'], ['a_b', 'underscore']])('has the code "%s" (%s) refused', (code) => {
    expect(fieldsOf({ code })).toContain('code:manage.rule.code')
  })

  it('cannot take a code that exists already, in any letter case', () => {
    expect(fieldsOf({ code: 'SZRS-0001' })).toContain('code:manage.rule.codeTaken')
    expect(fieldsOf({ code: 'szrs-0001' })).toContain('code:manage.rule.codeTaken')
  })

  it.each(['new', 'NEW', 'import'])('cannot take "%s", the address of a management page', (code) => {
    expect(fieldsOf({ code })).toContain('code:manage.rule.codeReserved')
  })

  it('needs both names, each at most 200 characters', () => {
    expect(fieldsOf({ name: '  ' })).toContain('name:manage.rule.required')
    expect(fieldsOf({ nameEn: 'x'.repeat(201) })).toContain('nameEn:manage.rule.tooLong')
    expect(fieldsOf({ name: 42 })).toContain('name:manage.rule.invalidType')
  })

  it('chooses type, audience, process type and depth from the lists', () => {
    expect(fieldsOf({ type: 'licence' })).toContain('type:manage.rule.enum')
    expect(fieldsOf({ audience: 'everyone' })).toContain('audience:manage.rule.enum')
    expect(fieldsOf({ processType: 'slow' })).toContain('processType:manage.rule.enum')
    expect(fieldsOf({ onlineDepth: 5 })).toContain('onlineDepth:manage.rule.depth')
  })

  it('names a department that exists', () => {
    expect(fieldsOf({ department: 'NOPE' })).toContain('department:manage.rule.departmentUnknown')
  })

  it('keeps the legal limit between 1 and 365 days, and the promised limit not above it', () => {
    expect(fieldsOf({ legalLimitDays: 0 })).toContain('legalLimitDays:manage.rule.legalLimit')
    expect(fieldsOf({ legalLimitDays: 366 })).toContain('legalLimitDays:manage.rule.legalLimit')
    expect(fieldsOf({ legalLimitDays: 2.5 })).toContain('legalLimitDays:manage.rule.integer')
    expect(fieldsOf({ promisedLimitDays: 21 })).toContain('promisedLimitDays:manage.rule.promisedAboveLegal')
    expect(fieldsOf({ promisedLimitDays: -1 })).toContain('promisedLimitDays:manage.rule.promisedLimit')
  })

  it('counts a legal limit in working days unless the guide says natural days, and keeps a promise in working days within it', () => {
    expect(fieldsOf({ legalLimitUnit: 'months' })).toContain('legalLimitUnit:manage.rule.enum')
    // 60 natural days hold 42 working days in an ordinary week's rhythm (居民身份证法: 六十日)
    expect(problemsOf({ legalLimitDays: 60, legalLimitUnit: 'natural', promisedLimitDays: 42 })).toEqual([])
    expect(fieldsOf({ legalLimitDays: 60, legalLimitUnit: 'natural', promisedLimitDays: 43 })).toEqual(['promisedLimitDays:manage.rule.promisedAboveLegalNatural'])
    // 5 natural days (劳动争议调解仲裁法: 五日) leave 3 working days to promise, not 5
    expect(fieldsOf({ legalLimitDays: 5, legalLimitUnit: 'natural', promisedLimitDays: 5 })).toEqual(['promisedLimitDays:manage.rule.promisedAboveLegalNatural'])
    expect(problemsOf({ legalLimitDays: 60, legalLimitUnit: 'working', promisedLimitDays: 60 })).toEqual([])
    // 10 natural days from a Friday end on the Monday after next: 6 working days, not 5 in every 7
    expect(workingDaysWithin(10)).toBe(6)
    expect([1, 2, 3, 7, 14, 30, 60].map(workingDaysWithin)).toEqual([1, 1, 1, 5, 10, 21, 42])
    // stated as working days it is the usual count, kept as not stated
    expect(optionalElements({ legalLimitUnit: 'working' })).toEqual({})
    expect(optionalElements({ legalLimitUnit: 'natural' })).toEqual({ legalLimitUnit: 'natural' })
    expect(editableOptional({}).legalLimitUnit).toBe('working')
  })

  it('allows a promised limit of 0 only for an instant item', () => {
    expect(fieldsOf({ promisedLimitDays: 0 })).toContain('promisedLimitDays:manage.rule.promisedZeroOnlyInstant')
    expect(problemsOf({ promisedLimitDays: 0, processType: 'instant' })).toEqual([])
  })

  it('does not promise days for an instant item, which is decided on the spot', () => {
    expect(fieldsOf({ promisedLimitDays: 15, processType: 'instant' })).toEqual(['promisedLimitDays:manage.rule.instantPromisedZero'])
  })

  it('keeps visits between 0 and 5 and gives a reason for every visit', () => {
    expect(fieldsOf({ visits: 6 })).toContain('visits:manage.rule.visits')
    expect(fieldsOf({ visits: 1, onlineDepth: 2 })).toContain('visitsReason:manage.rule.visitsReasonRequired')
    expect(problemsOf({ visits: 1, onlineDepth: 2, visitsReason: '现场核验原件' })).toEqual([])
  })

  it('allows depth Ⅳ only without any visit', () => {
    expect(fieldsOf({ onlineDepth: 4, visits: 1, visitsReason: '核验' })).toContain('onlineDepth:manage.rule.depth4NeedsNoVisit')
  })

  it('needs a reason when an item is not suitable online, and then no depth of Ⅲ or more', () => {
    const bad = fieldsOf({ suitableOnline: false })
    expect(bad).toContain('unsuitableReason:manage.rule.unsuitableReasonRequired')
    expect(bad).toContain('onlineDepth:manage.rule.unsuitableDepth')
    expect(problemsOf({ suitableOnline: false, unsuitableReason: '需现场勘验', onlineDepth: 2 })).toEqual([])
  })

  it('prints two different phone numbers in a Chinese format', () => {
    expect(fieldsOf({ consultPhone: '12345' })).toContain('complaintPhone:manage.rule.phonesSame')
    expect(fieldsOf({ consultPhone: '555-CALL' })).toContain('consultPhone:manage.rule.phone')
    for (const ok of ['0755-12345678', '075512345678', '12345', '12333', '110', '95598', '13800138000', '400-123-4567', '0755-83000000-123']) expect(isValidPhone(ok)).toBe(true)
    for (const bad of ['', '1234', '0755-123', '+86 755 1234', '23800138000']) expect(isValidPhone(bad)).toBe(false)
  })

  it('lists at least one material, with known format and source and at least one copy', () => {
    expect(fieldsOf({ materials: [] })).toContain('materials:manage.rule.materialsMin')
    const m = good().materials[0]!
    const bad = fieldsOf({ materials: [m, m, { ...m, copies: 0, format: 'fax', source: 'friend' }] })
    expect(bad).toContain('materials[2].copies:manage.rule.copies')
    expect(bad).toContain('materials[2].format:manage.rule.enum')
    expect(bad).toContain('materials[2].source:manage.rule.enum')
  })

  it('lists at least one step, condition and legal basis', () => {
    expect(fieldsOf({ steps: [] })).toContain('steps:manage.rule.stepsMin')
    expect(fieldsOf({ conditions: [] })).toContain('conditions:manage.rule.conditionsMin')
    expect(fieldsOf({ legalBasis: [] })).toContain('legalBasis:manage.rule.legalBasisMin')
    expect(fieldsOf({ steps: [{ name: '申请' }] })).toContain('steps[0].description:manage.rule.required')
  })

  it('chooses themes that exist and fit the audience', () => {
    expect(fieldsOf({ themes: ['nope'] })).toContain('themes[0]:manage.rule.themeUnknown')
    expect(fieldsOf({ themes: ['employment', 'tax'] })).toContain('themes[1]:manage.rule.themeAudience')
    expect(problemsOf({ themes: ['employment', 'tax'], audience: 'both' })).toEqual([])
  })

  it('has either no form or a valid one, its problems reported under form', () => {
    expect(problemsOf({ form: null })).toEqual([])
    const bad = fieldsOf({ form: { version: 1, fields: [{ key: 'kind', type: 'select', label: { zh: '类型', en: 'Kind' }, required: true }] } })
    expect(bad.some(f => f.startsWith('form.fields[0].options:'))).toBe(true)
    expect(fieldsOf({ form: undefined })).toContain('form:manage.rule.required')
  })

  it('reports every problem at once, including rules across fields when others are broken', () => {
    const fields = problemsOf({ name: '', promisedLimitDays: 30, visits: 2, materials: [] }).map(p => p.field)
    expect(fields).toEqual(expect.arrayContaining(['name', 'promisedLimitDays', 'visitsReason', 'materials']))
    expect(guideProblems('not a guide', ctx)).toEqual([{ code: '', field: '_', message: 'manage.rule.invalidType' }])
  })

  it('refuses keys that are not guide elements', () => {
    expect(fieldsOf({ colour: 'red' }).some(f => f.startsWith('_:') || f.startsWith('colour'))).toBe(true)
  })

  it('refuses characters drawn as nothing, which would split a word search looks for or turn a text around', () => {
    // a zero-width space: 社保卡申领 would find nothing; a right-to-left override: evil\u202Etxt.exe reads as evilexe.txt
    expect(fieldsOf({ name: '社保\u200B卡申领' })).toContain('name:manage.rule.controlChars')
    expect(fieldsOf({ materials: [{ ...good().materials[0]!, name: 'evil\u202Etxt.exe' }] })).toContain('materials[0].name:manage.rule.controlChars')
    expect(fieldsOf({ location: '市民中心\u2028B区' })).toContain('location:manage.rule.controlChars')
    expect(fieldsOf({ keywords: ['社\u00AD保'] })).toContain('keywords[0]:manage.rule.controlChars')
    expect(fieldsOf({ steps: [{ name: '申请', description: '在线\uFEFF提交。' }] })).toContain('steps[0].description:manage.rule.controlChars')
    expect(fieldsOf({ resultName: '社保卡\u200D' })).toContain('resultName:manage.rule.controlChars')
  })

  it('takes an English title only beside the Chinese one it translates, and a guide without one as before', () => {
    expect(fieldsOf({ resultName: '就业登记证明', resultNameEn: 'Employment Registration Certificate' })).toEqual([])
    expect(fieldsOf({ resultName: null, resultNameEn: 'Employment Registration Certificate' })).toEqual(['resultNameEn:manage.rule.titleEnWithoutTitle'])
    expect(fieldsOf({ resultName: '就业登记证明', resultNameEn: 'x'.repeat(201) })).toEqual(['resultNameEn:manage.rule.tooLong'])
    // what the PDF's Latin font prints: accented letters and typographic quotes, not Chinese
    expect(fieldsOf({ resultName: '就业登记证明', resultNameEn: 'Employer\u2019s Certificate – Zürich' })).toEqual([])
    expect(fieldsOf({ resultName: '就业登记证明', resultNameEn: '就业登记证明' })).toEqual(['resultNameEn:manage.rule.latinOnly'])
    // an export from before English titles has no such key, and is imported as it was
    expect(problemsOf({ resultName: '就业登记证明' })).toEqual([])
  })

  it('takes an emptied optional text as not stated, and stores it as null', () => {
    expect(problemsOf({ resultName: '', unsuitableReason: '  ', quantityLimit: '', consultAddress: '\u3000' })).toEqual([])
    const parsed = buildGuideSchema(ctx).parse({ ...good(), resultName: '', quantityLimit: ' ' })
    expect(parsed.resultName).toBeNull()
    expect(parsed.quantityLimit).toBeNull()
    // a visit still needs its reason: an empty one is no reason
    expect(fieldsOf({ visits: 1, visitsReason: '' })).toEqual(['visitsReason:manage.rule.visitsReasonRequired'])
    expect(fieldsOf({ visits: 1, visitsReason: '须现场核验原件。' })).toEqual([])
  })

  it('lists each material, step, fee and legal basis once: the notice asks for a material by its name', () => {
    const m = good().materials[0]!
    expect(fieldsOf({ materials: [m, { ...m, required: false }, { ...m, name: ' 居民身份证 ' }] }))
      .toEqual(['materials[1].name:manage.rule.duplicateEntry', 'materials[2].name:manage.rule.duplicateEntry'])
    expect(fieldsOf({ steps: [{ name: '申请', description: '在线提交。' }, { name: '申请', description: '窗口提交。' }] })).toEqual(['steps[1].name:manage.rule.duplicateEntry'])
    const fee = { name: '工本费', amount: '20元', basis: '粤价〔2004〕1号' }
    expect(fieldsOf({ fees: [fee, { ...fee, amount: '10元' }] })).toEqual(['fees[1].name:manage.rule.duplicateEntry'])
    expect(fieldsOf({ legalBasis: ['《就业促进法》', '《社会保险法》', '《就业促进法》'] })).toEqual(['legalBasis[2]:manage.rule.duplicateEntry'])
    // reported with the other problems of the same lists
    expect(fieldsOf({ materials: [m, { ...m, copies: 0 }] })).toEqual(['materials[1].copies:manage.rule.copies', 'materials[1].name:manage.rule.duplicateEntry'])
    expect(fieldsOf({ materials: [m, { ...m, name: '户口簿' }], steps: [{ name: '申请', description: '在线提交。' }, { name: '审核', description: '审核材料。' }] })).toEqual([])
  })

  it('names fields like the editor\'s inputs', () => {
    expect(fieldPath(['materials', 2, 'copies'])).toBe('materials[2].copies')
    expect(fieldPath(['form', 'fields', 0, 'showIf', 'field'])).toBe('form.fields[0].showIf.field')
  })
})

/** Every optional element of the national guide, as an administrator might state them. */
function withOptional(): SeedService {
  const g = good()
  return {
    ...g,
    materials: [{ ...g.materials[0]!, materialType: 'original' }, { name: '申请表', required: true, format: 'paper', copies: 1, source: 'applicant', materialType: 'original', paperSize: 'A4', sampleAvailable: true, blankFormAvailable: true }],
    quantityLimit: '每人限登记一次。', handlingChannels: ['online', 'counter'], resultDelivery: ['electronic', 'post'],
    reviewCriteria: ['劳动合同真实有效。'], intermediaryServices: [{ name: '职业健康检查', basis: '《职业病防治法》第三十五条' }],
    specialProcedures: [
      { name: '听证', basis: '《行政许可法》第四十六条' }, { name: '专家评审', limitDays: 10, basis: '《行政许可法》第四十五条' },
      { name: '离婚冷静期', limitDays: 30, limitUnit: 'natural', basis: '《民法典》第一千零七十七条' },
    ],
    faq: [{ question: '可以代办吗？', answer: '可以，凭委托书办理。' }],
    consultAddress: '市民中心B区咨询台', complaintAddress: '市民中心B区投诉窗口',
  }
}

describe('an administrator stating the optional elements of the national guide', () => {
  it('has a guide with every optional element accepted and kept by the schema (what an import writes)', () => {
    expect(guideProblems(withOptional(), ctx)).toEqual([])
    const parsed = buildGuideSchema(ctx).parse(withOptional())
    const { form: _f, ...expected } = withOptional()
    expect(parsed).toMatchObject(expected)
  })

  it('has a guide without them, or with them null or empty, accepted as before', () => {
    expect(guideProblems(good(), ctx)).toEqual([])
    expect(problemsOf({ quantityLimit: null, consultAddress: null, complaintAddress: null, faq: [], reviewCriteria: [], handlingChannels: [], resultDelivery: [], intermediaryServices: [], specialProcedures: [] })).toEqual([])
  })

  it('keeps every optional element a key of the schema', () => {
    for (const key of OPTIONAL_GUIDE_KEYS) expect(Object.keys(guideShapeSchema.shape)).toContain(key)
  })

  it('checks the texts and lists with the same rules as the other elements', () => {
    expect(fieldsOf({ quantityLimit: 'x'.repeat(501) })).toContain('quantityLimit:manage.rule.tooLong')
    expect(fieldsOf({ consultAddress: 42 })).toContain('consultAddress:manage.rule.invalidType')
    expect(fieldsOf({ reviewCriteria: ['a\u0007b'] })).toContain('reviewCriteria[0]:manage.rule.controlChars')
    expect(fieldsOf({ intermediaryServices: [{ name: '检测' }] })).toContain('intermediaryServices[0].basis:manage.rule.required')
    expect(fieldsOf({ faq: [{ question: '问', answer: '答', link: 'x' }] }).some(f => f.startsWith('faq[0]'))).toBe(true)
    expect(fieldsOf({ faq: Array.from({ length: 51 }, () => ({ question: '问', answer: '答' })) })).toContain('faq:manage.rule.tooMany')
  })

  it('chooses channels and deliveries from their lists, each once', () => {
    expect(fieldsOf({ resultDelivery: ['fax'] })).toContain('resultDelivery[0]:manage.rule.enum')
    expect(fieldsOf({ resultDelivery: ['post', 'post'] })).toContain('resultDelivery[1]:manage.rule.duplicate')
    expect(fieldsOf({ handlingChannels: ['online', 'counter', 'online'] })).toContain('handlingChannels[2]:manage.rule.duplicate')
  })

  it('keeps a special procedure\'s time limit, when given, between 1 and 365 days, counted in working or natural days', () => {
    const p = { name: '检验', basis: '《行政许可法》第四十五条' }
    expect(fieldsOf({ specialProcedures: [{ ...p, limitDays: 0 }] })).toContain('specialProcedures[0].limitDays:manage.rule.specialLimit')
    expect(fieldsOf({ specialProcedures: [{ ...p, limitDays: 2.5 }] })).toContain('specialProcedures[0].limitDays:manage.rule.integer')
    expect(problemsOf({ specialProcedures: [p] })).toEqual([])
    expect(problemsOf({ specialProcedures: [{ ...p, limitDays: 30, limitUnit: 'natural' }, { ...p, limitDays: 5, limitUnit: 'working' }] })).toEqual([])
    expect(fieldsOf({ specialProcedures: [{ ...p, limitDays: 30, limitUnit: 'calendar' }] })).toContain('specialProcedures[0].limitUnit:manage.rule.enum')
    // natural days of a limit the law does not fix say nothing
    expect(fieldsOf({ specialProcedures: [{ ...p, limitUnit: 'natural' }] })).toEqual(['specialProcedures[0].limitUnit:manage.rule.specialUnitWithoutLimit'])
  })

  it('describes a material as original or copy and its paper size only from the lists, and no paper size for an electronic one', () => {
    const m = good().materials[0]!
    expect(fieldsOf({ materials: [{ ...m, materialType: 'scan' }] })).toContain('materials[0].materialType:manage.rule.enum')
    expect(fieldsOf({ materials: [{ ...m, format: 'paper', paperSize: 'B5' }] })).toContain('materials[0].paperSize:manage.rule.enum')
    expect(fieldsOf({ materials: [{ ...m, sampleAvailable: 'yes' }] })).toContain('materials[0].sampleAvailable:manage.rule.invalidType')
    expect(fieldsOf({ materials: [{ ...m, paperSize: 'A4' }] })).toEqual(['materials[0].paperSize:manage.rule.paperSizeElectronic'])
    expect(problemsOf({ materials: [{ ...m, format: 'both', paperSize: 'A3', blankFormAvailable: false }] })).toEqual([])
  })

  it('lets the department obtain itself only a material a government department issues (免提交)', () => {
    const m = good().materials[0]!
    expect(problemsOf({ materials: [{ ...m, fetched: true }] })).toEqual([])
    expect(fieldsOf({ materials: [{ ...m, source: 'applicant', fetched: true }] })).toEqual(['materials[0].fetched:manage.rule.fetchedNotGovernment'])
    expect(fieldsOf({ materials: [{ ...m, source: 'intermediary', fetched: true }] })).toEqual(['materials[0].fetched:manage.rule.fetchedNotGovernment'])
    expect(fieldsOf({ materials: [{ ...m, fetched: 'yes' }] })).toContain('materials[0].fetched:manage.rule.invalidType')
  })

  it('names online as a channel only when the depth allows an online application, and always from depth Ⅲ', () => {
    expect(fieldsOf({ handlingChannels: ['counter'] })).toEqual(['handlingChannels:manage.rule.channelsDepth'])
    const depth1 = { onlineDepth: 1, suitableOnline: false, unsuitableReason: '需现场核验', visits: 1, visitsReason: '核验原件' }
    expect(fieldsOf({ ...depth1, handlingChannels: ['online', 'counter'] })).toEqual(['handlingChannels:manage.rule.channelsDepth'])
    expect(problemsOf({ ...depth1, handlingChannels: ['counter', 'post'] })).toEqual([])
    expect(problemsOf({ onlineDepth: 2, visits: 1, visitsReason: '核验原件', handlingChannels: ['online', 'counter'] })).toEqual([])
  })
})

describe('the optional elements between storage, the API and the editor', () => {
  it('leaves out what is not stated, so "not stated" has one form', () => {
    expect(optionalElements({ quantityLimit: null, faq: [], reviewCriteria: ['标准'], consultAddress: ' ' })).toEqual({ reviewCriteria: ['标准'] })
    const stored = guideDetails({ ...good(), faq: [], handlingChannels: ['online'] })
    expect(stored).toEqual({ ...pick(good(), ['conditions', 'materials', 'fees', 'steps', 'legalBasis', 'keywords']), handlingChannels: ['online'] })
  })

  it('gives the editor every list, and takes back only what the administrator left filled in', () => {
    const editing = editableOptional(withOptional())
    expect(editableOptional(good())).toMatchObject({ quantityLimit: '', faq: [], handlingChannels: [] })
    // the administrator empties the questions and the quantity limit, and clears a procedure's time limit
    const edited = { ...editing, faq: [], quantityLimit: '', specialProcedures: [{ name: '专家评审', limitDays: '' as unknown as number, basis: '《行政许可法》第四十五条' }] }
    const sent = withEditedOptional(withOptional(), edited)
    expect('faq' in sent).toBe(false)
    expect('quantityLimit' in sent).toBe(false)
    expect(sent.specialProcedures).toEqual([{ name: '专家评审', basis: '《行政许可法》第四十五条' }])
    expect(sent.reviewCriteria).toEqual(withOptional().reviewCriteria)
    expect(guideProblems(sent, ctx)).toEqual([])
  })

  it('shows a special procedure\'s unit as working days where none is stated, and stores only natural days', () => {
    const editing = editableOptional(withOptional())
    expect(editing.specialProcedures.map(p => p.limitUnit)).toEqual(['working', 'working', 'natural'])
    const sent = withEditedOptional(withOptional(), editing)
    expect(sent.specialProcedures).toEqual(withOptional().specialProcedures)
    // an import that says working days stores the same as one that says nothing
    expect(guideDetails({ ...good(), specialProcedures: [{ name: '公示', limitDays: 5, limitUnit: 'working', basis: '《办法》' }] }).specialProcedures)
      .toEqual([{ name: '公示', limitDays: 5, basis: '《办法》' }])
  })

  it('sends a material\'s requirements only when stated', () => {
    const m = good().materials[0]!
    expect(tidyMaterial({ ...m, note: ' ', paperSize: null, sampleAvailable: false, blankFormAvailable: true, fetched: false })).toEqual({ ...m, blankFormAvailable: true })
    expect(tidyMaterial({ ...m, fetched: true })).toEqual({ ...m, fetched: true })
  })
})

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map(k => [k, o[k]])) as Pick<T, K>
}
