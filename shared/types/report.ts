/**
 * The online-rate report (contract: The online-rate report) as `GET /api/reports/online-rate`
 * shows it: one declaration for the server that builds it (server/services/reports.ts) and the
 * pages and components that read it (composables/useReport.ts, components/Report/).
 */
import type { AcceptanceRates, CaseRates, ServiceRates } from '../utils/rates'

export interface ReportPeriod { from: string, to: string }

export interface ServiceFigures extends ServiceRates {
  /**
   * of `fullyOnline`, the items whose guide states depth Ⅳ but that have no published form, so
   * nobody can apply for them online: the contract's fullyOnlineRate counts them by depth, and the
   * report says how many there are beside it (they are among `notYetOnline`, too)
   */
  fullyOnlineWithoutForm: number
  /** items an applicant needs to visit at most once (最多跑一次) */
  atMostOneVisit: number
  atMostOneVisitRate: number | null
}

/**
 * acceptanceDecided / acceptedLate / acceptanceOnTimeRate: the acceptance decisions made in the
 * period (by the day of the decision) and how many came after the acceptance deadline; onTimeRate
 * judges completion against the handling deadline, which accepting counts from its own day.
 */
export interface CaseFigures extends CaseRates, AcceptanceRates {
  /** working days from receipt to completion, over the cases completed in the period */
  averageHandlingDays: number | null
  /**
   * Open cases (submitted or accepted) whose deadline is before today, and suspended ones that were
   * past it when suspended, counted now whatever the period: onTimeRate counts completed cases only,
   * so a late case never finished is seen here.
   */
  openOverdue: number
}

export interface Satisfaction {
  count: number
  /** 1 to 5, two decimals */
  averageScore: number | null
  /** share of ratings of 4 or 5 (好评率) */
  goodRate: number | null
}

export interface DepartmentFigures {
  code: string
  name: string
  nameEn: string
  services: ServiceFigures
  cases: CaseFigures
  satisfaction: Satisfaction
  /**
   * How far below the two targets, added together: the sort key of byDepartment. When one rate is
   * unknown (no items suitable online, or no cases received) it is the other's gap alone, a lower
   * bound (shortfallAtLeast); null only when both are unknown: never "both met" for lack of data.
   */
  shortfall: number | null
  /** true when shortfall leaves out an unknown rate: the real distance is at least this */
  shortfallAtLeast: boolean
}

export interface TrendPoint { month: string, received: number, online: number, onlineRate: number | null, completed: number, onTimeRate: number | null }

export interface NotYetOnline { code: string, name: string, nameEn: string, department: string, onlineDepth: number }

export interface OnlineRateReport {
  from: string
  to: string
  department: string | null
  /** today (Asia/Shanghai): the day the item figures and cases.openOverdue are counted, not the period */
  asOf: string
  services: ServiceFigures
  cases: CaseFigures
  satisfaction: Satisfaction
  targets: { onlineAvailabilityRate: number, onlineRate: number }
  byDepartment: DepartmentFigures[]
  trend: TrendPoint[]
  /** the first NOT_YET_ONLINE_SHOWN (server/services/reports.ts) of them, least advanced first */
  notYetOnline: NotYetOnline[]
  notYetOnlineTotal: number
}
