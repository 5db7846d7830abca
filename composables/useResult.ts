/**
 * Data for the e-licence, verification, rating and rectification pages: useFetch with stable keys.
 * Result shapes come from shared/types/result.ts, rating, rectification and satisfaction shapes
 * from shared/types/rating.ts; SharedMaterial mirrors server/services/shared-materials.ts.
 */
import { percentDigits } from './useReport'
import { readApiError } from '../utils/api-error'
import type { CaseRatingView, RectificationItem, SatisfactionReport } from '~~/shared/types/rating'
import type { PublicVerification, ResultDetails } from '~~/shared/types/result'
import type { Page } from '~~/shared/utils/query'

export interface ResultWithQr extends ResultDetails { verifyUrl: string, qr: { size: number, path: string } }

export interface SharedMaterial { kind: 'result', code: string, name: string, nameEn: string, serviceName: string, number: string, issuedAt: string, validUntil: string | null, uploadId: string | null }

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
  return useFetch<CaseRatingView>(() => `/api/cases/${encodeURIComponent(caseNo.value)}/rating`, { key: computed(() => `rating:${caseNo.value}`) })
}

export function useRectifications(query: Ref<Record<string, string>>) {
  return useFetch<Page<RectificationItem>>('/api/rectifications', { query, key: computed(() => `rectifications:${JSON.stringify(query.value)}`) })
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

/**
 * part ÷ total as a percent rounded up to one decimal, for a poor-rating share: never shown smaller
 * than it is (1 of 7, 14.28…%, reads 14.3%, not 14.2%). From the whole counts, not from the
 * server's share, which is already cut to 6 decimals and could lose the bit that rounds up.
 * part × 1000 + total − 1 is an exact integer and IEEE division is correctly rounded, so the floor
 * is the exact ceiling of part × 1000 ÷ total. Null when there is nothing to divide by.
 */
export function percentUp(part: number, total: number): number | null {
  if (!total) return null
  return Math.floor((part * 1000 + total - 1) / total) / 10
}

/**
 * A percent (already in tenths, as percentDigits or percentUp give it) with exactly one decimal,
 * "9.0%" beside "11.5%" rather than "9%"; a dash for an unknown one.
 */
export function formatPercent(p: number | null, tag: string): string {
  return p === null ? '—' : `${p.toLocaleString(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`
}

/** Dates and instants as people in Shenzhen read them (Asia/Shanghai), in the page's language. */
export function useResultFormat() {
  const { locale } = useI18n()
  const tag = computed(() => (locale.value === 'en' ? 'en-GB' : 'zh-CN'))
  const { day, instant: time } = useDateFormat()
  // a good rate is cut down like the online-rate report (Intl rounded, so 510 of 641 (79.56%) read
  // 79.6% here, 79.5% there, and 99.96% would read 100%)
  const percent = (v: number | null) => formatPercent(v === null ? null : percentDigits(v), tag.value)
  // a poor-rating share is rounded up from its counts, so a department's share of poor ratings is never understated
  const poorPercent = (part: number, total: number) => formatPercent(percentUp(part, total), tag.value)
  /**
   * What a licence is called on this page: its title, in English where the item gives an English
   * title; an English page falls back on the item's English name before the Chinese title, and a
   * licence without a title of its own is named by its item.
   */
  const licenceTitle = (r: { resultName: string | null, resultNameEn: string | null, serviceName: string, serviceNameEn: string }) => {
    if (locale.value === 'en') return r.resultNameEn || r.serviceNameEn || r.resultName || r.serviceName
    return r.resultName ?? r.serviceName
  }
  return { day, time, percent, poorPercent, licenceTitle }
}

/**
 * The server's 400 fieldErrors of a failed $fetch, or null when it sent none: null, not `{}`,
 * because RatingForm and usePeriodErrors take an absent set for a refusal of another kind.
 */
export function fieldErrorsOfFetch(e: unknown): Record<string, string> | null {
  const { data, fieldErrors } = readApiError(e)
  return data?.fieldErrors == null ? null : fieldErrors
}
