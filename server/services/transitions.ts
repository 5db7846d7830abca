/**
 * Moving a case along the workflow (shared/utils/workflow.ts) in one write transaction: the
 * status and version checks, the new status, the event, the audit row, the applicant's notice,
 * the time limits in working days, the daily counts and the electronic result. Either all of it
 * happens or nothing does. `now` lets the demo history be generated for past dates.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { FormDefinition } from '../../shared/types/catalogue'
import { commentProblem } from '../../shared/utils/case-comment'
import { notCorrected } from '../../shared/utils/correction-check'
import { correctableFields, fieldsHeldToApplicant, materialFileField, noticeFieldKeys, paperMaterialsAskable } from '../../shared/utils/corrections'
import type { CaseOrigin } from '../../shared/utils/corrections'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { validateAnswers, visibleFields } from '../../shared/utils/form-schema'
import { allowedActions, commentRequired, DEFAULT_CORRECTION_DAYS, isAction, itemsNotNoticedBefore, MAX_CORRECTION_DAYS, MAX_EXTENSION_DAYS, MAX_SUSPENSION_DAYS, nextStatus, SUSPENSION_KINDS } from '../../shared/utils/workflow'
import type { Action, Status, Suspension, SuspensionKind } from '../../shared/utils/workflow'
import { addDays, addWorkingDays, instantCountStart, shanghaiDateOf, workingDaysBetween } from '../../shared/utils/working-days'
import { redactForLog } from '../utils/log-redaction'
import { fileAnswers, notTheApplicantErrors } from './applications'
import { writeAudit } from './audit'
import { loadCalendar, workingDaysAfter } from './calendar'
import { cappedDeadline, casePeriodReader, naturalDeadline } from './calendar-admin'
import type { Period } from './calendar-admin'
import { ACCEPTANCE_LIMIT_DAYS, countCompleted, licenceCopiesOfOthers, otherOrganizationErrors } from './case-intake'
import { caseChanged, caseInvalid, caseNotFound, CaseError, ownCaseRecusal } from './case-errors'
import { changedKeys, heldByCase, recordCorrection } from './case-corrections'
import { caseGuideMaterials, handlingDeadline, legalCapOf, naturalLimitOf } from './case-guide'
import { caseDetail, findVisibleCase, flagOf, workflowState, workflowUser } from './case-views'
import type { CaseDbRow, CaseDetail, SupplementNotice } from './case-views'
import { intakeDefinition, withApplicantAnswers } from './counter'
import { countAcceptanceDecided } from './daily-counts'
import { tellRequesterOfDecision } from './extension-notices'
import { notifyApplicant } from './notifications'
import { noticesOfStage, returnOpensStage } from './one-time-notice'
import { isOwnCase } from './recusal'
import { formVersionDefinition } from './stored-forms'
import { issueResultOnApproval } from './results'
import { copiesOfInvalidResults, maxApplicationBytes, OWN_STILL } from './uploads'

export interface TransitionInput {
  caseNo: string
  action: Action
  comment?: string | null
  version: number
  user: { id: number, role: string, departmentCode: string | null }
  /** return: what the one-time notice (一次性告知) lists, and the working days given to correct (补正期限, DEFAULT_CORRECTION_DAYS if absent) */
  supplement?: { fields: string[], materials: string[], days?: number }
  /** resubmit: corrected answers, for the fields the notice listed and those they bring up only (correctableFields) */
  answers?: Record<string, unknown>
  /** extend: by how many days (1 to MAX_EXTENSION_DAYS), in the unit of the case's limit */
  days?: number
  /** suspend: why, and the days it is expected to need, which the applicant is told (行政许可法 第四十五条) */
  suspension?: Suspension
  now?: Date
  ip?: string | null
}

/** What changes besides status and version, worked out before anything is written. */
interface Changes {
  deadline?: string
  acceptedAt?: string
  completedAt?: string
  completedDate?: string
  /** working days from receipt to completion, fixed with the calendar of the day of completion */
  handlingDays?: number
  /** the day acceptance was decided and whether after its deadline: recorded once, at the decision */
  acceptanceDate?: string
  acceptedLate?: boolean
  suspendedSince?: string | null
  suspendedDays?: number
  extendedDays?: number
  /** the day the handling period counts from (cases.handling_from) */
  handlingFrom?: string
  supplementNotice?: SupplementNotice | null
  answers?: Record<string, unknown>
  /** withdraw, lapse: the deadline the case was past when withdrawn, as supervision counted it overdue */
  withdrawnOverdue?: string
  /** lapse: the last day the notice gave to correct, which has passed */
  correctionDue?: string
  /** suspend: the written notice of why and for how long, kept on its event (case_events.notice) */
  suspension?: Suspension
  /** extend: the head of the department who extended it, by name, kept on its event (第四十二条) */
  approvedBy?: string
}

/** Applies one workflow action and returns the case as the caller now sees it. */
export function applyTransition(conn: Connection, input: TransitionInput): CaseDetail {
  const now = input.now ?? new Date()
  if (!isAction(input.action)) throw caseInvalid({ action: 'validation.option' })
  return writeTransaction(conn, () => {
    const row = findVisibleCase(conn, input.caseNo, input.user)
    if (!row) throw caseNotFound()
    if (row.version !== input.version) throw caseChanged(row)
    const to = nextStatus(row.status, input.action, row.processType, row.acceptedAt)
    if (to && isOwnCase(conn, input.user, row.applicantIdNumber)) {
      throw ownCaseRecusal()
    }
    // the same state the case's page lists the actions from: 不予受理 only while the acceptance
    // period runs, an extension only within the time limit
    const state = workflowState(row, shanghaiDateOf(now))
    if (!to || !allowedActions(state, workflowUser(conn, input.user, row.departmentCode)).includes(input.action)) {
      throw new CaseError(409, `The action ${input.action} is not possible now`, { status: row.status })
    }
    // corrections travel with a resubmission only, the one-time notice with a return only, days with an extension only
    if (input.answers && input.action !== 'resubmit') throw caseInvalid({ answers: 'case.errors.notForAction' })
    if (input.supplement && input.action !== 'return') throw caseInvalid({ supplement: 'case.errors.notForAction' })
    if (input.days !== undefined && input.action !== 'extend') throw caseInvalid({ days: 'case.errors.notForAction' })
    if (input.suspension && input.action !== 'suspend') throw caseInvalid({ suspension: 'case.errors.notForAction' })
    if (input.suspension) checkSuspension(input.suspension)
    const correctionDays = input.supplement?.days
    if (correctionDays !== undefined && !(Number.isInteger(correctionDays) && correctionDays >= 1 && correctionDays <= MAX_CORRECTION_DAYS)) {
      throw caseInvalid({ 'supplement.days': 'case.errors.correctionDays' })
    }
    if (input.action === 'extend' && input.days === undefined) throw caseInvalid({ days: 'validation.required' })
    if (input.action === 'extend' && !(Number.isInteger(input.days) && input.days! >= 1 && input.days! <= MAX_EXTENSION_DAYS)) throw caseInvalid({ days: 'case.errors.extensionDays' })
    // a reason, and a clerk's record of the applicant's request to withdraw (commentRequired)
    const problem = commentProblem(input.comment, commentRequired(input.action, input.user.role))
    if (problem) throw caseInvalid({ comment: problem })
    const comment = input.comment?.trim() || null
    const changes = changesFor(conn, row, input, comment, now)
    write(conn, row, input, to, comment, changes, now)
    const after = findVisibleCase(conn, input.caseNo, input.user)!
    return caseDetail(conn, after, input.user, now)
  })
}

function changesFor(conn: Connection, row: CaseDbRow, input: TransitionInput, comment: string | null, now: Date): Changes {
  const cal = loadCalendar(conn)
  const today = shanghaiDateOf(now)
  switch (input.action) {
    case 'accept': {
      // accepted again after corrections: the handling deadline the resubmission moved stands
      if (row.acceptedAt) return {}
      // the limit the applicant was given when the case was received, not one published since,
      // counted from acceptance; from the receipt of the materials when acceptance came too late
      const from = today > row.deadline ? receiptDay(conn, row) : today
      return { ...acceptanceDecision(conn, row, today), acceptedAt: now.toISOString(), handlingFrom: from, deadline: handlingDeadline(conn, row.caseNo, from) }
    }
    case 'refuse':
      return acceptanceDecision(conn, row, today)
    case 'suspend':
      return { suspendedSince: today, ...(input.suspension && { suspension: input.suspension }) }
    case 'resume': {
      // working days in (suspended since, today]: the days the clock stood still
      const since = row.suspendedSince ?? today
      const spent = Math.max(0, workingDaysBetween(since, today, cal))
      return { suspendedSince: null, suspendedDays: row.suspendedDays + spent, deadline: deadlineAfterPause(conn, row, { from: since, to: today }, spent, cal) }
    }
    case 'return': {
      // the one-time notice of corrections is due within the acceptance limit too (行政许可法 第三十二条):
      // one given after it is the case's late acceptance decision, and the case counts as accepted
      // on the day its materials were received. Its handling period has run since then and stops
      // now, as for any case accepted and returned: the resubmission moves the deadline by the
      // pause instead of giving a fresh acceptance period, and it can no longer be refused acceptance
      const late = returnOpensStage(row, today)
      // and it is the first notice of the stage that acceptance opens, not held to those before it
      // with the last day to correct (补正期限), counted in working days from the day after the notice
      const supplementNotice = { ...noticeFor(conn, row, input.supplement, comment ?? '', late), due: workingDaysAfter(conn, today, input.supplement?.days ?? DEFAULT_CORRECTION_DAYS) }
      // the day the clock stopped, as a suspension keeps it: a case returned when already late
      // stays overdue on supervision while it waits (supervision.ts, SUSPENDED_OVERDUE)
      const stopped = { supplementNotice, suspendedSince: today }
      if (!late) return stopped
      const from = receiptDay(conn, row)
      return { ...stopped, ...acceptanceDecision(conn, row, today), acceptedAt: now.toISOString(), handlingFrom: from, deadline: handlingDeadline(conn, row.caseNo, from) }
    }
    case 'resubmit': {
      const answers = correctedAnswers(conn, row, input, today)
      if (row.acceptedAt) return { supplementNotice: null, suspendedSince: null, answers, ...handlingAfterCorrection(conn, row, today, cal) }
      return {
        supplementNotice: null,
        suspendedSince: null,
        answers,
        // a fresh period for deciding on acceptance; an instant item is still decided the same
        // working day (the next, when it comes back after the offices close)
        deadline: row.processType === 'instant' ? workingDaysAfter(conn, instantCountStart(now), 1) : workingDaysAfter(conn, today, ACCEPTANCE_LIMIT_DAYS),
      }
    }
    case 'extend':
      // only the head of the department extends (the transition table): the approval is theirs, by name
      return { ...extension(conn, row, input.days!, cal), approvedBy: conn.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck().get(input.user.id) as string }
    case 'withdraw':
    case 'lapse': {
      // the case ends: no clock stands still any more ("clock stopped since" would stay on its page).
      // One already overdue leaves supervision's overdue list with it and is never completed: the
      // audit row says it was late (auditDetail), beside the applicant's request in the comment,
      // or, when the corrections never came (逾期未补正, 视为撤回), the day they were due by
      const { overdue } = flagOf(row.status, row.deadline, today, cal, row.suspendedSince)
      const due = input.action === 'lapse' ? (JSON.parse(row.supplementNotice!) as SupplementNotice).due : undefined
      return { suspendedSince: null, ...(overdue ? { withdrawnOverdue: row.deadline } : {}), ...(due ? { correctionDue: due } : {}) }
    }
    case 'approve':
    case 'reject': {
      const completion = { completedAt: now.toISOString(), completedDate: today, handlingDays: workingDaysBetween(row.receivedDate, today, cal) }
      // an instant item approved straight from submitted: its acceptance and its decision are one act
      return row.status === 'submitted' ? { ...acceptanceDecision(conn, row, today), ...completion } : completion
    }
    default:
      return {}
  }
}

/**
 * 延期: the deadline later by `days` of the case's own count: working days after it, or for a
 * limit counted in natural days, the count made again from acceptance with the extension in it
 * (naturalLimitOf adds the days extended, so a later pause keeps them); a promise capped by such a
 * limit (legalCapOf) has both counts extended, and is due on the earlier.
 */
function extension(conn: Connection, row: CaseDbRow, days: number, cal: ReturnType<typeof loadCalendar>): Changes {
  const natural = naturalLimitOf(conn, row.caseNo)
  const period = casePeriodReader(conn)(row.caseNo, row.processType)
  const cap = natural === null && period?.handling ? cappedCount(conn, row, period, cal) : null
  const deadline = !period?.handling
    ? workingDaysAfter(conn, row.deadline, days)
    : natural !== null
      ? naturalDeadline(period, natural + days, cal)
      : cap
        ? cappedDeadline(period, { promised: cap.promised + days, legal: cap.legal + days }, cal)
        : workingDaysAfter(conn, row.deadline, days)
  // a natural-day count whose last day had already moved past days off can end there again: an
  // extension that changes nothing would use up the one the case may have
  if (deadline <= row.deadline) throw caseInvalid({ days: 'case.errors.extensionNoLater' })
  return { extendedDays: days, deadline }
}

/** The kind and days of a suspension, as the API route checks them, for callers that bypass it. */
function checkSuspension(s: Suspension): void {
  if (!(SUSPENSION_KINDS as readonly string[]).includes(s.kind)) throw caseInvalid({ 'suspension.kind': 'validation.option' })
  if (!Number.isInteger(s.expectedDays) || s.expectedDays < 1 || s.expectedDays > MAX_SUSPENSION_DAYS) throw caseInvalid({ 'suspension.expectedDays': 'case.errors.suspensionDays' })
}

/** The reasons of a suspension as the SMS, which is Chinese only, names them. */
const SUSPENSION_KIND_NAMES: Record<SuspensionKind, string> = {
  hearing: '听证', tender: '招标', auction: '拍卖', inspection: '检验', testing: '检测', quarantine: '检疫',
  appraisal: '鉴定', expertReview: '专家评审', otherAuthority: '等待其他机关的结论',
}

/**
 * The day the materials of a case not yet accepted were received: its submission, or its last
 * resubmission after corrections asked for in time. An acceptance decided after its limit is
 * taken as made that day (行政许可法 第三十二条: 逾期不告知的，自收到申请材料之日起即为受理), so a
 * department that sits on a case cannot give itself a fresh handling period by accepting it late;
 * calendar-admin.ts (casePeriod) counts the same way when the calendar changes.
 */
function receiptDay(conn: Connection, row: CaseDbRow): string {
  const at = conn.sqlite.prepare(`SELECT at FROM case_events WHERE case_no = ? AND action IN ('submit', 'resubmit')
    ORDER BY id DESC LIMIT 1`).pluck().get(row.caseNo) as string | undefined
  return at ? shanghaiDateOf(new Date(at)) : row.receivedDate
}

/**
 * The acceptance decision (accept, refuse, an instant item approved on the spot, or a notice of
 * corrections given only after the acceptance deadline), judged against the deadline in force
 * while the case is submitted: the acceptance limit (ACCEPTANCE_LIMIT_DAYS, a fresh one after
 * corrections asked for in time before acceptance). A late one also starts the handling period on
 * the day of receipt (receiptDay), so the completion is judged as the law counts it; this records
 * the lateness of the acceptance itself, for the acceptance rate. Recorded once: a case accepted,
 * returned and accepted again (or refused then) was decided on the first time.
 */
function acceptanceDecision(conn: Connection, row: CaseDbRow, today: string): Pick<Changes, 'acceptanceDate' | 'acceptedLate'> {
  if (row.acceptedAt) return {}
  const { decided } = conn.sqlite.prepare('SELECT acceptance_date AS decided FROM cases WHERE case_no = ?').get(row.caseNo) as { decided: string | null }
  if (decided) return {}
  return { acceptanceDate: today, acceptedLate: today > row.deadline }
}

/**
 * A resubmission of a case that had been accepted before it went back for corrections: the
 * handling clock goes on where it stopped instead of a fresh period starting, and only the
 * working days the case was with the applicant, (returned, resubmitted], do not count, as with a
 * suspension. The deadline moves now, not at the next acceptance, so that while the case waits
 * to be accepted again the queue, supervision and the on-time judgement all see the real one; and
 * every round of corrections pauses the clock, also one asked for before the case is accepted again.
 * A fresh period would let a late case be made punctual by asking for one more paper.
 */
function handlingAfterCorrection(conn: Connection, row: CaseDbRow, today: string, cal: ReturnType<typeof loadCalendar>): Changes {
  const { returned } = conn.sqlite.prepare(`SELECT at AS returned FROM case_events WHERE case_no = ? AND action = 'return'
    ORDER BY id DESC LIMIT 1`).get(row.caseNo) as { returned: string }
  const from = shanghaiDateOf(new Date(returned))
  const paused = Math.max(0, workingDaysBetween(from, today, cal))
  return { deadline: deadlineAfterPause(conn, row, { from, to: today }, paused, cal), suspendedDays: row.suspendedDays + paused }
}

/**
 * An accepted case's deadline once the clock has stood still in `pause`, (from, to]: later by the
 * pause's working days, or, for a limit counted in natural days (case-guide.ts, handlingDeadline),
 * counted again from acceptance with the days of this pause and the earlier ones left out
 * (naturalDeadline), so that a week's suspension over a holiday gives the week the law leaves out
 * and a last day already moved off a weekend is not moved twice; a promise capped by such a limit,
 * both counts made again and the earlier taken (cappedDeadline). Either way the deadline is not
 * before the first working day from the pause's end. A pause that began after the deadline leaves
 * it as it was: the time had run out, and a suspension on the Saturday after a Friday deadline must
 * not make the case punctual on Monday.
 */
function deadlineAfterPause(conn: Connection, row: CaseDbRow, pause: { from: string, to: string }, workingDaysPaused: number, cal: ReturnType<typeof loadCalendar>): string {
  if (pause.from > row.deadline) return row.deadline
  const natural = row.acceptedAt ? naturalLimitOf(conn, row.caseNo) : null
  const period = row.acceptedAt ? casePeriodReader(conn)(row.caseNo, row.processType) : null
  const cap = natural === null && period?.handling ? cappedCount(conn, row, period, cal) : null
  if (!period?.handling || (natural === null && cap === null)) {
    const moved = workingDaysAfter(conn, row.deadline, workingDaysPaused)
    // never before the first working day the clock runs again, as naturalDeadline has it: a pause
    // begun on the deadline day (in time) and ended on a day off paused no working day, and would
    // leave the case overdue the moment it started again, its last day still ahead of anyone
    const restart = addWorkingDays(addDays(pause.to, -1), 1, cal)
    return moved > restart ? moved : restart
  }
  const paused = { ...period, pauses: [...period.pauses, pause] }
  return natural !== null ? naturalDeadline(paused, natural, cal) : cappedDeadline(paused, cap!, cal)
}

/**
 * The case's promise and the legal limit in natural days that caps it (legalCapOf), when its
 * deadline in force is that capped count over `period`; else null, and the deadline moves by
 * working days as any other. A case accepted before the cap was counted holds its promise's date
 * alone: counted again capped at its next pause or extension, it would move earlier (overdue the
 * moment it resumed), as the calendar's recount leaves it (calendar-admin.ts, recountHandlingDeadline).
 */
function cappedCount(conn: Connection, row: CaseDbRow, period: Period, cal: ReturnType<typeof loadCalendar>): { promised: number, legal: number } | null {
  const cap = legalCapOf(conn, row.caseNo)
  return cap && cappedDeadline(period, cap, cal) === row.deadline ? cap : null
}

/**
 * The one-time notice: every field and material to fix must belong to this case's form and to
 * the guide version it was received under (a material renamed since is asked for by the name the
 * applicant read), and every field must be one the case's answers show. A hidden field listed
 * would be shown to the applicant, answered, and dropped on resubmission as the form hides it: a
 * correction asked for that can never arrive. A material is handed in through the form's file
 * field of that name (materialFileField), which the notice then lists too, so that the applicant
 * gets its upload and may change it; a material with no such field is brought on paper to the
 * counter by a counter case's applicant (paperMaterialsAskable) and cannot be handed in online, so
 * an online case's notice refuses it rather than asking in vain, as any case's refuses one whose
 * upload the answers hide. Nor may it list the answers held to the applicant (fieldsHeldToApplicant:
 * the person's name, ID number and mobile, except on an organisation's application): a correction
 * cannot change them, and asking would spend the one-time notice on nothing.
 */
function noticeFor(conn: Connection, row: CaseDbRow, supplement: TransitionInput['supplement'], comment: string, opensStage: boolean): SupplementNotice {
  const fields = [...new Set(supplement?.fields ?? [])]
  const materials = [...new Set(supplement?.materials ?? [])]
  const form = formVersionDefinition(conn, row.formVersionId)
  const keys = new Set(form?.fields.map(f => f.key) ?? [])
  const names = new Set(caseGuideMaterials(conn, row.caseNo).map(m => m.name))
  const errors: Record<string, string> = {}
  const shown = new Set(form ? visibleFields(form, JSON.parse(row.answers) as Record<string, unknown>).map(f => f.key) : [])
  const held = fieldsHeldToApplicant(form, originOf(row))
  fields.forEach((f, i) => {
    if (!keys.has(f)) errors[`supplement.fields.${i}`] ??= 'validation.unknownField'
    else if (held.has(f)) errors[`supplement.fields.${i}`] ??= 'case.errors.fieldHeldToApplicant'
    else if (!shown.has(f)) errors[`supplement.fields.${i}`] ??= 'case.errors.fieldHidden'
  })
  materials.forEach((m, i) => {
    const upload = materialFileField(form, m)
    if (!names.has(m)) errors[`supplement.materials.${i}`] ??= 'validation.option'
    else if (!upload && !paperMaterialsAskable(row.channel)) errors[`supplement.materials.${i}`] ??= 'case.errors.materialNotOnline'
    else if (upload && !shown.has(upload.key)) errors[`supplement.materials.${i}`] ??= 'case.errors.fieldHidden'
  })
  const earlier = opensStage ? [] : noticesOfStage(conn, row)
  const fresh = earlier ? itemsNotNoticedBefore(form, earlier, { fields, materials }) : { fields: [], materials: [] }
  for (const i of fresh.fields) errors[`supplement.fields.${i}`] ??= 'case.errors.oneTimeNotice'
  for (const i of fresh.materials) errors[`supplement.materials.${i}`] ??= 'case.errors.oneTimeNotice'
  // a later return of the stage that names nothing would only restart the acceptance clock: it
  // must ask again for something the notice named (a first notice may give a reason alone)
  if (earlier?.length && !fields.length && !materials.length) errors.supplement = 'case.errors.oneTimeNoticeNothing'
  if (Object.values(errors).some(e => e === 'case.errors.oneTimeNotice' || e === 'case.errors.oneTimeNoticeNothing')) {
    throw caseInvalid(errors, 'The one-time notice was given: a return may ask again only for what it named; accept the case, or refuse it while the acceptance period runs')
  }
  if (Object.keys(errors).length) throw caseInvalid(errors)
  return { fields: noticeFieldKeys(form, { fields, materials }), materials, comment }
}

/**
 * The answers after a resubmission: only the fields the notice listed (and those they bring up)
 * may change, and the whole set is validated again with the case's own form version and held to
 * the rules of its intake, by channel: at the counter the answers naming the person must name the
 * case's applicant (a person recorded wrongly is a new case, not a correction), online those naming
 * the account holder must name them (a person's own application) and those naming the organisation
 * must name the case's. Files are held to the rules of intake too (correctedFilesErrors,
 * refuseTooLarge).
 */
function correctedAnswers(conn: Connection, row: CaseDbRow, input: TransitionInput, today: string): Record<string, unknown> | undefined {
  const notice = row.supplementNotice ? JSON.parse(row.supplementNotice) as SupplementNotice : null
  const form = formVersionDefinition(conn, row.formVersionId)
  const asked = form ? noticeFieldKeys(form, notice) : notice?.fields ?? []
  const before = JSON.parse(row.answers) as Record<string, unknown>
  const corrected = input.answers && withoutMaskedEchoes(input.answers, before)
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
  const badFiles = correctedFilesErrors(conn, form, row, input.user, corrected, result.value, today)
  if (Object.keys(badFiles).length) throw caseInvalid(badFiles)
  refuseTooLarge(conn, form, corrected, before, result.value)
  const unanswered = notCorrected(definition, originOf(row), asked, before, result.value)
  if (Object.keys(unanswered).length) throw caseInvalid(unanswered, 'The one-time notice asks for corrections this resubmission does not make')
  return result.value
}

/** How the case was received and for whom (shared/utils/corrections.ts), for the rules of a correction. */
const originOf = (row: CaseDbRow): CaseOrigin => ({ channel: row.channel, forOrganization: row.organizationId !== null })

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
function correctedFilesErrors(conn: Connection, form: FormDefinition, row: CaseDbRow, user: TransitionInput['user'], corrected: Record<string, unknown>, answers: Record<string, unknown>, today: string): Record<string, string> {
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
 * organisation's name and code; results.ts, holderOf): it has no organisation record to hold a
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

function write(conn: Connection, row: CaseDbRow, input: TransitionInput, to: Status, comment: string | null, c: Changes, now: Date): void {
  const at = now.toISOString()
  const updated = conn.sqlite.prepare(`UPDATE cases SET status = @to, version = version + 1,
      deadline = coalesce(@deadline, deadline), accepted_at = coalesce(@acceptedAt, accepted_at),
      completed_at = coalesce(@completedAt, completed_at), completed_date = coalesce(@completedDate, completed_date),
      handling_days = coalesce(@handlingDays, handling_days),
      acceptance_date = coalesce(@acceptanceDate, acceptance_date), accepted_late = coalesce(@acceptedLate, accepted_late),
      suspended_since = CASE WHEN @setSuspended THEN @suspendedSince ELSE suspended_since END,
      suspended_days = coalesce(@suspendedDays, suspended_days), extended_days = coalesce(@extendedDays, extended_days),
      handling_from = coalesce(@handlingFrom, handling_from),
      supplement_notice = CASE WHEN @setNotice THEN @notice ELSE supplement_notice END,
      answers = coalesce(@answers, answers)
    WHERE case_no = @caseNo AND version = @version`).run({
    to, caseNo: row.caseNo, version: row.version,
    deadline: c.deadline ?? null, acceptedAt: c.acceptedAt ?? null, completedAt: c.completedAt ?? null, completedDate: c.completedDate ?? null,
    handlingDays: c.handlingDays ?? null, acceptanceDate: c.acceptanceDate ?? null, acceptedLate: c.acceptedLate === undefined ? null : Number(c.acceptedLate),
    setSuspended: c.suspendedSince !== undefined ? 1 : 0, suspendedSince: c.suspendedSince ?? null, suspendedDays: c.suspendedDays ?? null, extendedDays: c.extendedDays ?? null, handlingFrom: c.handlingFrom ?? null,
    setNotice: c.supplementNotice !== undefined ? 1 : 0, notice: c.supplementNotice ? JSON.stringify(c.supplementNotice) : null,
    answers: c.answers ? JSON.stringify(c.answers) : null,
  })
  // the write lock is held, so this cannot happen; if it ever did, nothing is committed
  if (updated.changes !== 1) throw new CaseError(409, 'The case has changed since you loaded it: reload and try again')
  const notice = eventNotice(input.action, c)
  const event = conn.sqlite.prepare(`INSERT INTO case_events (case_no, at, action, from_status, to_status, actor_id, actor_role, comment, notice, deadline)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(row.caseNo, at, input.action, row.status, to, input.user.id, input.user.role, comment, notice, eventDeadline(input.action, row, c))
  // every resubmission, the applicant's online or one a clerk records at the counter, is a round
  // of corrections: what it replaced stays part of the case's record (case-corrections.ts)
  const replaced = input.action === 'resubmit' ? recordCorrection(conn, row, Number(event.lastInsertRowid), at, c.answers) : []
  // an extension answers the clerk's request for it, if one is open (extension-requests.ts)
  const request = input.action === 'extend'
    ? conn.sqlite.prepare(`UPDATE extension_requests SET outcome = 'approved', decided_by = ?, decided_at = ? WHERE case_no = ? AND outcome IS NULL
        RETURNING id, requested_by AS requestedBy`).get(input.user.id, at, row.caseNo) as { id: number, requestedBy: number } | undefined
    : undefined
  if (request) tellRequesterOfDecision(conn, { caseNo: row.caseNo, requestedBy: request.requestedBy, decidedBy: input.user.id, approved: true, deadline: c.deadline!, at })
  const detail = { ...auditDetail(row, to, comment, c, replaced), ...(request && { extensionRequest: request.id }) }
  writeAudit(conn, { actorId: input.user.id, actorRole: input.user.role, action: `case.${input.action}`, subject: row.caseNo, detail, ip: input.ip })
  const deadline = c.deadline ?? row.deadline
  let resultCode: string | null = null
  if (c.acceptanceDate) countAcceptanceDecided(conn, c.acceptanceDate, row.departmentCode, c.acceptedLate === true)
  if (to === 'approved' || to === 'rejected') {
    const day = c.completedDate!
    countCompleted(conn, day, row.departmentCode, { onTime: day <= row.deadline, handlingDays: c.handlingDays!, extended: row.extendedDays > 0 })
    if (to === 'approved') resultCode = issueResultOnApproval(conn, row, now, { id: input.user.id, role: input.user.role, ip: input.ip })
  }
  const params: Record<string, string | number> = { status: to, deadline }
  if (comment) params.comment = comment
  if (resultCode) params.resultCode = resultCode
  // a return says by when to correct; a lapse, by when it was to be
  const correctionDue = c.supplementNotice?.due ?? c.correctionDue
  if (correctionDue) params.correctionDue = correctionDue
  // a suspension with its reason and time is told with them: the SMS names the reason in Chinese
  if (c.suspension) Object.assign(params, { kind: c.suspension.kind, kindName: SUSPENSION_KIND_NAMES[c.suspension.kind], expectedDays: c.suspension.expectedDays })
  // as a return with its period to correct (returnBy: the words of a plain return stay for the
  // messages queued before periods were given, whose parameters have no day)
  const kind = c.suspension ? 'suspendFor' : c.supplementNotice?.due ? 'returnBy' : input.action
  notifyApplicant(conn, { caseNo: row.caseNo, applicantId: row.applicantId, mobile: row.applicantMobile, kind, eventId: Number(event.lastInsertRowid), params, at })
}

/**
 * What an event keeps beside its comment (case_events.notice): a return's items and the last day
 * to correct (its written notice states it), since the resubmission clears the case's notice and a
 * later return of the same stage may ask for nothing new (noticesOfStage); a suspension's reason
 * and time, as the applicant was told (第四十五条); who approved an extension (第四十二条).
 */
function eventNotice(action: Action, c: Changes): string | null {
  if (action === 'return' && c.supplementNotice) return JSON.stringify({ fields: c.supplementNotice.fields, materials: c.supplementNotice.materials, due: c.supplementNotice.due })
  if (c.suspension) return JSON.stringify({ suspension: c.suspension })
  if (c.approvedBy) return JSON.stringify({ extension: { approvedBy: c.approvedBy } })
  return null
}

/**
 * The deadline an event's written document states (case_events.deadline): the one it set, and an
 * acceptance's in any case, since its notice says by when the decision comes: accepting again after
 * corrections keeps the deadline the case has, and so does a late acceptance that sets none.
 */
function eventDeadline(action: Action, row: CaseDbRow, c: Changes): string | null {
  return c.deadline ?? (action === 'accept' ? row.deadline : null)
}

/**
 * What the tamper-evident audit log keeps of a decision: the move, and the reason, the one-time
 * notice and the materials a correction replaced where there are any, so that a reason edited later in case_events would not match it.
 */
function auditDetail(row: CaseDbRow, to: Status, comment: string | null, c: Changes, replaced: string[]): Record<string, unknown> {
  const detail: Record<string, unknown> = { from: row.status, to, version: row.version + 1 }
  // the reason as the applicant reads it stays in case_events; the audit log, kept for good and
  // read by auditors who see no ID numbers elsewhere, keeps it with ID and mobile numbers masked
  if (comment) detail.reason = redactForLog(comment, Infinity)
  if (c.supplementNotice) detail.notice = { fields: c.supplementNotice.fields, materials: c.supplementNotice.materials, due: c.supplementNotice.due }
  if (c.correctionDue) detail.correctionDue = c.correctionDue
  if (c.deadline) detail.deadline = c.deadline
  if (c.extendedDays) detail.extendedDays = c.extendedDays
  if (c.suspension) detail.suspension = c.suspension
  if (c.approvedBy) detail.approvedBy = redactForLog(c.approvedBy, Infinity)
  if (c.acceptedLate !== undefined) detail.acceptedLate = c.acceptedLate
  // a case withdrawn when overdue is in no figure afterwards (docs/cases.md): the log says it was late
  if (c.withdrawnOverdue) detail.overdue = { deadline: c.withdrawnOverdue }
  // the uploads a correction took off the case (ids, nothing personal): the chained log names them too
  if (replaced.length) detail.replacedMaterials = replaced
  return detail
}
