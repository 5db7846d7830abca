/**
 * Zod schemas for account data. Messages are i18n keys (validation.*), never prose, so the
 * browser and the API's fieldErrors show the same text in Chinese or English.
 */
import { z } from 'zod'
import { isValidEmail, isValidMobile, normalMobile } from './contact'
import { isCommonPassword } from './common-passwords'
import { idNumberProblem, normalizeIdNumber } from './id-number'
import { maskPersonalNumbers } from './mask'
import { normalizeUscc, usccProblem } from './uscc'

/** C0 and C1 control characters, DEL, and lone surrogates (which cannot be stored as UTF-8). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Like CONTROL_CHARS but lets line feeds and tabs through, for multi-line text (answers, a clerk's reasons). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const MULTILINE_CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * For multi-line text (a textarea's answer): the invisible characters that change how a text reads,
 * not only how it is drawn: the bidirectional marks, embeddings, overrides and isolates (a bank
 * account typed after U+202E shows reversed on the clerk's screen) and the zero-width space, word
 * joiner, invisible operators and byte-order mark that hide inside a number or a name. Emoji's
 * variation selector and zero-width joiner, which phone keyboards type into a description, stay.
 */
export const MISLEADING_CHARS = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/
/** A character one can see: what a multi-line answer must have at least one of. */
const VISIBLE_CHAR = /[^\s\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u

/**
 * Whether a text answer holds characters that are not what they look like: control characters in
 * any, and in one line (a name, a bank account, an address) every invisible one, as in people's
 * names; in several lines the misleading ones, and a text of nothing visible at all. One rule for
 * the form in the browser, the draft and the submission on the server.
 */
export function hiddenCharsIn(v: string, multiline: boolean): boolean {
  if (!multiline) return CONTROL_CHARS.test(v) || INVISIBLE_CHARS.test(v)
  return MULTILINE_CONTROL_CHARS.test(v) || MISLEADING_CHARS.test(v) || (v !== '' && !VISIBLE_CHAR.test(v))
}

/** A missing value reads as "required"; a value of the wrong JSON type as "invalidType". */
const typeError = (iss: { input?: unknown }): string =>
  iss.input === undefined || iss.input === null ? 'validation.required' : 'validation.invalidType'

/** A string whose absence reads "required" and whose wrong JSON type reads "invalidType" (a body's field). */
export function typedString() {
  return z.string({ error: typeError })
}

/** A trimmed, non-empty string. */
function requiredString() {
  return typedString().trim().min(1, 'validation.required')
}

/** Length in characters as people count them (code points, so 𠮷 is one). */
const charCount = (s: string): number => Array.from(s).length

/** Adds the issue `validation.idNumber.<problem>` (format, birth date, checksum) of an ID number that is not one. */
export function refineIdNumber(v: string, ctx: z.RefinementCtx): void {
  const problem = idNumberProblem(v)
  if (problem) ctx.addIssue({ code: 'custom', message: `validation.idNumber.${problem}` })
}

/**
 * A required code typed as people type it (full-width, in groups), as `normalize` stores it. Text
 * that normalises to nothing (a zero-width space alone) is missing, not an empty code to store.
 */
function normalisedCode(normalize: (s: string) => string, refine: (v: string, ctx: z.RefinementCtx) => void) {
  return requiredString().transform(normalize).superRefine((v, ctx) => {
    if (v === '') ctx.addIssue({ code: 'custom', message: 'validation.required' })
    else refine(v, ctx)
  })
}

export const idNumberSchema = normalisedCode(normalizeIdNumber, refineIdNumber)

/**
 * A unified social credit code: normalised before it is checked and stored (normalizeUscc), so
 * ９１４４０３００ＭＡ５１００００１６ and 91440300 MA51 000016 are 91440300MA51000016, as a
 * full-width ID number is accepted.
 */
export const usccSchema = normalisedCode(normalizeUscc, (v, ctx) => {
  const problem = usccProblem(v)
  if (problem) ctx.addIssue({ code: 'custom', message: `validation.uscc.${problem}` })
})

export const mobileSchema = requiredString().transform(normalMobile).superRefine((v, ctx) => {
  if (v !== '' && !isValidMobile(v)) ctx.addIssue({ code: 'custom', message: 'validation.mobile' })
})

export const emailSchema = requiredString().max(254, 'validation.tooLong').superRefine((v, ctx) => {
  if (v !== '' && v.length <= 254 && !isValidEmail(v)) ctx.addIssue({ code: 'custom', message: 'validation.email' })
})

/**
 * Not trimmed: a password is exactly what the person typed. It must be 12 to 128 characters both
 * as typed and in its NFKC form, which is what passwords.ts hashes: one typed character can fold
 * into many (ﷺ is 18 letters), and a password of one keystroke is one keystroke to guess. The
 * common list is checked on the NFKC form: ｐａｓｓｗｏｒｄ１２３４ signs in as password1234, so it
 * is refused as that. Lengths in characters (code points), not UTF-16 units.
 */
export const passwordSchema = z.string({ error: typeError })
  .superRefine((v, ctx) => {
    // nothing typed is a missing answer, said as every other one is, not a password too short
    if (v === '') return void ctx.addIssue({ code: 'custom', message: 'validation.required' })
    const typed = Array.from(v).length
    // the typed length first: a long text is refused before it is normalised
    if (typed > 128) return void ctx.addIssue({ code: 'custom', message: 'validation.password.tooLong' })
    const hashed = v.normalize('NFKC')
    const folded = Array.from(hashed).length
    if (typed < 12 || folded < 12) ctx.addIssue({ code: 'custom', message: 'validation.password.tooShort' })
    else if (folded > 128) ctx.addIssue({ code: 'custom', message: 'validation.password.tooLong' })
    else if (isCommonPassword(hashed)) ctx.addIssue({ code: 'custom', message: 'validation.password.common' })
  })

/**
 * A password typed to prove who one is (sign-in, the current one, asked again before a sensitive
 * step): any text up to a bound, not the rules of a new password.
 */
export const enteredPasswordSchema = z.string({ error: 'validation.required' }).min(1, 'validation.required').max(256, 'validation.tooLong')

/** Signing in: both answers present, no more (the page and POST /api/auth/login). */
export const loginSchema = z.object({
  username: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(64, 'validation.tooLong'),
  password: enteredPasswordSchema,
})

/** Downloading one's data: the password again (the page and POST /api/me/data-export). */
export const dataExportSchema = z.object({ password: enteredPasswordSchema }, { error: 'validation.invalidType' })

/** Closing the account: the password again and the ticked confirmation (the page and POST /api/me/close). */
export const closeAccountSchema = z.object({
  password: enteredPasswordSchema,
  confirm: z.literal(true, { error: 'account.privacy.close.confirmRequired' }),
}, { error: 'validation.invalidType' })

/**
 * A username is shown where ID and mobile numbers are masked (the audit log, staff pages) and kept
 * when a closed account's personal data is erased, so it may not be one: people often choose their
 * mobile number. They sign in with the name they chose; nothing else about the account changes.
 */
export const usernameSchema = requiredString()
  .min(3, 'validation.tooShort')
  .max(64, 'validation.tooLong')
  .regex(/^[a-zA-Z0-9_.-]+$/, 'validation.username')
  .refine(username => maskPersonalNumbers(username) === username, 'validation.usernamePersonalNumber')

/**
 * Invisible format characters (zero-width spaces and joiners, the bidirectional overrides that
 * show 张\u202E三 as another name, the byte-order mark, the soft hyphen), line or paragraph
 * separators, and every other character Unicode says to draw as nothing (Default_Ignorable_Code_Point):
 * the blank Hangul fillers U+3164, U+115F, U+1160 and U+FFA0, which count as letters, the combining
 * grapheme joiner U+034F and the variation selectors. Also the blank symbols outside that property:
 * the braille blank U+2800 and the musical null notehead U+1D159. A name is printed on licences
 * and shown on the public verification page, where what it says must be what it looks like.
 * Private-use characters stay allowed: some rare characters of Chinese names (生僻字) are only
 * encoded there.
 */
export const INVISIBLE_CHARS = /[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u
/** A letter one can see: the blank letters above are refused before this is asked. */
const HAS_LETTER = /[\p{L}\p{Co}]/u

/** A text of 1..max characters, with a letter, without control or invisible characters (names of people and organisations). */
function nameSchema(max: number) {
  return requiredString().superRefine((v, ctx) => {
    if (v === '') return
    if (charCount(v) > max) ctx.addIssue({ code: 'custom', message: 'validation.tooLong' })
    if (CONTROL_CHARS.test(v) || INVISIBLE_CHARS.test(v)) ctx.addIssue({ code: 'custom', message: 'validation.controlChars' })
    else if (!HAS_LETTER.test(v)) ctx.addIssue({ code: 'custom', message: 'validation.nameLetters' })
  })
}

export const personNameSchema = nameSchema(50)
export const organizationNameSchema = nameSchema(100)

export const registerSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  name: personNameSchema,
  idNumber: idNumberSchema,
  mobile: mobileSchema,
  organization: z.object({
    name: organizationNameSchema,
    uscc: usccSchema,
  }, { error: 'validation.invalidType' }).optional(),
}, { error: 'validation.invalidType' })

export type RegisterInput = z.output<typeof registerSchema>

/**
 * Forgot password, step 1 (忘记密码): the ID number and mobile on record, normalised as
 * registration stores them (trimmed, a final x upper-cased), so the same person is found.
 */
export const passwordResetRequestSchema = z.object({
  idNumber: idNumberSchema,
  mobile: mobileSchema,
}, { error: 'validation.invalidType' })

/** The six digits of the SMS, as typed (spaces around them trimmed). */
export const resetCodeSchema = requiredString().regex(/^\d{6}$/, 'validation.resetCode')

/** Step 2 over the API: the same person again, the code, and a new password under the rules of any new password. */
export const passwordResetConfirmSchema = passwordResetRequestSchema.extend({
  code: resetCodeSchema,
  newPassword: passwordSchema,
})

export type PasswordResetConfirmInput = z.output<typeof passwordResetConfirmSchema>

/** Step 2 in the browser: the code and the new password typed twice (the page keeps the person from step 1). */
export const passwordResetFormSchema = z.object({
  code: resetCodeSchema,
  newPassword: passwordSchema,
  newPasswordAgain: z.string({ error: 'validation.required' }),
}).refine(v => v.newPassword === v.newPasswordAgain, { message: 'validation.password.mismatch', path: ['newPasswordAgain'] })

/**
 * Zod issues as `{ [field]: messageKey }`, the first issue per field (the API's
 * `data.fieldErrors`); nested paths are joined with '.', errors of the whole value go under '_'.
 */
export function firstErrorPerKey(error: { issues: readonly { path: readonly PropertyKey[], message: string }[] }): Record<string, string> {
  // a Map, then fromEntries: a key such as '__proto__' stays an ordinary own property
  const out = new Map<string, string>()
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_'
    if (!out.has(key)) out.set(key, issue.message)
  }
  return Object.fromEntries(out)
}
