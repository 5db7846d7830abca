/**
 * Ratings (好差评), rectifications (整改) and the satisfaction report as the API shows them:
 * declared once for the server that builds them (server/services/{ratings,rectifications,satisfaction}.ts)
 * and the pages that read them (composables/useResult.ts).
 */
import type { RatingIndicator } from '../utils/rating-schemas'

export interface RectificationView {
  id: number
  deadline: string
  status: 'open' | 'answered'
  overdue: boolean
  answer: string | null
  answeredAt: string | null
}

/** `GET /api/cases/:caseNo/rating`, and what rating a case answers. */
export interface CaseRatingView {
  caseNo: string
  caseStatus: string
  /** the caller is the applicant, the case is completed and not rated yet */
  canRate: boolean
  /** when a clerk asked for a rating, if one did; and whether the caller may ask now */
  promptedAt: string | null
  canPrompt: boolean
  rating: { score: number, indicators: Record<string, number>, comment: string | null, createdAt: string } | null
  rectification: RectificationView | null
}

/** One row of `GET /api/rectifications`, as staff read it. */
export interface RectificationItem extends RectificationView {
  caseNo: string
  service: { code: string, name: string, nameEn: string }
  department: { code: string, name: string, nameEn: string }
  score: number
  indicators: Record<string, number>
  comment: string | null
  ratedAt: string
  /** the reading clerk applied for this case (回避): another clerk of the department answers it */
  ownCase: boolean
}

export interface SatisfactionStats {
  count: number
  averageScore: number | null
  good: number
  bad: number
  goodShare: number | null
  badShare: number | null
  indicators: Record<RatingIndicator, number | null>
  /** bad ratings whose rectification was answered on or before its deadline */
  rectifiedOnTime: number
  /** bad ratings whose deadline has passed or that were answered: the ones that can be judged */
  rectificationDue: number
  rectifiedOnTimeRate: number | null
}

/** `GET /api/reports/satisfaction` */
export interface SatisfactionReport {
  from: string
  to: string
  department: string | null
  overall: SatisfactionStats
  byDepartment: ({ code: string, name: string, nameEn: string } & SatisfactionStats)[]
  /**
   * One row per item and the department its ratings name (ratings.department_code, as byDepartment
   * counts them): an item moved to another department during the period has a row for each.
   */
  byService: ({ code: string, name: string, nameEn: string, departmentCode: string } & SatisfactionStats)[]
}
