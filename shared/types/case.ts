/**
 * A case as `GET /api/cases/:caseNo` shows it: one declaration for the server that builds it
 * (server/services/case-views.ts) and the pages that read it (composables/useCase.ts).
 */
import type { Action, Status, Suspension } from '../utils/workflow'
import type { DeadlineStatus } from '../utils/working-days'
import type { FormDefinition, ItemType, LocalText, Material } from './catalogue'
import type { OrganizationCheck } from './organization-check'

/**
 * A case's time-limit flag: how near its deadline is, or `paused` while its clock is stopped on
 * something outside the department (the applicant's corrections, a suspension), when the stored
 * deadline is not one it can miss (server/services/case-views.ts, listFlagOf).
 */
export type CaseDeadlineStatus = DeadlineStatus | 'paused'

export interface CaseEventView {
  /** the event's id: a document's (below) is read by it */
  id: number
  at: string
  action: string
  from: string | null
  to: string
  actorRole: string
  comment: string | null
  /** a suspension's written notice, why and for how long (行政许可法 第四十五条), when it was given */
  suspension?: Suspension
  /** an extension: the head of the department who approved it (第四十二条), to staff only */
  approvedBy?: string
  /** the written document the event issued (文书), printable from GET /api/cases/:caseNo/documents/:id */
  document?: CaseDocumentKind
}
export interface CaseMaterialView { uploadId: string, name: string, size: number, mime: string, fieldKey: string, source: 'upload' | 'shared' }
/**
 * 补正记录: one round of corrections (a resubmission). `changedFields` are the answer keys that
 * differ from the answers after the round; `previousAnswers` the answers before it, masked for the
 * viewer as the current ones are; `replacedMaterials` the files it took off the case, which stay
 * part of the case's record.
 */
export interface CorrectionView {
  at: string
  changedFields: string[]
  previousAnswers: Record<string, unknown>
  replacedMaterials: { uploadId: string, name: string, size: number, mime: string, fieldKey: string }[]
}
/**
 * 一次性告知: every answer and material the applicant must supply, in one notice. `fields` include
 * the file field each listed material is handed in with (shared/utils/corrections.ts,
 * materialFileField), so that the applicant gets its upload.
 */
export interface SupplementNotice {
  fields: string[]
  materials: string[]
  comment: string
  /** 补正期限: the last day to correct (a Shanghai date); absent on a notice given before periods were (none lapses) */
  due?: string
}
/**
 * 一次性告知 once a stage: the one-time notice was given, so a new return may ask again only for
 * these items, which the stage's notices named (server/services/return-limit.ts): form field keys
 * and material names, as `supplement` takes them. `noticedAt` is when the stage's first notice was given.
 */
export interface ReturnLimit { fields: string[], materials: string[], noticedAt: string }

export interface CaseDetail {
  caseNo: string
  status: Status
  version: number
  channel: 'online' | 'counter'
  processType: 'instant' | 'promised'
  receivedDate: string
  submittedAt: string
  deadline: string
  deadlineStatus: CaseDeadlineStatus
  overdue: boolean
  completedDate: string | null
  suspendedSince: string | null
  /** 延期: the days the handling limit was extended by (once, the reason in the events); 0 never */
  extendedDays: number
  /** the case was accepted once (受理): submitted again after corrections, its handling goes on rather than a fresh acceptance */
  acceptedBefore: boolean
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  /** 事项类型: names the decision's document (准予行政许可决定书 for a licensing item, 办结通知书 for others) */
  serviceType: ItemType
  department: { code: string, name: string, nameEn: string }
  applicant: { name: string, idNumberMasked: string, mobileMasked: string | null }
  /**
   * the organisation the case was made for (its e-licence is the organisation's), or null; `check`:
   * what the city's legal-entity base data says of it today for the applicant's account
   */
  organization: { name: string, uscc: string, check: OrganizationCheck } | null
  answers: Record<string, unknown>
  /**
   * The answers this viewer sees masked: ID numbers and mobiles, and, for staff, free text with
   * such a number typed into it. A correction keeps such an answer unless it is typed again.
   */
  maskedAnswerKeys: string[]
  /** the form version the case was submitted with */
  form: FormDefinition | null
  serviceMaterials: { name: string, required: boolean }[]
  materials: CaseMaterialView[]
  /** the guide's materials a clerk recorded as handed in on paper at the counter (counter cases), in the guide's order */
  paperMaterials: string[]
  events: CaseEventView[]
  /** the rounds of corrections, oldest first; empty when there were none */
  corrections: CorrectionView[]
  supplementNotice: SupplementNotice | null
  /**
   * For a viewer who may return the case: what a return may ask for under the one-time notice, or
   * null when it may ask for anything (no notice yet in the stage, or a late return opening a new one)
   */
  returnLimitedTo?: ReturnLimit | null
  /**
   * 延期申请, for the department's clerks only (null to anyone else): the request to the head of the
   * department to extend the time limit (行政许可法 第四十二条), and what this clerk may do about it
   */
  extension: ExtensionState | null
  /** the contract's actions the viewer may take now */
  allowedActions: Action[]
  /** and the portal's own beyond the contract's table (EXTRA_ACTIONS: 延期, 逾期未补正视为撤回) */
  extraActions: Action[]
  /** 回避: the staff member reading it is the applicant (by ID number): they may only read it */
  ownCase: boolean
  /** the e-licence the case brought (the contract's shape) */
  result: { code: string } | null
  /** that licence has been revoked since it was issued */
  resultRevoked: boolean
}

/** A clerk's request that the head of the department extend a case's time limit. */
export interface ExtensionRequestView {
  id: number
  days: number
  /** the reason the applicant will read with the new deadline */
  reason: string
  /** the clerk who asked, by name */
  requestedBy: string
  requestedAt: string
  /** null while open */
  outcome: 'declined' | null
  /** declined: why, and by whom */
  declineReason: string | null
  decidedBy: string | null
  decidedAt: string | null
}

/** An open request as the head's list shows it (GET /api/extension-requests). */
export interface PendingExtension {
  id: number
  caseNo: string
  serviceName: string
  serviceNameEn: string
  /** the case's deadline now: the request goes nowhere once it has passed */
  deadline: string
  days: number
  reason: string
  requestedBy: string
  requestedAt: string
}

/**
 * A case's extension as its department's staff see it: the open request (only while the limit may
 * still be extended), else the last one declined; whether the viewer heads the department (a head
 * extends directly, the `extend` action), may ask for an extension, or may decide the open request.
 */
export interface ExtensionState {
  departmentHead: boolean
  open: ExtensionRequestView | null
  declined: ExtensionRequestView | null
  canRequest: boolean
  canDecide: boolean
  /** the department has no active head to decide a request (行政许可法 第四十二条), so none may be asked: the clerk is told to have one set (added) */
  noHead: boolean
}

/**
 * 文书: 受理通知书 (acceptance), 不予受理决定书 (refusal), 补正材料通知书 (corrections: the one-time
 * notice), 准予 / 不予许可决定书 or 办结通知书 / 不予办理决定书 by the item's type (approval,
 * rejection), 延长办理期限告知书 (extension), 中止办理告知书 (suspension).
 */
export type CaseDocumentKind = 'acceptance' | 'refusal' | 'corrections' | 'approval' | 'rejection' | 'extension' | 'suspension'

/**
 * What a one-time notice asks for, by names only: the labels of the answers to correct (the upload
 * of a material asked for is named once, by the material), the materials, and `atCounter`, only
 * when there are any, those of them to bring on paper to the counter.
 */
export interface DocumentNoticeItems { fields: { key: string, label: LocalText }[], materials: string[], atCounter?: string[] }

/** One document as GET /api/cases/:caseNo/documents/:id gives it (server/services/case-documents.ts). */
export interface CaseDocument {
  /** the event that issued it */
  id: number
  kind: CaseDocumentKind
  /** 文书编号: the case number and the document's place among the case's documents */
  number: string
  issuedAt: string
  caseNo: string
  channel: 'online' | 'counter'
  receivedDate: string
  service: { code: string, name: string, nameEn: string, type: ItemType }
  department: { code: string, name: string, nameEn: string }
  applicant: { name: string, idNumberMasked: string }
  organization: { name: string, uscc: string } | null
  /** the reason the department gave (required for a refusal, a return, a rejection and an extension) */
  reason: string | null
  /**
   * acceptance: the handling deadline it set; extension: the new deadline (null on events recorded
   * before migration 0037); corrections: the last day to correct (补正期限; null on notices given before periods were)
   */
  deadline: string | null
  /** extension: by how many days; who approved it for the department's staff only */
  extension?: { days: number, approvedBy?: string }
  suspension?: Suspension
  /** corrections: what the one-time notice asks for */
  items?: DocumentNoticeItems
  /** corrections asked for after the case was accepted (its materials were found complete then) */
  afterAcceptance?: boolean
  /** approval: the e-licence it issued, or null */
  resultCode?: string | null
  /** approval: whom that e-licence names (a counter case's can name an organisation no account holds), or null */
  resultHolderKind?: 'person' | 'organization' | null
}

/** A paper material on the receipt, with what the guide asked of it (原件 or 复印件, how many copies). */
export interface ReceiptMaterial { name: string, materialType: Material['materialType'] | null, copies: number | null }

/**
 * 收件凭证: the dated written receipt the Administrative Licensing Law (art. 32) asks for, which
 * the clerk prints and hands over. The location, hours and phone are the guide's as they are now:
 * where the applicant goes back to and calls, not where they stood.
 */
export interface CaseReceipt {
  caseNo: string
  channel: 'online' | 'counter'
  status: Status
  processType: 'instant' | 'promised'
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  applicant: { name: string, idNumberMasked: string }
  receivedDate: string
  submittedAt: string
  /**
   * The deadline for deciding on acceptance while that is still to come (status submitted); null
   * afterwards, when the case's deadline is another one and the receipt gives the status instead.
   */
  acceptanceDeadline: string | null
  /** working days from receipt to that decision for an item that is not decided the same day (承诺件) */
  acceptanceLimitDays: number
  location: string
  hours: string
  consultPhone: string
  /** the clerk who took the case in at the counter; null for an online case */
  receivedBy: string | null
  /** the case is linked to a portal account, so the applicant also finds it under 我的办件 */
  linkedAccount: boolean
  /** the public tracking page (/track), where the case number and ID number show the case's progress */
  trackUrl: string
  paperMaterials: ReceiptMaterial[]
  scans: { fieldKey: string, fieldLabel: LocalText | null, name: string }[]
}
