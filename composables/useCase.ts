import type { CaseDetail } from '~~/shared/types/case'
import type { CaseList } from '~~/shared/types/case-list'
import { readApiError } from '../utils/api-error'

/**
 * The API's case shapes, declared once: a case in shared/types/case.ts (here under the names the
 * pages use), a page of cases in shared/types/case-list.ts.
 */
export type { CaseEventView as CaseEvent, CaseDetail as CaseDetailView, CorrectionView as CaseCorrection } from '~~/shared/types/case'

/** One case, refreshed after every action; the key follows the case number. */
export function useCaseDetail(caseNo: Ref<string>) {
  return useFetch<CaseDetail>(() => `/api/cases/${encodeURIComponent(caseNo.value)}`, { key: computed(() => `case:${caseNo.value}`) })
}

/** A page of cases for the signed-in person (their own, their department's, or all). */
export function useCaseList(query: Ref<Record<string, string | number | undefined>>) {
  return useFetch<CaseList>('/api/cases', { query, key: computed(() => `cases:${JSON.stringify(query.value)}`) })
}

/** Formatting shared by the case pages: instants in Shenzhen time, messages from API error keys. */
export function useCaseFormat() {
  const { t, te, locale } = useI18n()
  const { instant: formatInstant } = useDateFormat()
  const message = (key: string) => (te(key) ? t(key) : t('case.common.genericError'))
  const label = (f: FormField) => (locale.value === 'en' ? f.label.en : f.label.zh)
  const serviceName = (c: { serviceName: string, serviceNameEn: string }) => (locale.value === 'en' && c.serviceNameEn ? c.serviceNameEn : c.serviceName)
  return { formatInstant, message, label, serviceName }
}

/** The fieldErrors of a failed API call, if it was a 400 with some. */
export function caseFieldErrors(error: unknown): Record<string, string> {
  return readApiError(error).fieldErrors
}

/** The data of a failed API call's error (h3's `data`), e.g. the case a 409 names. */
export function caseErrorData(error: unknown): Record<string, unknown> | undefined {
  return readApiError(error).data
}

/**
 * The HTTP status of a failed request; undefined when no answer came (offline, aborted, timed
 * out), which the counter's intake and postWithKey read as "may have been recorded, ask again".
 */
export function caseStatusCode(error: unknown): number | undefined {
  return readApiError(error).status ?? undefined
}
