/**
 * Data for the e-licence, verification, rating and rectification pages: useFetch with stable keys.
 * Result shapes come from shared/types/result.ts; the others mirror server/services/{ratings,rectifications,satisfaction}.ts.
 */
import { percentDigits } from './useReport'
import type { RatingIndicator } from './useResultSchemas'
import type { PublicVerification, ResultDetails } from '~~/shared/types/result'

export interface ResultWithQr extends ResultDetails { verifyUrl: string, qr: { size: number, path: string } }

export interface RectificationView { id: number, deadline: string, status: 'open' | 'answered', overdue: boolean, answer: string | null, answeredAt: string | null }

export interface CaseRating {
  caseNo: string
  caseStatus: string
  canRate: boolean
  promptedAt: string | null
  canPrompt: boolean
  rating: { score: number, indicators: Partial<Record<RatingIndicator, number>>, comment: string | null, createdAt: string } | null
  rectification: RectificationView | null
}

export interface RectificationItem extends RectificationView {
  caseNo: string
  service: { code: string, name: string, nameEn: string }
  department: { code: string, name: string, nameEn: string }
  score: number
  indicators: Partial<Record<RatingIndicator, number>>
  comment: string | null
  ratedAt: string
}

export interface SatisfactionStats {
  count: number
  averageScore: number | null
  good: number
  bad: number
  goodShare: number | null
  badShare: number | null
  indicators: Record<RatingIndicator, number | null>
  rectifiedOnTime: number
  rectificationDue: number
  rectifiedOnTimeRate: number | null
}

export interface SatisfactionReport {
  from: string
  to: string
  department: string | null
  overall: SatisfactionStats
  byDepartment: ({ code: string, name: string, nameEn: string } & SatisfactionStats)[]
  byService: ({ code: string, name: string, nameEn: string, departmentCode: string } & SatisfactionStats)[]
}

export interface SharedMaterial { kind: 'result', code: string, name: string, serviceName: string, number: string, issuedAt: string, validUntil: string | null, uploadId: string | null }

export function useMyResults() {
  return useFetch<ResultDetails[]>('/api/me/results', { key: 'my-results' })
}

export function useResultDetails(code: Ref<string>) {
  return useFetch<ResultWithQr>(() => `/api/results/${encodeURIComponent(code.value)}`, { key: computed(() => `result:${code.value}`) })
}

/**
 * Fetched by the browser, not during server rendering: the endpoint limits requests per address,
 * and a server-side fetch would count every visitor against the server's own address.
 */
export function useVerification(code: Ref<string>) {
  return useFetch<PublicVerification>(() => `/api/verify/${encodeURIComponent(code.value)}`, { key: computed(() => `verify:${code.value}`), server: false })
}

export function useCaseRating(caseNo: Ref<string>) {
  return useFetch<CaseRating>(() => `/api/cases/${encodeURIComponent(caseNo.value)}/rating`, { key: computed(() => `rating:${caseNo.value}`) })
}

export function useRectifications(query: Ref<Record<string, string>>) {
  return useFetch<{ items: RectificationItem[], total: number, page: number, pageSize: number }>('/api/rectifications', { query, key: computed(() => `rectifications:${JSON.stringify(query.value)}`) })
}

export function useSatisfaction(query: Ref<Record<string, string>>) {
  return useFetch<SatisfactionReport>('/api/reports/satisfaction', { query, key: computed(() => `satisfaction:${JSON.stringify(query.value)}`) })
}

/**
 * The picker sits in the apply page, whose `?draft=` names the application: the server offers an
 * organisation's e-licences only when that application is made for the organisation.
 */
export function useSharedMaterials() {
  const route = useRoute()
  const application = computed(() => typeof route.query.draft === 'string' ? route.query.draft : undefined)
  return useFetch<SharedMaterial[]>('/api/me/shared-materials', { query: { application }, key: computed(() => `shared-materials:${application.value ?? ''}`) })
}

/** Dates and instants as people in Shenzhen read them (Asia/Shanghai), in the page's language. */
export function useResultFormat() {
  const { locale } = useI18n()
  const tag = computed(() => (locale.value === 'en' ? 'en-GB' : 'zh-CN'))
  const { day, instant: time } = useDateFormat()
  // cut down like the online-rate report: Intl rounded, so 510 of 641 (79.56%) read 79.6% here, 79.5% there
  const percent = (v: number | null) => v === null ? '—' : `${percentDigits(v).toLocaleString(tag.value, { maximumFractionDigits: 1 })}%`
  return { day, time, percent }
}

/** The server's 400 fieldErrors of a failed $fetch, or null. */
export function fieldErrorsOfFetch(e: unknown): Record<string, string> | null {
  const data = (e as { data?: { data?: { fieldErrors?: Record<string, string> } } }).data
  return data?.data?.fieldErrors ?? null
}
