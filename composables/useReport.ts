import type { OnlineRateReport } from '~~/server/services/reports'

export type { OnlineRateReport }
export type ReportDepartment = OnlineRateReport['byDepartment'][number]

export interface ReportQuery { from?: string, to?: string, dept?: string }

/** The online-rate report for the period and department in `query` (kept in the page's URL). */
export function useOnlineRateReport(query: Ref<ReportQuery>) {
  return useFetch<OnlineRateReport>('/api/reports/online-rate', {
    query,
    key: computed(() => `online-rate:${query.value.from ?? ''}:${query.value.to ?? ''}:${query.value.dept ?? ''}`),
  })
}

/** Rates as percentages with one decimal; an unknown rate (nothing to divide by) as a dash. */
export function useReportFormat() {
  const { t, locale } = useI18n()
  const percent = (r: number | null | undefined) => (r === null || r === undefined
    ? t('report.notAvailable')
    : `${(r * 100).toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`)
  const count = (n: number | null | undefined) => (n === null || n === undefined ? t('report.notAvailable') : n.toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN'))
  return { percent, count }
}
