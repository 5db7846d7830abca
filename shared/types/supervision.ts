/**
 * Electronic supervision (电子监察) as `GET /api/supervision` shows it to managers: one declaration
 * for the server that builds it (server/services/supervision.ts) and the page that reads it
 * (pages/manage/supervision.vue).
 */
import type { Page } from '../utils/query'
import type { AcceptanceRates } from '../utils/rates'
import type { CaseDeadlineStatus } from './case'

export interface SupervisedCase {
  caseNo: string
  serviceCode: string
  serviceName: string
  /** added for English pages; the fields above are unchanged */
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  status: string
  deadline: string
  /** `paused` only in `correctionsLapsed`, for a case returned in time: its stored deadline is not one it can miss */
  deadlineStatus: CaseDeadlineStatus
  /**
   * Working days left, 0 when due today; when overdue, minus the working days past the deadline and
   * at least -1 (a case due Friday is overdue on Saturday, with no working day between). A suspended
   * case's count stops on the day it was suspended, as its clock does.
   */
  workingDaysLeft: number
  /** the day a suspended case's clock stopped (it was already overdue then); null for the others */
  suspendedSince: string | null
  /** in `paused`: days since it was suspended, and the days the applicant was told it would need (null when not told) */
  pausedDays?: number
  expectedDays?: number | null
  /** in `correctionsLapsed`: the last day the return's notice gave to correct, and the working days since (at least 1) */
  correctionDue?: string
  workingDaysPastCorrectionDue?: number
}

export interface DepartmentSupervision extends AcceptanceRates {
  code: string
  name: string
  nameEn: string
  completed: number
  completedOnTime: number
  completedLate: number
  /**
   * of the completions, those whose time limit had been extended (行政许可法 第四十二条): an on-time
   * figure reached by extending shows here (added)
   */
  completedExtended: number
  openOverdue: number
  openNear: number
  /** its cases whose period to correct has run out unhandled (as `correctionsLapsed` lists them), counted today */
  correctionsLapsed: number
  /** its clerks' requests to extend a time limit that wait for the head's decision, counted today (added) */
  extensionsAwaiting: number
  /**
   * it has an active head (本行政机关负责人): without one none of its time limits can be extended,
   * nor its clerks' requests decided (added)
   */
  hasHead: boolean
}

/** One list of flagged cases, paged like every other list, with the total so a cut list says so. */
export type SupervisedPage = Page<SupervisedCase>

export interface Supervision {
  today: string
  from: string
  to: string
  /** kept for existing clients: the first SUPERVISION_LIMIT (server/services/supervision.ts) flagged cases by deadline (overdue before near) */
  cases: SupervisedCase[]
  /** how many cases are flagged in all (overdue.total + near.total); more than cases.length when cut */
  casesTotal: number
  /** open cases past their deadline, oldest deadline first */
  overdue: SupervisedPage
  /** open cases due today or within the next 2 working days, each its own list: before, 500 overdue ones crowded them out */
  near: SupervisedPage
  /**
   * cases suspended in time, the longest suspended first: their clock stands still on the
   * department's word, and a suspension never resumed would otherwise be on no list (added)
   */
  paused: SupervisedPage
  /**
   * cases returned for corrections whose period to correct has run out with nothing resubmitted,
   * the longest lapsed first: the department is to record them withdrawn (`lapse`) or take the
   * late correction, and one returned in time would otherwise wait on no list (added)
   */
  correctionsLapsed: SupervisedPage
  departments: DepartmentSupervision[]
}
