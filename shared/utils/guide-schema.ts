/**
 * A whole service guide (办事指南) as an administrator writes it or an import file carries it,
 * checked as strictly as the seed: the same rules in the editor (vee-validate), in the API and
 * in the catalogue import. Messages are i18n keys (`manage.rule.*`) except the form's own
 * problems, which come from formDefinitionProblems as English sentences.
 *
 * The structural rules and the rules across fields are checked in one pass over the raw value,
 * so an import report lists every problem of an item, not only the first layer of them.
 */
import { z } from 'zod'
import type { FormDefinition, GuideOptionalElements, ResultValidity, SeedService } from '../types/catalogue'
import { AUDIENCES, HANDLING_CHANNELS, ITEM_TYPES, LIMIT_UNITS, MATERIAL_FORMATS, MATERIAL_SOURCES, MATERIAL_TYPES, PAPER_SIZES, PROCESS_TYPES, RESULT_DELIVERIES } from '../types/catalogue'
import { isValidMobile } from './contact'
import { formDefinitionProblems } from './form-definition'
import { MAX_VALIDITY_MONTHS } from './result-validity'
import { CONTROL_CHARS, INVISIBLE_CHARS } from './validators'
import { isWinAnsiText } from './win-ansi'

/** What a guide is checked against: the departments and themes that exist, codes already taken. */
export interface GuideContext {
  departments: Iterable<string>
  themes: Iterable<{ code: string, audience: 'person' | 'organization' }>
  /** codes that a new item may not take (creation); leave out when editing or importing versions */
  existingCodes?: Iterable<string>
}

export interface GuideProblem { code: string, field: string, message: string }

/** A guide once checked: the seed's shape (department by its code). */
export type GuideInput = SeedService

export const SERVICE_CODE = /^[A-Za-z0-9-]{1,64}$/

/**
 * Chinese telephone numbers as printed on guides: landlines with area code (`0755-12345678`,
 * optional extension), service hotlines (`12345`, `110`, `95598`), mobiles, and 400/800 numbers.
 */
export function isValidPhone(s: unknown): boolean {
  if (typeof s !== 'string') return false
  return /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/.test(s)
    || /^1\d{2}$|^1\d{4}$|^9[56]\d{3,6}$/.test(s)
    || isValidMobile(s)
    || /^[48]00-?\d{3}-?\d{4}$/.test(s)
}

const typeError = (iss: { input?: unknown }) =>
  iss.input === undefined || iss.input === null ? 'manage.rule.required' : 'manage.rule.invalidType'

// INVISIBLE_CHARS (validators.ts), refused in people's names, is refused in a guide's texts too:
// they split a word the search then cannot find (社保\u200B卡申领 is not 社保卡申领) or make a text
// read otherwise than it is (evil\u202Etxt.exe shows as evilexe.txt)

/**
 * A text of the guide, trimmed at both ends (spaces, U+3000, line breaks pasted from a document;
 * never inside): the output is what is stored, and a text of only spaces is an empty one.
 */
const text = (max: number) => z.string({ error: typeError })
  .trim()
  .refine(s => s !== '', 'manage.rule.required')
  .refine(s => Array.from(s).length <= max, 'manage.rule.tooLong')
  .refine(s => !CONTROL_CHARS.test(s) && !INVISIBLE_CHARS.test(s), 'manage.rule.controlChars')

/**
 * A text the guide may leave unstated: null, or a blank string as an emptied input sends it,
 * which is stored as null (as optionalElements leaves a blank element out), not refused.
 */
const optionalText = (max: number) => z.preprocess(
  v => (typeof v === 'string' && v.trim() === '' ? null : v),
  // the key left out of an import file is said as such: it is written null when there is nothing to say
  z.union([text(max), z.null()], { error: iss => (iss.input === undefined ? 'manage.rule.missingKey' : 'manage.rule.invalidType') }),
)

const int = (min: number, max: number, message: string) =>
  z.number({ error: typeError }).int('manage.rule.integer').min(min, message).max(max, message)

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: 'manage.rule.enum' })

const materialSchema = z.strictObject({
  name: text(200),
  required: z.boolean({ error: typeError }),
  format: enumOf(MATERIAL_FORMATS),
  copies: int(1, 99, 'manage.rule.copies'),
  source: enumOf(MATERIAL_SOURCES),
  note: text(500).optional(),
  materialType: enumOf(MATERIAL_TYPES).optional(),
  paperSize: z.union([enumOf(PAPER_SIZES), z.null()], { error: 'manage.rule.enum' }).optional(),
  sampleAvailable: z.boolean({ error: 'manage.rule.invalidType' }).optional(),
  blankFormAvailable: z.boolean({ error: 'manage.rule.invalidType' }).optional(),
  fetched: z.boolean({ error: 'manage.rule.invalidType' }).optional(),
}, { error: 'manage.rule.invalidType' })

const feeSchema = z.strictObject({ name: text(200), amount: text(100), basis: text(500) }, { error: 'manage.rule.invalidType' })
const stepSchema = z.strictObject({ name: text(100), description: text(2000) }, { error: 'manage.rule.invalidType' })

const list = <T extends z.ZodType>(item: T, min: number, max: number, minMessage: string) =>
  z.array(item, { error: typeError }).min(min, minMessage).max(max, 'manage.rule.tooMany')

/** A set of choices from a list: each at most once (the refinement names the repeat). */
const choices = <T extends readonly [string, ...string[]]>(values: T) =>
  list(enumOf(values), 0, values.length, 'manage.rule.required').superRefine((chosen, zctx) => {
    chosen.forEach((v, i) => {
      if (chosen.indexOf(v) !== i) zctx.addIssue({ code: 'custom', path: [i], message: 'manage.rule.duplicate', input: v })
    })
  })

const intermediarySchema = z.strictObject({ name: text(200), basis: text(500) }, { error: 'manage.rule.invalidType' })
const specialProcedureSchema = z.strictObject({
  name: text(100),
  limitDays: int(1, 365, 'manage.rule.specialLimit').optional(),
  limitUnit: enumOf(LIMIT_UNITS).optional(),
  basis: text(500),
}, { error: 'manage.rule.invalidType' })
  // a unit says how a limit is counted: natural days of a limit not fixed would say nothing
  .refine(p => p.limitUnit !== 'natural' || p.limitDays !== undefined, { path: ['limitUnit'], message: 'manage.rule.specialUnitWithoutLimit' })
const faqSchema = z.strictObject({ question: text(300), answer: text(2000) }, { error: 'manage.rule.invalidType' })

const monthsOfValidity = z.number({ error: typeError }).int('manage.rule.validityMonths')
  .min(1, 'manage.rule.validityMonths').max(MAX_VALIDITY_MONTHS, 'manage.rule.validityMonths')
const flag = z.literal(true, { error: 'manage.rule.validityKind' })
/**
 * 证照有效期 (ResultValidity): one object with exactly one of its keys. Written as one object with
 * the keys optional, not a union of four, so that a bad number of months is reported at
 * `resultValidity.months` with its own message rather than as "matches none of four shapes".
 */
export const resultValiditySchema = z.strictObject({
  months: monthsOfValidity.optional(),
  longTerm: flag.optional(),
  byIdCardAge: flag.optional(),
  byPassportAge: flag.optional(),
}, { error: 'manage.rule.invalidType' })
  .refine(v => Object.values(v).filter(x => x !== undefined).length === 1, 'manage.rule.validityKind')
  .transform(v => v as ResultValidity)

/** The optional elements (GuideOptionalElements): a key may be left out, a text null, a list empty. */
const optionalElementsShape = {
  quantityLimit: optionalText(500).optional(),
  resultDelivery: choices(RESULT_DELIVERIES).optional(),
  handlingChannels: choices(HANDLING_CHANNELS).optional(),
  intermediaryServices: list(intermediarySchema, 0, 20, 'manage.rule.required').optional(),
  specialProcedures: list(specialProcedureSchema, 0, 20, 'manage.rule.required').optional(),
  reviewCriteria: list(text(1000), 0, 50, 'manage.rule.required').optional(),
  faq: list(faqSchema, 0, 50, 'manage.rule.required').optional(),
  consultAddress: optionalText(300).optional(),
  complaintAddress: optionalText(300).optional(),
  legalLimitUnit: enumOf(LIMIT_UNITS).optional(),
  // the item's licence replaces the holder's earlier one of its title (results.ts); false is "not stated"
  resultReplacesEarlier: z.boolean({ error: 'manage.rule.invalidType' }).optional(),
  resultValidity: resultValiditySchema.optional(),
} satisfies Record<keyof GuideOptionalElements, z.ZodType>

/** The department as the seed writes it (a code) or as the API returns it (`{ code, name }`). */
const departmentSchema = z.union([
  z.string(),
  z.object({ code: z.string() }).transform(d => d.code),
], { error: 'manage.rule.department' })

/** The guide's shape, field by field; the rules across fields are in `crossProblems`. */
export const guideShapeSchema = z.strictObject({
  code: z.string({ error: typeError }).regex(SERVICE_CODE, 'manage.rule.code'),
  basicCode: text(64),
  name: text(200),
  nameEn: text(200),
  department: departmentSchema,
  type: enumOf(ITEM_TYPES),
  audience: enumOf(AUDIENCES),
  processType: enumOf(PROCESS_TYPES),
  onlineDepth: int(1, 4, 'manage.rule.depth'),
  // derived from depth and form; an export carries it, an import ignores it
  onlineAvailable: z.boolean().optional(),
  suitableOnline: z.boolean({ error: typeError }),
  unsuitableReason: optionalText(500),
  visits: int(0, 5, 'manage.rule.visits'),
  visitsReason: optionalText(500),
  legalLimitDays: int(1, 365, 'manage.rule.legalLimit'),
  promisedLimitDays: int(0, 365, 'manage.rule.promisedLimit'),
  themes: list(z.string({ error: 'manage.rule.invalidType' }), 0, 10, 'manage.rule.required'),
  keywords: list(text(50), 0, 50, 'manage.rule.required'),
  conditions: list(text(1000), 1, 50, 'manage.rule.conditionsMin'),
  materials: list(materialSchema, 1, 100, 'manage.rule.materialsMin'),
  fees: list(feeSchema, 0, 50, 'manage.rule.required'),
  steps: list(stepSchema, 1, 50, 'manage.rule.stepsMin'),
  location: text(300),
  hours: text(200),
  consultPhone: z.string({ error: typeError }).refine(isValidPhone, 'manage.rule.phone'),
  complaintPhone: z.string({ error: typeError }).refine(isValidPhone, 'manage.rule.phone'),
  legalBasis: list(text(500), 1, 50, 'manage.rule.legalBasisMin'),
  resultName: optionalText(200),
  // added after the export format was in use: a file without it is read as having none
  resultNameEn: optionalText(200).optional(),
  // checked by formDefinitionProblems in crossProblems, so its report uses the form's own words
  form: z.custom<FormDefinition | null>(v => v !== undefined, { error: 'manage.rule.required' }),
  ...optionalElementsShape,
}, { error: 'manage.rule.invalidType' })

type Path = (string | number)[]
interface RawProblem { path: Path, message: string }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')

/** Items in one import; a larger catalogue is exported and imported by department (`?dept=`). */
export const IMPORT_MAX_ITEMS = 5000

/** Codes that name pages of the catalogue's management (/manage/catalogue/new, …/import), not items. */
const RESERVED_CODES = new Set(['new', 'import'])

/**
 * The working days a legal limit of `naturalDays` surely leaves in ordinary weeks, whatever day it
 * starts: the fewest Monday-to-Friday days in (start, start + n], a last day on a weekend moving to
 * the Monday (民法典 第二百零三条), at least 1. A promise in working days beyond it would outrun the
 * law (10 natural days from a Friday hold 6, not the 7 of five in every seven). Holidays make the
 * true figure smaller still.
 */
export function workingDaysWithin(naturalDays: number): number {
  let fewest = Number.POSITIVE_INFINITY
  for (let start = 0; start < 7; start++) { // 0 = Monday
    let working = 0
    for (let day = 1; day <= naturalDays; day++) if ((start + day) % 7 < 5) working += 1
    if ((start + naturalDays) % 7 >= 5) working += 1 // the limit ends on the Monday after
    fewest = Math.min(fewest, working)
  }
  return Math.max(1, fewest)
}

/** Limits, visits and suitability: rules between fields of the guide itself. */
function ruleProblems(g: Record<string, unknown>): RawProblem[] {
  const out: RawProblem[] = []
  const add = (field: string, message: string) => out.push({ path: [field], message })
  const { legalLimitDays: legal, promisedLimitDays: promised, visits, onlineDepth: depth } = g
  if (isInt(legal) && isInt(promised) && promised > legal) add('promisedLimitDays', 'manage.rule.promisedAboveLegal')
  else if (isInt(legal) && isInt(promised) && g.legalLimitUnit === 'natural' && promised > workingDaysWithin(legal)) add('promisedLimitDays', 'manage.rule.promisedAboveLegalNatural')
  if (promised === 0 && g.processType === 'promised') add('promisedLimitDays', 'manage.rule.promisedZeroOnlyInstant')
  // an instant item (即办件) is decided on the spot: a promised limit of days would contradict the guide's "same day"
  if (isInt(promised) && promised !== 0 && g.processType === 'instant') add('promisedLimitDays', 'manage.rule.instantPromisedZero')
  if (typeof g.code === 'string' && RESERVED_CODES.has(g.code.toLowerCase())) add('code', 'manage.rule.codeReserved')
  if (isInt(visits) && visits > 0 && blank(g.visitsReason)) add('visitsReason', 'manage.rule.visitsReasonRequired')
  if (depth === 4 && isInt(visits) && visits !== 0) add('onlineDepth', 'manage.rule.depth4NeedsNoVisit')
  if (g.suitableOnline === false) {
    if (blank(g.unsuitableReason)) add('unsuitableReason', 'manage.rule.unsuitableReasonRequired')
    if (isInt(depth) && depth >= 3) add('onlineDepth', 'manage.rule.unsuitableDepth')
  }
  // an English title names the licence the Chinese title names; without one there is no licence to name
  if (!blank(g.resultNameEn) && blank(g.resultName)) add('resultNameEn', 'manage.rule.titleEnWithoutTitle')
  // the e-licence prints it in a Latin font: a character it lacks would print as "?"
  if (typeof g.resultNameEn === 'string' && !isWinAnsiText(g.resultNameEn)) add('resultNameEn', 'manage.rule.latinOnly')
  if (typeof g.consultPhone === 'string' && g.consultPhone === g.complaintPhone) add('complaintPhone', 'manage.rule.phonesSame')
  if (g.form !== null && g.form !== undefined) {
    for (const p of formDefinitionProblems(g.form)) out.push({ path: ['form', ...formPath(p.path)], message: p.message })
  }
  return out
}

/** The optional elements against the rest of the guide. */
function optionalProblems(g: Record<string, unknown>): RawProblem[] {
  const out: RawProblem[] = []
  // a paper size on a material handed in only electronically would send applicants to a printer for nothing
  if (Array.isArray(g.materials)) {
    g.materials.forEach((m: unknown, i) => {
      if (isRecord(m) && m.format === 'electronic' && typeof m.paperSize === 'string') out.push({ path: ['materials', i, 'paperSize'], message: 'manage.rule.paperSizeElectronic' })
      // what the applicant or an agency writes exists nowhere a department could fetch it from
      if (isRecord(m) && m.fetched === true && m.source !== 'government') out.push({ path: ['materials', i, 'fetched'], message: 'manage.rule.fetchedNotGovernment' })
    })
  }
  // 网上办理 as a channel promises an online application: not at depth Ⅰ (information only), and depth Ⅲ–Ⅳ items must name it
  const channels = g.handlingChannels
  if (Array.isArray(channels) && channels.length > 0 && isInt(g.onlineDepth)) {
    const online = channels.includes('online')
    if ((online && g.onlineDepth < 2) || (!online && g.onlineDepth >= 3)) out.push({ path: ['handlingChannels'], message: 'manage.rule.channelsDepth' })
  }
  // a validity says how long the item's licence lasts: an item that issues none has nothing to last
  if (isRecord(g.resultValidity) && blank(g.resultName)) out.push({ path: ['resultValidity'], message: 'manage.rule.validityWithoutResult' })
  // an organisation has no age: its licence would get the default, which the guide did not mean
  else if (isRecord(g.resultValidity) && g.audience === 'organization' && ('byIdCardAge' in g.resultValidity || 'byPassportAge' in g.resultValidity)) {
    out.push({ path: ['resultValidity'], message: 'manage.rule.validityAgeOrganization' })
  }
  return out
}

/**
 * Entries of a list that repeat an earlier one, compared as stored (trimmed): a material's name
 * is how the one-time notice (一次性告知) asks for it, so two of one name could not be told
 * apart; a step, fee or legal basis listed twice is a copying slip the applicant would read.
 */
function repeatProblems(g: Record<string, unknown>): RawProblem[] {
  const out: RawProblem[] = []
  const lists: [string, string | null][] = [['materials', 'name'], ['steps', 'name'], ['fees', 'name'], ['legalBasis', null]]
  for (const [list, key] of lists) {
    const entries = g[list]
    if (!Array.isArray(entries)) continue
    const seen = new Set<string>()
    entries.forEach((entry: unknown, i) => {
      const v = key === null ? entry : isRecord(entry) ? entry[key] : undefined
      if (typeof v !== 'string' || v.trim() === '') return
      const name = v.trim()
      if (seen.has(name)) out.push({ path: key === null ? [list, i] : [list, i, key], message: 'manage.rule.duplicateEntry' })
      seen.add(name)
    })
  }
  return out
}

/** Department, themes and code against what exists. */
function contextProblems(g: Record<string, unknown>, ctx: GuideContext): RawProblem[] {
  const out: RawProblem[] = []
  const dept = typeof g.department === 'string' ? g.department : isRecord(g.department) ? g.department.code : undefined
  if (typeof dept === 'string' && !new Set(ctx.departments).has(dept)) out.push({ path: ['department'], message: dept ? 'manage.rule.departmentUnknown' : 'manage.rule.required' })
  // codes differ by more than letter case: szrs-0001 beside SZRS-0001 would be two items people cannot tell apart
  if (ctx.existingCodes && typeof g.code === 'string' && new Set([...ctx.existingCodes].map(c => c.toLowerCase())).has(g.code.toLowerCase())) out.push({ path: ['code'], message: 'manage.rule.codeTaken' })
  if (Array.isArray(g.themes)) {
    const themes = new Map([...ctx.themes].map(t => [t.code, t.audience]))
    const seen = new Set<unknown>()
    g.themes.forEach((code: unknown, i) => {
      if (typeof code !== 'string') return
      const audience = themes.get(code)
      if (!audience) out.push({ path: ['themes', i], message: 'manage.rule.themeUnknown' })
      else if (g.audience !== 'both' && typeof g.audience === 'string' && audience !== g.audience) out.push({ path: ['themes', i], message: 'manage.rule.themeAudience' })
      if (seen.has(code)) out.push({ path: ['themes', i], message: 'manage.rule.duplicate' })
      seen.add(code)
    })
  }
  return out
}

function allProblems(raw: unknown, ctx?: GuideContext): RawProblem[] {
  const shape = guideShapeSchema.safeParse(raw)
  const out: RawProblem[] = shape.success
    ? []
    : shape.error.issues.flatMap((i) => {
        const path = i.path.map(p => (typeof p === 'number' ? p : String(p)))
        // a key the guide has no such field for (a column added by hand, a typo): named, one problem each
        if (i.code === 'unrecognized_keys') return i.keys.map(key => ({ path: [...path, key], message: 'manage.rule.unknownKey' }))
        return [{ path, message: i.message }]
      })
  if (!isRecord(raw)) return out
  out.push(...ruleProblems(raw), ...optionalProblems(raw), ...repeatProblems(raw))
  if (ctx) out.push(...contextProblems(raw, ctx))
  return out
}

/** A formDefinitionProblems path (`fields.2.options`) as path segments, indices as numbers. */
export function formPath(path: string): (string | number)[] {
  return path.split('.').filter(Boolean).map(s => (/^\d+$/.test(s) ? Number(s) : s))
}

/** `['materials', 2, 'copies']` → `materials[2].copies`, as the editor names its inputs. */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '')
}

/**
 * The zod schema of a whole guide, with every rule (and the context's, when given). Its output
 * is the seed's shape: `department` as a code, `onlineAvailable` dropped.
 */
export function buildGuideSchema(ctx?: GuideContext) {
  return z.unknown().transform((raw, zctx): GuideInput => {
    const problems = allProblems(raw, ctx)
    for (const p of problems) zctx.addIssue({ code: 'custom', path: p.path, message: p.message, input: raw })
    if (problems.length) return z.NEVER
    const { onlineAvailable: _derived, ...guide } = guideShapeSchema.parse(raw)
    return guide as GuideInput
  })
}

/** Every problem of a guide as `{ code, field: 'materials[2].copies', message }`; empty when valid. */
export function guideProblems(guide: unknown, ctx: GuideContext): GuideProblem[] {
  const code = isRecord(guide) && typeof guide.code === 'string' ? guide.code : ''
  return allProblems(guide, ctx).map(p => ({ code, field: fieldPath(p.path) || '_', message: p.message }))
}
