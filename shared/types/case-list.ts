/**
 * A page of cases as `GET /api/cases` lists them: one declaration for the server that builds it
 * (server/services/case-queries.ts) and the pages that read it (composables/useCase.ts).
 */
import type { Page } from '../utils/query'
import type { Status } from '../utils/workflow'
import type { CaseDeadlineStatus } from './case'

export interface CaseListItem {
  caseNo: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  status: Status
  channel: 'online' | 'counter'
  submittedAt: string
  deadline: string
  overdue: boolean
  /** `paused` while the case waits on the applicant's corrections or is suspended: `deadline` is not yet the one it must meet */
  deadlineStatus: CaseDeadlineStatus
  /** while the case waits on the applicant's corrections: the last day to correct (补正期限), where the notice gave one */
  correctionDue?: string
  /** for staff only: who applied, masked (张**) */
  applicantMasked?: string
  /** in a clerk's queue: a clerk's request to extend its time limit waits for the head's decision */
  extensionAwaiting?: true
}

/** `counts`: for a clerk's queue, how many cases of each status, for the filter tabs */
export type CaseList = Page<CaseListItem> & { counts?: Partial<Record<Status, number>> }
