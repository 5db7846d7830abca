/**
 * A case as `GET /api/cases/:caseNo` shows it: one declaration for the server that builds it
 * (server/services/case-views.ts) and the pages that read it (composables/useCase.ts).
 */
import type { Action, Status } from '../utils/workflow'
import type { DeadlineStatus } from '../utils/working-days'
import type { FormDefinition } from './catalogue'

export interface CaseEventView { at: string, action: string, from: string | null, to: string, actorRole: string, comment: string | null }
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
export interface SupplementNotice { fields: string[], materials: string[], comment: string }

export interface CaseDetail {
  caseNo: string
  status: Status
  version: number
  channel: 'online' | 'counter'
  processType: 'instant' | 'promised'
  receivedDate: string
  submittedAt: string
  deadline: string
  deadlineStatus: DeadlineStatus
  overdue: boolean
  completedDate: string | null
  suspendedSince: string | null
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  applicant: { name: string, idNumberMasked: string, mobileMasked: string | null }
  /** the organisation the case was made for (its e-licence is the organisation's), or null */
  organization: { name: string, uscc: string } | null
  answers: Record<string, unknown>
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
  allowedActions: Action[]
  result: { code: string } | null
}
