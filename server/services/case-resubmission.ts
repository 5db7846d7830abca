/**
 * A resubmission's corrected answers, held to the one-time notice and to the rules of the case's
 * intake (online or at the counter): the fields it may change, the person and organisation the
 * answers name, the files and their total size.
 */
import type { Connection } from '../../db/client'
import type { FormDefinition } from '../../shared/types/catalogue'
import { notCorrected } from '../../shared/utils/correction-check'
import { correctableFields, noticeFieldKeys } from '../../shared/utils/corrections'
import type { CaseOrigin } from '../../shared/utils/corrections'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { validateAnswers } from '../../shared/utils/form-schema'
import { fileAnswers, notTheApplicantErrors } from './application-answers'
import { licenceCopiesOfOthers, otherOrganizationErrors } from './case-intake'
import { caseInvalid, CaseError } from './case-errors'
import { changedKeys, heldByCase } from './case-corrections'
import type { CaseDbRow, CaseViewer, SupplementNotice } from './case-views'
import { intakeDefinition, withApplicantAnswers } from './counter'
import { formVersionDefinition } from './stored-forms'
import { maxApplicationBytes } from './upload-limits'
import { copiesOfInvalidResults, OWN_STILL } from './uploads'

/**
 * The answers after a resubmission: only the fields the notice listed (and those they bring up)
 * may change, and the whole set is validated again with the case's own form version and held to
 * the rules of its intake, by channel: at the counter the answers naming the person must name the
 * case's applicant (a person recorded wrongly is a new case, not a correction), online those naming
 * the account holder must name them (a person's own application) and those naming the organisation
 * must name the case's. Files are held to the rules of intake too (correctedFilesErrors,
 * refuseTooLarge).
 */
export function correctedAnswers(conn: Connection, row: CaseDbRow, answers: Record<string, unknown> | undefined, user: CaseViewer, today: string): Record<string, unknown> | undefined {
  const notice = row.supplementNotice ? JSON.parse(row.supplementNotice) as SupplementNotice : null
  const form = formVersionDefinition(conn, row.formVersionId)
  const asked = form ? noticeFieldKeys(form, notice) : notice?.fields ?? []
  const before = JSON.parse(row.answers) as Record<string, unknown>
  const corrected = answers && withoutMaskedEchoes(answers, before)
  if (!corrected || Object.keys(corrected).length === 0) {
    const unanswered = form ? notCorrected(form, originOf(row), asked, before, before) : {}
    if (Object.keys(unanswered).length) throw caseInvalid(unanswered, 'The one-time notice asks for corrections this resubmission does not make')
    return undefined
  }
  const correctable = form ? correctableFields(form, asked) : new Set(asked)
  const errors: Record<string, string> = {}
  for (const key of Object.keys(corrected)) if (!correctable.has(key)) errors[key] = 'case.errors.notListed'
  if (Object.keys(errors).length) throw caseInvalid(errors)
  if (!form) throw caseInvalid(Object.fromEntries(Object.keys(corrected).map(k => [k, 'validation.unknownField'])))
  let merged = { ...before, ...corrected }
  if (row.channel === 'counter') {
    merged = withApplicantAnswers(form, merged, { name: row.applicantName, idNumber: row.applicantIdNumber, mobile: row.applicantMobile ?? '' })
  }
  const definition = intakeDefinition(form, row.channel, row.channel === 'counter' && askedOrganisationAtCounter(form, before) ? 'organization' : undefined)
  // judged with the form's own errors, the form's first, as at submission
  const notTheHolder = row.channel === 'online' ? notTheAccountHolderErrors(conn, form, row, before, merged) : {}
  const result = validateAnswers(definition, merged)
  if (!result.ok) throw caseInvalid({ ...notTheHolder, ...result.fieldErrors })
  if (Object.keys(notTheHolder).length) throw caseInvalid(notTheHolder, 'An answer names someone other than the account holder')
  const otherOrganization = row.channel === 'counter'
    ? counterOrganizationErrors(definition, before, result.value)
    : otherOrganizationErrors(conn, form, result.value, row.organizationId)
  if (Object.keys(otherOrganization).length) throw caseInvalid(otherOrganization, 'An answer names another organisation than the one applied for')
  const badFiles = correctedFilesErrors(conn, form, row, user, corrected, result.value, today)
  if (Object.keys(badFiles).length) throw caseInvalid(badFiles)
  refuseTooLarge(conn, form, corrected, before, result.value)
  const unanswered = notCorrected(definition, originOf(row), asked, before, result.value)
  if (Object.keys(unanswered).length) throw caseInvalid(unanswered, 'The one-time notice asks for corrections this resubmission does not make')
  return result.value
}

/** How the case was received and for whom (shared/utils/corrections.ts), for the rules of a correction. */
export const originOf = (row: CaseDbRow): CaseOrigin => ({ channel: row.channel, forOrganization: row.organizationId !== null })

/**
 * Online, the answers a correction changes that name the applicant must name the account holder,
 * by the rule of submission (notTheApplicantErrors with the account's name, ID number and mobile):
 * otherwise a notice asking to check the ID number lets one case name two people. Only the changed
 * ones: the others were judged at submission, and an error on an answer the applicant may not
 * change (a case submitted before the rule) would leave the case unable to be resubmitted.
 */
function notTheAccountHolderErrors(conn: Connection, form: FormDefinition, row: CaseDbRow, before: Record<string, unknown>, after: Record<string, unknown>): Record<string, string> {
  if (row.applicantId === null) return {}
  const holder = conn.sqlite.prepare('SELECT name, id_number AS idNumber, mobile FROM users WHERE id = ?')
    .get(row.applicantId) as Parameters<typeof notTheApplicantErrors>[2] | undefined
  if (!holder) return {}
  const changed = new Set(changedKeys(before, after))
  return Object.fromEntries(Object.entries(notTheApplicantErrors(form, after, holder, row.organizationId)).filter(([key]) => changed.has(key)))
}

/**
 * The corrected answers with any free text sent back exactly as staff were shown it (its ID and
 * mobile numbers masked, case-views.ts) taken as the record's own: a page that prefilled the masked
 * text must not overwrite the numbers with stars.
 */
function withoutMaskedEchoes(corrected: Record<string, unknown>, before: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(corrected).map(([key, value]) => {
    const kept = before[key]
    return [key, typeof value === 'string' && typeof kept === 'string' && value !== kept && maskPersonalNumbers(kept) === value ? kept : value]
  }))
}

/**
 * The problems of the corrected file answers, by field. Each file must be one this case holds
 * already (now, or replaced by an earlier round: re-attaching it shows nobody anything new) or
 * the caller's own, a staff member's only while no case of another department holds it, as at
 * counter intake (OWN_STILL): a clerk moved here cannot bring the ID-card scans of their old
 * department's cases, and the applicant of a counter case cannot attach the intake clerk's other
 * uploads. Nor the copy of another holder's e-licence, nor of one revoked or expired since the
 * copy was taken, as at submission.
 */
function correctedFilesErrors(conn: Connection, form: FormDefinition, row: CaseDbRow, user: CaseViewer, corrected: Record<string, unknown>, answers: Record<string, unknown>, today: string): Record<string, string> {
  const usable = conn.sqlite.prepare(`SELECT 1 FROM uploads u WHERE u.id = @id
    AND (${heldByCase('c.case_no = @caseNo')} OR (u.owner_id = @user AND ${OWN_STILL}))`)
  const params = { caseNo: row.caseNo, user: user.id, role: user.role, dept: user.departmentCode ?? '' }
  for (const [key, ids] of fileAnswers(form, answers)) {
    if (!Object.hasOwn(corrected, key)) continue
    if (!ids.every(id => usable.get({ ...params, id }))) return { [key]: 'validation.file' }
    if (licenceCopiesOfOthers(conn, ids, row.organizationId).size) return { [key]: 'validation.otherHolderLicence' }
    if (copiesOfInvalidResults(conn, ids, today).size) return { [key]: 'validation.resultNotValid' }
  }
  return {}
}

/**
 * The case's files as the correction leaves them, all of them, stay within maxApplicationBytes
 * together, as at submission and at counter intake (413 on the corrected file answers). Only a
 * correction that adds to the total is refused, so that a case already above the limit (lowered
 * since, or from before corrections were held to it) can still be corrected.
 */
function refuseTooLarge(conn: Connection, form: FormDefinition, corrected: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>): void {
  const total = bytesOfFiles(conn, form, after)
  if (total <= maxApplicationBytes() || total <= bytesOfFiles(conn, form, before)) return
  const keys = fileAnswers(form, after).filter(([key, ids]) => ids.length && Object.hasOwn(corrected, key)).map(([key]) => key)
  throw new CaseError(413, 'The files of this application are too large together', { fieldErrors: Object.fromEntries(keys.map(k => [k, 'validation.applicationTooLarge'])) })
}

function bytesOfFiles(conn: Connection, form: FormDefinition, answers: Record<string, unknown>): number {
  const size = conn.sqlite.prepare('SELECT size FROM uploads WHERE id = ?')
  let total = 0
  for (const id of new Set(fileAnswers(form, answers).flatMap(([, ids]) => ids))) total += (size.get(id) as { size: number } | undefined)?.size ?? 0
  return total
}

/**
 * Whether a counter case was taken in with the organisation's fields the counter adds to a form
 * that does not ask them (intakeDefinition, an item for organisations): its answers hold them, and
 * a correction is validated with them again, whatever the item's audience has become since.
 */
function askedOrganisationAtCounter(form: FormDefinition, answers: Record<string, unknown>): boolean {
  const own = new Set(form.fields.map(f => f.key))
  return intakeDefinition(form, 'counter', 'organization').fields.some(f => !own.has(f.key) && Object.hasOwn(answers, f.key))
}

/**
 * A counter case's organisation is the one its answers named at intake (the fields filled from an
 * organisation's name and code; result-issue.ts, holderOf): it has no organisation record to hold a
 * correction to, so a correction that names another company, or none, is refused
 * ('case.errors.notTheOrganization'). One named in other spacing or letter case is the same.
 */
function counterOrganizationErrors(def: FormDefinition, before: Record<string, unknown>, after: Record<string, unknown>): Record<string, string> {
  const normal = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, '').toUpperCase() : v ?? null)
  const errors: Record<string, string> = {}
  for (const f of def.fields) {
    if (f.prefill !== 'orgName' && f.prefill !== 'orgCode') continue
    const was = Object.hasOwn(before, f.key) ? before[f.key] : undefined
    if (was === undefined || was === null || was === '') continue
    if (normal(Object.hasOwn(after, f.key) ? after[f.key] : undefined) !== normal(was)) errors[f.key] = 'case.errors.notTheOrganization'
  }
  return errors
}
