/**
 * Reading one case as the API shows it: who may see it (ownership in the query: a case that is
 * not the caller's is simply not found), and the detail with the form version it was submitted
 * with, its materials, its history and what the caller may do next.
 */
import type { Connection } from '../../db/client'
import type { CaseRow, Role } from '../../db/schema'
import type { CaseDeadlineStatus, CaseDetail, CaseEventView, CaseMaterialView, SupplementNotice } from '../../shared/types/case'
import type { FormDefinition, FormField, ItemType } from '../../shared/types/catalogue'
import { maskIdNumber, maskMobile, maskPersonalNumbers } from '../../shared/utils/mask'
import { acceptanceOpen, allowedActions, correctionLapsed, EXTRA_ACTIONS, nextStatus } from '../../shared/utils/workflow'
import type { Action, Status, Suspension, UserForWorkflow } from '../../shared/utils/workflow'
import { deadlineStatus, shanghaiDateOf } from '../../shared/utils/working-days'
import type { DeadlineStatus } from '../../shared/utils/working-days'
import { loadCalendar } from './calendar'
import { caseCorrections } from './case-corrections'
import { DOCUMENT_OF_ACTION } from './case-documents'
import { extensionStateOf, isDepartmentHead } from './department-heads'
import { caseGuideMaterials } from './case-guide'
import { accountHolder, organizationCheck } from './legal-entities'
import type { AccountHolder } from './legal-entities'
import { isOwnCase } from './recusal'
import { organisationInAnswers } from './result-issue'
import { returnLimitOf } from './return-limit'
import { formVersionDefinition } from './stored-forms'

/** Who is asking: enough to decide visibility and the allowed actions. */
export interface CaseViewer { id: number, role: string, departmentCode: string | null }

export type { CaseDetail, CaseEventView, CaseMaterialView, SupplementNotice }

/** Raw row of `cases` as better-sqlite3 returns it (JSON columns still text). */
export type CaseDbRow = Omit<CaseRow, 'answers' | 'supplementNotice'> & { answers: string, supplementNotice: string | null }

const CASE_COLUMNS = `case_no AS caseNo, application_id AS applicationId, service_code AS serviceCode, department_code AS departmentCode,
  form_version_id AS formVersionId, applicant_id AS applicantId, organization_id AS organizationId, applicant_name AS applicantName,
  applicant_id_number AS applicantIdNumber, applicant_mobile AS applicantMobile, channel, status, version, process_type AS processType,
  answers, received_date AS receivedDate, submitted_at AS submittedAt, deadline, accepted_at AS acceptedAt, completed_at AS completedAt,
  completed_date AS completedDate, suspended_days AS suspendedDays, suspended_since AS suspendedSince, extended_days AS extendedDays,
  supplement_notice AS supplementNotice, created_by AS createdBy`

/**
 * The SQL condition (on table alias `c`) for the cases a viewer may see: a citizen their own,
 * a clerk their department's, a manager all; anyone else none.
 */
export function visibilityCondition(viewer: CaseViewer): { sql: string, params: Record<string, string | number> } {
  if (viewer.role === 'citizen') return { sql: 'c.applicant_id = :viewerId', params: { viewerId: viewer.id } }
  if (viewer.role === 'clerk' && viewer.departmentCode) return { sql: 'c.department_code = :viewerDept', params: { viewerDept: viewer.departmentCode } }
  if (viewer.role === 'manager') return { sql: '1 = 1', params: {} }
  return { sql: '1 = 0', params: {} }
}

/** The case by its number, whoever asks: for public tracking, which has checked the pair first. */
export function findCase(conn: Connection, caseNo: string): CaseDbRow | undefined {
  return conn.sqlite.prepare(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.case_no = ?`).get(caseNo) as CaseDbRow | undefined
}

/** The case if this viewer may see it, else undefined (a foreign case is indistinguishable from none). */
export function findVisibleCase(conn: Connection, caseNo: string, viewer: CaseViewer): CaseDbRow | undefined {
  const v = visibilityCondition(viewer)
  return conn.sqlite.prepare(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.case_no = :caseNo AND ${v.sql}`)
    .get({ caseNo, ...v.params }) as CaseDbRow | undefined
}

/**
 * Whether an accepted case's time limit may still be extended (延期): once only, and before its
 * deadline has passed; a suspended case is resumed first (the transition table).
 */
export function isExtendable(row: Pick<CaseDbRow, 'extendedDays' | 'deadline'>, today: string): boolean {
  return row.extendedDays === 0 && today <= row.deadline
}

/**
 * Whether the case's time limit may be extended on `today`, by whoever may (its head): the
 * transition table's row for `extend` and isExtendable. A clerk's request asks for exactly this.
 */
export function extensionPossible(row: CaseDbRow, today: string): boolean {
  return nextStatus(row.status, 'extend', row.processType, row.acceptedAt) !== null && isExtendable(row, today)
}

/**
 * The case as the workflow judges it on `today`: whether the period to decide on acceptance still
 * runs (不予受理 only then), whether its time limit may still be extended, and whether the period
 * its notice gave to correct has run out (逾期未补正 only then). The page's actions
 * and the server's check of an action (transitions.ts) both read it, so they never disagree.
 */
export function workflowState(row: CaseDbRow, today: string): CaseDbRow & { extendable: boolean, acceptanceOpen: boolean, correctionLapsed: boolean } {
  const due = row.supplementNotice ? (JSON.parse(row.supplementNotice) as SupplementNotice).due : undefined
  return { ...row, extendable: isExtendable(row, today), acceptanceOpen: acceptanceOpen(row, today), correctionLapsed: correctionLapsed({ status: row.status, supplementDue: due }, today) }
}

/**
 * The viewer as the workflow judges them: with whether they head the case's department, asked
 * only of one of its clerks (an extension is theirs to decide: department-heads.ts).
 */
export function workflowUser(conn: Connection, viewer: CaseViewer, caseDepartment: string): UserForWorkflow {
  const head = viewer.role === 'clerk' && viewer.departmentCode === caseDepartment && isDepartmentHead(conn, viewer.id, caseDepartment)
  return { id: viewer.id, role: viewer.role as Role, departmentCode: viewer.departmentCode, departmentHead: head }
}

/** What the viewer may do now: the contract's actions, and apart from them the portal's own (EXTRA_ACTIONS). */
function actionsOf(row: CaseDbRow, user: UserForWorkflow, ownCase: boolean, now: Date): { allowedActions: Action[], extraActions: Action[] } {
  const all = allowedActions(workflowState(row, shanghaiDateOf(now)), user, ownCase)
  return { allowedActions: all.filter(a => !EXTRA_ACTIONS.includes(a)), extraActions: all.filter(a => EXTRA_ACTIONS.includes(a)) }
}

/** Statuses in which the department is the one holding up the case, so its clock runs. */
export const RUNNING_STATUSES: readonly Status[] = ['submitted', 'accepted']

/** Near/overdue flag of a case today: while the department's clock runs, or suspended when already overdue. */
export function flagOf(status: string, deadline: string, today: string, cal = undefined as ReturnType<typeof loadCalendar> | undefined, suspendedSince: string | null = null): { deadlineStatus: DeadlineStatus, overdue: boolean } {
  // suspension and corrections stop the clock by law, but a case whose clock stopped when it was
  // already late stays late, as supervision counts it (supervision.ts, SUSPENDED_OVERDUE)
  if ((PAUSED_STATUSES as readonly string[]).includes(status) && suspendedSince !== null && suspendedSince > deadline) return { deadlineStatus: 'overdue', overdue: true }
  if (!(RUNNING_STATUSES as readonly string[]).includes(status)) return { deadlineStatus: 'ok', overdue: false }
  const s = deadlineStatus(deadline, today, cal)
  return { deadlineStatus: s, overdue: s === 'overdue' }
}

/**
 * Statuses in which the clock is stopped on something outside the department: the applicant's
 * corrections, or a suspension (a hearing, testing, an expert review: 行政许可法 第四十五条).
 */
export const PAUSED_STATUSES: readonly Status[] = ['supplement', 'suspended']

/** The flag of a case in a list or on its page: flagOf's, or `paused` while its clock is stopped. */
export type ListDeadlineStatus = CaseDeadlineStatus

/**
 * flagOf for the lists of cases and a case's page, which tell a stopped clock apart: while a case waits on the
 * applicant or is suspended, its stored deadline is not one it can miss. Returned before
 * acceptance it is the old acceptance deadline (the resubmission brings a fresh period), else the
 * handling deadline before the days of the stop are added on resubmission or resumption
 * (transitions.ts); shown as a date, a case returned a month ago read as long past and not late.
 * One suspended when already late stays `overdue`, as flagOf (and supervision) counts it.
 */
export function listFlagOf(status: Status, deadline: string, today: string, cal: ReturnType<typeof loadCalendar>, suspendedSince: string | null): { deadlineStatus: ListDeadlineStatus, overdue: boolean } {
  const flag = flagOf(status, deadline, today, cal, suspendedSince)
  return PAUSED_STATUSES.includes(status) && !flag.overdue ? { deadlineStatus: 'paused', overdue: false } : flag
}

interface ServiceInfo { name: string, nameEn: string, type: ItemType, deptName: string, deptNameEn: string }

/**
 * Who acts for a case's organisation, as the legal-entity check needs them: at the counter the
 * person whose ID card was seen there; online the account holder, whose ID number a verified
 * mobile proves (null: no account).
 */
function organizationActor(conn: Connection, row: CaseDbRow): AccountHolder | null {
  if (row.channel === 'counter') return { idNumber: row.applicantIdNumber, idNumberProven: true }
  return row.applicantId === null ? null : accountHolder(conn, row.applicantId)
}

/** The whole case as GET /api/cases/:caseNo answers it. */
export function caseDetail(conn: Connection, row: CaseDbRow, viewer: CaseViewer, now = new Date()): CaseDetail {
  const service = conn.sqlite.prepare(`SELECT s.name, s.name_en AS nameEn, s.type, d.name AS deptName, d.name_en AS deptNameEn
    FROM services s JOIN departments d ON d.code = ? WHERE s.code = ?`).get(row.departmentCode, row.serviceCode) as ServiceInfo
  const form = formVersionDefinition(conn, row.formVersionId)
  // a scan's name may carry the number on it (张三440301199001011234身份证.jpg): staff read it masked,
  // as they read the answers; the applicant, who named it, whole
  const fileName = (name: string) => (viewer.role === 'citizen' ? name : maskPersonalNumbers(name))
  const materials = (conn.sqlite.prepare(`SELECT m.upload_id AS uploadId, u.name, u.size, u.mime, m.field_key AS fieldKey, m.source
    FROM case_materials m JOIN uploads u ON u.id = m.upload_id WHERE m.case_no = ? ORDER BY m.field_key, u.created_at`).all(row.caseNo) as CaseMaterialView[])
    .map(m => ({ ...m, name: fileName(m.name) }))
  // a comment is shown as written to its author and to the applicant, whose case it is: to other
  // staff an ID or mobile number typed into it is masked, as in a rating's comment (a citizen's
  // reason to withdraw, a clerk's note with the applicant's phone number in it)
  const shownWhole = (authorId: number | null) => authorId === viewer.id || viewer.role === 'citizen'
  const rawEvents = conn.sqlite.prepare(`SELECT id, at, action, from_status AS "from", to_status AS "to", actor_role AS actorRole, comment, actor_id AS actorId,
      CASE WHEN action = 'suspend' THEN notice ->> '$.suspension' END AS suspension,
      CASE WHEN action = 'extend' THEN notice ->> '$.extension.approvedBy' END AS approvedBy
    FROM case_events WHERE case_no = ? ORDER BY id`).all(row.caseNo) as (Omit<CaseEventView, 'suspension' | 'approvedBy'> & { actorId: number | null, suspension: string | null, approvedBy: string | null })[]
  const events = rawEvents.map(({ actorId, suspension, approvedBy, ...e }): CaseEventView => ({
    ...e,
    ...(e.comment !== null && !shownWhole(actorId) && { comment: maskPersonalNumbers(e.comment) }),
    ...(suspension && { suspension: JSON.parse(suspension) as Suspension }),
    // who approved an extension is the department's own record, for its staff and managers
    ...(approvedBy && viewer.role !== 'citizen' && { approvedBy }),
    ...(DOCUMENT_OF_ACTION[e.action] && { document: DOCUMENT_OF_ACTION[e.action] }),
  }))
  // the notice's reason is the comment of the return that gave it
  const notice = row.supplementNotice ? JSON.parse(row.supplementNotice) as SupplementNotice : null
  const noticeAuthor = rawEvents.findLast(e => e.action === 'return')?.actorId ?? null
  // revoked said with the code: the case page's link must not read as a licence in force
  const result = conn.sqlite.prepare('SELECT code, revoked_at IS NOT NULL AS revoked FROM results WHERE case_no = ?').get(row.caseNo) as { code: string, revoked: number } | undefined
  // online: the account's organisation the application was made for; at the counter: the one its
  // answers name, whose e-licence it will be (results.ts)
  const organization = row.organizationId !== null
    ? conn.sqlite.prepare('SELECT name, uscc FROM organizations WHERE id = ?').get(row.organizationId) as { name: string, uscc: string } | undefined
    : row.channel === 'counter' ? organisationInAnswers(conn, row) ?? undefined : undefined
  // what the city's legal-entity data says of it today: whether the department should ask for an
  // authorisation (授权委托书) or the entity no longer exists
  const organizationChecked = organization && { ...organization, check: organizationCheck(conn, organization, organizationActor(conn, row)) }
  // the materials of the guide the case was received under: the one-time notice asks for them by
  // the names the applicant read, and the server holds a notice to those (case-guide.ts)
  const guideMaterials = caseGuideMaterials(conn, row.caseNo)
  const ownCase = isOwnCase(conn, viewer, row.applicantIdNumber)
  const answers = JSON.parse(row.answers) as Record<string, unknown>
  const shownAnswers = maskedAnswers(answers, form, viewer)
  const asWorkflowUser = workflowUser(conn, viewer, row.departmentCode)
  const offered = actionsOf(row, asWorkflowUser, ownCase, now)
  // the one-time notice limits what a return may ask for: read for whoever may return the case
  const returnLimitedTo = offered.allowedActions.includes('return')
    ? returnLimitOf(conn, row, shanghaiDateOf(now), form, guideMaterials.map(m => m.name))
    : null
  // a stage whose notice named nothing leaves nothing to ask again: no return is offered (the
  // server refuses one, case.errors.oneTimeNoticeNothing)
  const nothingToAsk = returnLimitedTo && !returnLimitedTo.fields.length && !returnLimitedTo.materials.length
  const actions = nothingToAsk ? { ...offered, allowedActions: offered.allowedActions.filter(a => a !== 'return') } : offered
  return {
    caseNo: row.caseNo,
    status: row.status,
    version: row.version,
    channel: row.channel,
    processType: row.processType,
    receivedDate: row.receivedDate,
    submittedAt: row.submittedAt,
    deadline: row.deadline,
    ...listFlagOf(row.status, row.deadline, shanghaiDateOf(now), loadCalendar(conn), row.suspendedSince),
    completedDate: row.completedDate,
    suspendedSince: row.suspendedSince,
    serviceCode: row.serviceCode,
    serviceName: service.name,
    serviceNameEn: service.nameEn,
    serviceType: service.type,
    department: { code: row.departmentCode, name: service.deptName, nameEn: service.deptNameEn },
    applicant: {
      name: row.applicantName,
      idNumberMasked: maskIdNumber(row.applicantIdNumber),
      mobileMasked: row.applicantMobile ? maskMobile(row.applicantMobile) : null,
    },
    organization: organizationChecked ?? null,
    answers: shownAnswers,
    maskedAnswerKeys: Object.keys(shownAnswers).filter(k => shownAnswers[k] !== answers[k]),
    form,
    serviceMaterials: guideMaterials.map(m => ({ name: m.name, required: m.required })),
    materials,
    paperMaterials: conn.sqlite.prepare('SELECT name FROM case_paper_materials WHERE case_no = ? ORDER BY rowid').pluck().all(row.caseNo) as string[],
    events,
    // the answers before each round are of the same form version, so they are masked the same way
    corrections: caseCorrections(conn, row.caseNo, answers).map(k => ({
      ...k,
      previousAnswers: maskedAnswers(k.previousAnswers, form, viewer),
      replacedMaterials: k.replacedMaterials.map(m => ({ ...m, name: fileName(m.name) })),
    })),
    supplementNotice: notice && !shownWhole(noticeAuthor) ? { ...notice, comment: maskPersonalNumbers(notice.comment) } : notice,
    extendedDays: row.extendedDays,
    // accepted once: back from corrections it is submitted again, but its handling goes on
    acceptedBefore: row.acceptedAt !== null,
    extension: extensionStateOf(conn, row.caseNo, viewer, {
      caseDepartment: row.departmentCode,
      head: asWorkflowUser.departmentHead === true,
      extendable: extensionPossible(row, shanghaiDateOf(now)),
      mayAct: !ownCase && row.applicantId !== viewer.id,
    }),
    ...actions,
    returnLimitedTo,
    ownCase,
    // the contract's `{ code }`, kept as it is; whether the licence has been revoked since, beside it
    result: result ? { code: result.code } : null,
    resultRevoked: result?.revoked === 1,
  }
}

/**
 * ID numbers and mobiles among the answers are masked like the applicant's own: the full ID
 * number is only shown on an audited reveal. For staff, so are ID and mobile numbers typed into
 * free text (a parent's residence permit number, a phone number in an address): the person who
 * wrote them reads them whole.
 */
function maskedAnswers(answers: Record<string, unknown>, form: FormDefinition | null, viewer: CaseViewer): Record<string, unknown> {
  if (!form) return answers
  const out: Record<string, unknown> = { ...answers }
  for (const f of form.fields) {
    const v = out[f.key]
    if (typeof v !== 'string') continue
    // by the field's type, or by where its answer comes from: a plain text field may be
    // prefilled with the person's ID number or mobile
    if (f.type === 'idNumber' || f.prefill === 'idNumber') out[f.key] = maskIdNumber(v)
    else if (f.type === 'mobile' || f.prefill === 'mobile') out[f.key] = maskMobile(v)
    else if (isFreeTextMasked(f, viewer)) out[f.key] = maskPersonalNumbers(v)
  }
  return out
}

const isFreeTextMasked = (f: FormField, viewer: CaseViewer) => viewer.role !== 'citizen' && (f.type === 'text' || f.type === 'textarea')
