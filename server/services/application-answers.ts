/**
 * What an application's answers are held to before they are kept or submitted.
 *
 * A draft may be incomplete but never malformed: every key must be a field of the form, every
 * value must have the field's JSON type (text as a string, a number as a number, a checkbox as a
 * boolean, files as a list of the person's own upload ids) within the field's length, and no
 * control characters. Whether it is complete and well formed (ID checksums, options, dates,
 * required fields) is judged on submit, by the same `validateAnswers` the browser runs. Shape
 * is judged on the answer as that schema reads it (trimmed; a textarea's CR LF as LF), and that is
 * what is stored. Answers of fields hidden by showIf are dropped unread, and empty answers are not
 * stored.
 *
 * On submission, the answers that name the applicant must be the account's, and the files the
 * person's own (checkFiles).
 */
import type { Connection } from '../../db/client'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import { DEFAULT_MAX_LENGTH, MAX_FILES, normalizedAnswer, visibleFields } from '../../shared/utils/form-schema'
import type { Answers } from '../../shared/utils/form-schema'
import { hiddenCharsIn } from '../../shared/utils/validators'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { sameApplicantAnswer } from './applicant-match'
import { ApplicationError } from './application-errors'
import { licenceCopiesOfOthers, otherOrganizationErrors } from './case-intake'
import { maxApplicationBytes } from './upload-limits'
import { copiesOfInvalidResults, ownUploads } from './uploads'

const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/
/** Longest answer kept for fields without their own maxLength (a pasted essay is not an ID number). */
const OTHER_MAX = 254

function isPlainObject(v: unknown): v is Answers {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

const isEmpty = (v: unknown) => v === null || v === '' || v === undefined || (Array.isArray(v) && v.length === 0)

/** The problem of one (normalised) draft answer's shape, or null; content is checked on submit. */
export function draftValueProblem(field: FormField, v: unknown): string | null {
  switch (field.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'validation.number'
    case 'checkbox':
      return typeof v === 'boolean' ? null : 'validation.invalidType'
    case 'file':
      if (!Array.isArray(v)) return 'validation.invalidType'
      if (v.length > MAX_FILES) return 'validation.tooMany'
      return v.every(id => typeof id === 'string' && UPLOAD_ID.test(id)) ? null : 'validation.file'
    default: {
      if (typeof v !== 'string') return field.type === 'select' || field.type === 'radio' ? 'validation.option' : 'validation.invalidType'
      const max = field.type === 'text' || field.type === 'textarea' ? field.maxLength ?? DEFAULT_MAX_LENGTH[field.type] : OTHER_MAX
      if (Array.from(v).length > max) return 'validation.tooLong'
      return hiddenCharsIn(v, field.type === 'textarea') ? 'validation.controlChars' : null
    }
  }
}

/**
 * Checks draft answers (see the file comment) and returns what to store: visible, non-empty
 * answers only. Upload ownership is checked separately (`checkFiles`), as it needs the database.
 */
export function checkDraftAnswers(def: FormDefinition, answers: unknown): { ok: true, value: Answers } | { ok: false, fieldErrors: Record<string, string> } {
  if (!isPlainObject(answers)) return { ok: false, fieldErrors: { answers: 'validation.invalidType' } }
  const known = new Set(def.fields.map(f => f.key))
  const errors = new Map<string, string>()
  for (const key of Object.keys(answers)) if (!known.has(key)) errors.set(key, 'validation.unknownField')
  const out = new Map<string, unknown>()
  // a hidden field's answer is dropped unread, as the shared schema drops it: the browser may keep
  // a stale value there that the person cannot see, so cannot correct
  for (const f of visibleFields(def, answers)) {
    const v = normalizedAnswer(f, Object.hasOwn(answers, f.key) ? answers[f.key] : undefined)
    if (isEmpty(v)) continue
    const problem = draftValueProblem(f, v)
    if (problem) errors.set(f.key, problem)
    else out.set(f.key, Array.isArray(v) ? [...new Set(v)] : v)
  }
  if (errors.size) return { ok: false, fieldErrors: Object.fromEntries(errors) }
  return { ok: true, value: Object.fromEntries(out) }
}

/** The answers that name the organisation must name the one applied for (otherOrganizationErrors). */
export function refuseOtherOrganization(conn: Connection, def: FormDefinition, answers: Answers, organizationId: number | null): void {
  const errors = otherOrganizationErrors(conn, def, answers, organizationId)
  if (Object.keys(errors).length) throw new ApplicationError(400, 'An answer names another organisation than the one applied for', errors)
}

/** The profile entries an answer names the applicant by: the prefill sources withApplicantAnswers (counter.ts) holds to the applicant block. */
const APPLICANT_PREFILLS = ['name', 'idNumber', 'mobile'] as const

export type PersonOnRecord = { name: string, idNumber: string | null, mobile: string | null }

/**
 * For the person's own application (no organisation), the answers that name the applicant must
 * be the account's: the case is the account holder's (its applicant row takes the account's name
 * and ID number), so answers naming someone else would make one case about two people. The fields
 * are those the profile prefills (prefillAnswers) from the name, the ID number and the mobile, as
 * at the counter (withApplicantAnswers), by sameApplicantAnswer. Fields
 * about other people (a spouse, a child, an employee: spouseIdNumber, childName…) have no such
 * prefill and are not held to it; a contact person's (contactName, prefilled from the name) is, on
 * a person's own application, as at the counter. An application for an organisation is not held
 * to it at all: its applicant is the organisation (refuseOtherOrganization), and its contact may
 * be anyone of it. An empty answer is left to the form (required or not); an account
 * without an ID number on record cannot apply with one (`validation.noIdNumberOnRecord`), and a
 * mobile is held to the account's only when there is one on record.
 */
export function notTheApplicantErrors(def: FormDefinition, answers: Answers, person: PersonOnRecord, organizationId: number | null): Record<string, string> {
  if (organizationId !== null) return {}
  const errors: Record<string, string> = {}
  for (const f of visibleFields(def, answers)) {
    const source = APPLICANT_PREFILLS.find(p => p === f.prefill)
    if (!source || !Object.hasOwn(answers, f.key)) continue
    const given = answers[f.key]
    if (isEmpty(given)) continue
    const own = person[source]
    if (!own) {
      if (source === 'idNumber') errors[f.key] = 'validation.noIdNumberOnRecord'
      continue
    }
    if (typeof given !== 'string' || !sameApplicantAnswer(source, given, own)) errors[f.key] = 'validation.notTheApplicant'
  }
  return errors
}

/** The upload ids of every file answer, by field key. */
export function fileAnswers(def: FormDefinition, answers: Answers): [string, string[]][] {
  return def.fields.filter(f => f.type === 'file' && Array.isArray(answers[f.key]))
    .map(f => [f.key, answers[f.key] as string[]])
}

/**
 * Every file answer must name the person's own uploads, not the copy of an e-licence of another
 * holder than the application's (licenceCopiesOfOthers), and together stay within
 * APPLICATION_MAX_BYTES. Throws 400 (someone else's or unknown upload, another holder's licence) or 413.
 */
export function checkFiles(conn: Connection, userId: number, def: FormDefinition, answers: Answers, organizationId: number | null): Map<string, { size: number, createdAt: string }> {
  const files = fileAnswers(def, answers)
  const own = ownUploads(conn, userId, files.flatMap(([, ids]) => ids))
  const errors: Record<string, string> = {}
  for (const [key, ids] of files) if (ids.some(id => !own.has(id))) errors[key] = 'validation.file'
  if (Object.keys(errors).length) throw new ApplicationError(400, 'An attached file is not one of yours', errors)
  const others = licenceCopiesOfOthers(conn, [...own.keys()], organizationId)
  // not "upload it again" (validation.file): the file is theirs, but it is someone else's licence
  for (const [key, ids] of files) if (ids.some(id => others.has(id))) errors[key] = 'validation.otherHolderLicence'
  if (Object.keys(errors).length) throw new ApplicationError(400, 'An attached e-licence is another holder\'s', errors)
  const invalid = own.size ? copiesOfInvalidResults(conn, [...own.keys()], shanghaiDateOf(new Date())) : new Set<string>()
  for (const [key, ids] of files) if (ids.some(id => invalid.has(id))) errors[key] = 'validation.resultNotValid'
  if (Object.keys(errors).length) throw new ApplicationError(400, 'An attached e-licence has been revoked or has expired', errors)
  let total = 0
  for (const u of own.values()) total += u.size
  if (total > maxApplicationBytes()) {
    const tooLarge = Object.fromEntries(files.filter(([, ids]) => ids.length).map(([key]) => [key, 'validation.applicationTooLarge']))
    throw new ApplicationError(413, 'The files of this application are too large together', tooLarge)
  }
  return own
}
