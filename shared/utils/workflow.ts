/**
 * The case workflow (办件流程) as data: statuses, the transition table of the contract,
 * and pure functions the API and the pages both use, so a button is shown exactly when the
 * server would accept the action.
 */
import type { FormDefinition, ProcessType } from '../types/catalogue'
import { correctableFields, materialFileField } from './corrections'

export const STATUSES = ['draft', 'submitted', 'supplement', 'accepted', 'suspended', 'approved', 'rejected', 'not_accepted', 'withdrawn'] as const
export type Status = typeof STATUSES[number]

export const ACTIONS = ['accept', 'return', 'resubmit', 'refuse', 'approve', 'reject', 'suspend', 'resume', 'extend', 'withdraw', 'lapse'] as const
export type Action = typeof ACTIONS[number]

export const ROLES = ['citizen', 'clerk', 'manager', 'admin', 'auditor'] as const
export type Role = typeof ROLES[number]

/**
 * Actions the portal adds to the contract's table (延期; 逾期未补正视为撤回). A case's
 * `allowedActions` stays the contract's list, which outside clients compare and act on; these are
 * listed apart, in `extraActions`, for the portal's own pages.
 */
export const EXTRA_ACTIONS: readonly Action[] = ['extend', 'lapse']

/** 办结: the case was decided. */
export const COMPLETED_STATUSES: readonly Status[] = ['approved', 'rejected']
/** Nothing can happen to the case any more. */
export const FINAL_STATUSES: readonly Status[] = ['approved', 'rejected', 'not_accepted', 'withdrawn']

export interface Transition {
  action: Action
  from: readonly Status[]
  to: Status
  by: 'clerk' | 'applicant'
  /** the row applies only to items of this process type */
  onlyFor?: ProcessType
  /**
   * the row applies only to a case never accepted: 不予受理 is the decision on acceptance, so a case
   * accepted, returned for corrections and resubmitted is decided by approval or rejection, not
   * refused as if it had never been taken in (which would also drop its lateness from every figure)
   */
  onlyBeforeAcceptance?: true
  /**
   * the row applies only while the period to decide on acceptance runs (CaseForWorkflow.acceptanceOpen):
   * 不予受理 after it would take a case the law already counts as accepted (行政许可法 第三十二条:
   * 逾期不告知的，自收到申请材料之日起即为受理) out of the completion and on-time figures
   */
  onlyWhileAcceptanceOpen?: true
  /** the row applies only while the case's time limit may be extended (CaseForWorkflow.extendable) */
  onlyWhileExtendable?: true
  /** the row applies only once the applicant's period to correct has run out (CaseForWorkflow.correctionLapsed) */
  onlyOnceCorrectionLapsed?: true
  /** only a clerk who heads the department takes it (UserForWorkflow.departmentHead) */
  onlyHead?: true
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', by: 'clerk' },
  { action: 'return', from: ['submitted', 'accepted'], to: 'supplement', by: 'clerk' },
  { action: 'resubmit', from: ['supplement'], to: 'submitted', by: 'applicant' },
  { action: 'refuse', from: ['submitted'], to: 'not_accepted', by: 'clerk', onlyBeforeAcceptance: true, onlyWhileAcceptanceOpen: true },
  { action: 'approve', from: ['accepted'], to: 'approved', by: 'clerk' },
  // 即办件: decided on the spot, without a separate acceptance
  { action: 'approve', from: ['submitted'], to: 'approved', by: 'clerk', onlyFor: 'instant' },
  { action: 'reject', from: ['accepted'], to: 'rejected', by: 'clerk' },
  { action: 'suspend', from: ['accepted'], to: 'suspended', by: 'clerk' },
  { action: 'resume', from: ['suspended'], to: 'accepted', by: 'clerk' },
  // 延期, beyond the contract: the handling limit extended once, for a reason the applicant reads,
  // by the head of the department (第四十二条: 经本行政机关负责人批准), who may approve a clerk's request
  { action: 'extend', from: ['accepted'], to: 'accepted', by: 'clerk', onlyWhileExtendable: true, onlyHead: true },
  { action: 'withdraw', from: ['submitted', 'supplement'], to: 'withdrawn', by: 'applicant' },
  // 逾期未补正, beyond the contract: the corrections were not made within the period the notice
  // gave, so the application counts as withdrawn (视为撤回), recorded by the department
  { action: 'lapse', from: ['supplement'], to: 'withdrawn', by: 'clerk', onlyOnceCorrectionLapsed: true },
]

/**
 * Actions whose comment is the reason the applicant reads, and must be given (the contract's
 * list, and an extension of the time limit, which the law says must be explained). A suspension
 * may say why too (the applicant reads any comment), but is not refused without one.
 */
/** The longest reason or comment a case's action takes, in characters (what the applicant reads). */
export const MAX_COMMENT = 500

export const REASON_ACTIONS: readonly Action[] = ['return', 'refuse', 'reject', 'extend']

/**
 * The applicant's actions that a clerk, recording them for a person without an account, must
 * account for in the comment: a withdrawal ends the case, and only the applicant may ask for it,
 * so the clerk writes down the request (申请人于窗口书面申请撤回). Without it, a withdrawal recorded
 * by the department would take a late case out of every figure with nothing to show why.
 */
export const RECORDED_REASON_ACTIONS: readonly Action[] = ['withdraw']

/**
 * 延期: at most this many days, once per case (行政许可法 第四十二条: twenty days, extended by ten
 * with the approval of the head of the department), in the unit of the case's limit.
 */
export const MAX_EXTENSION_DAYS = 10

/**
 * The days of an extension as a clerk typed them (full-width digits too): the number, or the
 * error the server gives for it (a whole number from 1 to MAX_EXTENSION_DAYS).
 */
export function extensionDays(typed: string): number | 'validation.required' | 'case.errors.extensionDays' {
  const text = typed.normalize('NFKC').trim()
  if (!text) return 'validation.required'
  const n = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN
  return n >= 1 && n <= MAX_EXTENSION_DAYS ? n : 'case.errors.extensionDays'
}

/**
 * Why a case is suspended (中止), as the applicant must be told in writing with the time it needs
 * (行政许可法 第四十五条): the procedures whose time the law does not count, 听证, 招标, 拍卖, 检验,
 * 检测, 检疫, 鉴定 and 专家评审, and waiting for another authority's conclusion the decision rests
 * on (工伤保险条例 第二十条 and the like).
 */
export const SUSPENSION_KINDS = ['hearing', 'tender', 'auction', 'inspection', 'testing', 'quarantine', 'appraisal', 'expertReview', 'otherAuthority'] as const
export type SuspensionKind = typeof SUSPENSION_KINDS[number]
/** A suspension's written notice: why, and the days it is expected to need. */
export interface Suspension { kind: SuspensionKind, expectedDays: number }
/** The longest time a suspension may be announced to need, in days. */
export const MAX_SUSPENSION_DAYS = 365

/** The days a suspension is expected to need, as typed: as the server checks them (1 to MAX_SUSPENSION_DAYS). */
export function suspensionDays(typed: string): number | 'validation.required' | 'case.errors.suspensionDays' {
  const text = typed.normalize('NFKC').trim()
  if (!text) return 'validation.required'
  const n = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN
  return n >= 1 && n <= MAX_SUSPENSION_DAYS ? n : 'case.errors.suspensionDays'
}

/**
 * 补正期限: the working days an applicant is given to make the corrections a return asks for,
 * counted from the day after the notice (SupplementNotice.due is the last of them). 行政许可法
 * 第三十二条 leaves the period to the authority: the city's notice gives DEFAULT_CORRECTION_DAYS
 * unless the clerk gives another, from 1 to MAX_CORRECTION_DAYS (about three months of working days).
 * Corrections not made by then: the application counts as withdrawn (视为撤回) once a clerk records
 * it (the `lapse` action); until then the applicant may still resubmit.
 */
export const DEFAULT_CORRECTION_DAYS = 10
export const MAX_CORRECTION_DAYS = 60

/** The correction period as a clerk typed it (full-width digits too): as the server checks it, 1 to MAX_CORRECTION_DAYS. */
export function correctionDays(typed: string): number | 'validation.required' | 'case.errors.correctionDays' {
  const text = typed.normalize('NFKC').trim()
  if (!text) return 'validation.required'
  const n = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN
  return n >= 1 && n <= MAX_CORRECTION_DAYS ? n : 'case.errors.correctionDays'
}

/**
 * Whether the period to correct (`due`, the last day, a Shanghai date) has run out on `today`.
 * A notice given before periods were given has none, and never lapses: its applicant was never told one.
 */
export function correctionLapsed(kase: { status: Status, supplementDue?: string | null }, today: string): boolean {
  return kase.status === 'supplement' && !!kase.supplementDue && today > kase.supplementDue
}

export type Id = string | number

export interface CaseForWorkflow {
  status: Status
  departmentCode: string
  applicantId: Id | null
  processType: ProcessType
  /** when the case was accepted (受理), also if it has since gone back for corrections; null or absent: never */
  acceptedAt?: string | null
  /**
   * whether the period to decide on acceptance still runs (acceptanceOpen(): a case never accepted,
   * submitted, on or before its acceptance deadline); absent: no, so 不予受理 is not offered
   */
  acceptanceOpen?: boolean
  /**
   * whether the handling limit may still be extended: never extended before, and its deadline not
   * passed (an extension is decided within the time limit, not after it ran out); absent: no
   */
  extendable?: boolean
  /** whether the period the return's notice gave to correct has run out (correctionLapsed); absent: no */
  correctionLapsed?: boolean
}

export interface UserForWorkflow {
  id: Id
  role: Role
  departmentCode?: string | null
  /** a clerk who heads the department (本行政机关负责人): only they extend a time limit; absent: no */
  departmentHead?: boolean
}

/** True for a known status name (for query parameters and database values). */
export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s)
}

/** True for a known action name. */
export function isAction(s: unknown): s is Action {
  return typeof s === 'string' && (ACTIONS as readonly string[]).includes(s)
}

type WorkflowState = Pick<CaseForWorkflow, 'status' | 'processType' | 'acceptedAt' | 'extendable' | 'acceptanceOpen' | 'correctionLapsed'>

/** The row of the table for `action` now; `checkTime`: also whether today's date still allows it (acceptanceOpen, extendable, correctionLapsed). */
function transitionFor(kase: WorkflowState, action: Action, checkTime = true): Transition | undefined {
  return TRANSITIONS.find(t => t.action === action && t.from.includes(kase.status)
    && (t.onlyFor === undefined || t.onlyFor === kase.processType)
    && !(t.onlyBeforeAcceptance && kase.acceptedAt)
    && !(checkTime && t.onlyWhileAcceptanceOpen && !kase.acceptanceOpen)
    && !(checkTime && t.onlyWhileExtendable && !kase.extendable)
    && !(checkTime && t.onlyOnceCorrectionLapsed && !kase.correctionLapsed))
}

/**
 * The status after `action`, or null when the action leads nowhere from `status` (for a case
 * accepted at `acceptedAt`, if ever). Whether the date still allows it (the acceptance period for a
 * refusal, the time limit for an extension) is for allowedActions to judge.
 */
export function nextStatus(status: Status, action: Action, processType: ProcessType, acceptedAt: string | null = null): Status | null {
  return transitionFor({ status, processType, acceptedAt }, action, false)?.to ?? null
}

/**
 * Whether the period to decide on acceptance still runs on `today` (a Shanghai date): for a case
 * submitted and never accepted, its deadline is the acceptance deadline (5 working days from receipt
 * or from the last resubmission, an instant item's the same working day or the next), the one
 * `accepted_late` is judged against; it runs to the end of that day. Once it has passed the case
 * is accepted on receipt by law, and is decided by acceptance, then approval or rejection.
 */
export function acceptanceOpen(kase: Pick<CaseForWorkflow, 'status' | 'acceptedAt'> & { deadline: string }, today: string): boolean {
  return kase.status === 'submitted' && !kase.acceptedAt && today <= kase.deadline
}

/** Who performs an action: a clerk or the applicant. */
export function actorOf(action: Action): 'clerk' | 'applicant' {
  return TRANSITIONS.find(t => t.action === action)!.by
}

/** Whether the action must come with a comment (the reason shown to the applicant). */
export function needsReason(action: Action): boolean {
  return REASON_ACTIONS.includes(action)
}

/**
 * Whether a user of `role` must give a comment with `action`: the reasons of needsReason, and a
 * clerk recording an applicant's withdrawal for a person without an account, who writes down the
 * applicant's request (RECORDED_REASON_ACTIONS). The applicant withdrawing online need not say why.
 */
export function commentRequired(action: Action, role: string): boolean {
  return needsReason(action) || (role === 'clerk' && RECORDED_REASON_ACTIONS.includes(action))
}

/** 办结: approved or rejected. */
export function isCompleted(status: Status): boolean {
  return COMPLETED_STATUSES.includes(status)
}

/** No further action is possible. */
export function isFinal(status: Status): boolean {
  return FINAL_STATUSES.includes(status)
}

/**
 * What this user may do with this case now, in ACTIONS order: clerk actions for a clerk of
 * the owning department (but never on their own application, by account or, `ownCase`, by the
 * ID number the server knows theirs: 回避, server/services/recusal.ts), applicant actions for
 * the citizen who applied; managers, administrators and auditors only look. A case without a
 * portal account (received at the counter for someone who has none) has nobody to resubmit or
 * withdraw it online, so the department's clerks record those for the person at the counter:
 * otherwise a returned case would wait in `supplement` for ever.
 */
export function allowedActions(kase: CaseForWorkflow, user: UserForWorkflow, ownCase = false): Action[] {
  const isApplicant = kase.applicantId !== null && kase.applicantId === user.id
  const actors = new Set<Transition['by']>()
  if (user.role === 'clerk' && !!user.departmentCode && user.departmentCode === kase.departmentCode && !isApplicant && !ownCase) {
    actors.add('clerk')
    if (kase.applicantId === null) actors.add('applicant')
  }
  else if (user.role === 'citizen' && isApplicant) {
    actors.add('applicant')
  }
  return ACTIONS.filter((a) => {
    const t = transitionFor(kase, a)
    return t !== undefined && actors.has(t.by) && !(t.onlyHead && !user.departmentHead)
  })
}

/** What a one-time notice (一次性告知) names: answers of the form and materials of the guide. */
export interface NoticeItems { fields: readonly string[], materials: readonly string[] }

/**
 * 一次性告知 (行政许可法 第三十二条第四项): the items of a new notice that the earlier notices of the
 * same stage did not name, by their index in `asked` (as `supplement.fields.<i>`,
 * `supplement.materials.<i>`). Before acceptance, and again from acceptance on, the department
 * tells the applicant once everything to correct: a later return may ask again for what an earlier
 * one named (the answer may still be wrong), never for something new, which would restart the
 * acceptance clock at will. Named before are the fields an earlier notice listed (with the uploads
 * of its materials), those its correction brought up (correctableFields: a changed answer's new
 * follow-up), and its materials, also a material whose upload it asked for as a field, and the
 * reverse. A notice with a reason only named nothing; with no earlier notice everything may be named.
 */
export function itemsNotNoticedBefore(form: FormDefinition | null | undefined, earlier: readonly NoticeItems[], asked: NoticeItems): { fields: number[], materials: number[] } {
  if (!earlier.length) return { fields: [], materials: [] }
  const upload = (m: string) => materialFileField(form, m)?.key
  const listed = earlier.flatMap(n => [...n.fields, ...n.materials.map(upload).filter((k): k is string => !!k)])
  const fields = form ? correctableFields(form, listed) : new Set(listed)
  const materials = new Set(earlier.flatMap(n => n.materials))
  const indexes = (items: readonly string[], named: (item: string) => boolean) =>
    items.flatMap((item, i) => (named(item) ? [] : [i]))
  return {
    fields: indexes(asked.fields, f => fields.has(f)),
    materials: indexes(asked.materials, (m) => {
      const key = upload(m)
      return materials.has(m) || (key !== undefined && fields.has(key))
    }),
  }
}
