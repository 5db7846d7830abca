import type { DepartmentFigures, OnlineRateReport } from '~~/shared/types/report'

export interface ReportQuery { from?: string, to?: string, dept?: string }

/** The online-rate report for the period and department in `query` (kept in the page's URL). */
export function useOnlineRateReport(query: Ref<ReportQuery>) {
  return useFetch<OnlineRateReport>('/api/reports/online-rate', {
    query,
    key: computed(() => `online-rate:${query.value.from ?? ''}:${query.value.to ?? ''}:${query.value.dept ?? ''}`),
  })
}

/**
 * A rate as a percentage with one decimal, cut down, never rounded up: 89.96% reads 89.9%, not a
 * 90.0% beside "not met" (`up` for a gap to a target, so a gap never reads 0.0%). An unknown rate
 * (nothing to divide by) reads as a dash.
 */
export function percentDigits(r: number, direction: 'down' | 'up' = 'down'): number {
  // the tolerance absorbs binary fractions such as 0.57 × 1000 = 569.9999999999999
  const tenths = direction === 'down' ? Math.floor(r * 1000 + 1e-9) : Math.ceil(r * 1000 - 1e-9)
  return tenths / 10
}

/**
 * A department's name under its bars. A rate with no cases or items behind it draws no bar, which
 * reads as 0%: the name then carries `partlyNoData` ("（部分无数据）").
 */
export function departmentChartLabel(d: Pick<DepartmentFigures, 'name' | 'nameEn' | 'services' | 'cases'>, locale: string, partlyNoData: string): string {
  const name = locale === 'en' ? d.nameEn : d.name
  const unknown = d.services.onlineAvailabilityRate === null || d.cases.onlineRate === null
  return unknown ? `${name} ${partlyNoData}` : name
}

export function useReportFormat() {
  const { t, locale } = useI18n()
  const percent = (r: number | null | undefined, direction: 'down' | 'up' = 'down') => (r === null || r === undefined
    ? t('report.notAvailable')
    : `${percentDigits(r, direction).toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`)
  const count = (n: number | null | undefined) => (n === null || n === undefined ? t('report.notAvailable') : n.toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN'))
  /**
   * A distance between two rates, in percentage points, rounded up (a gap never reads 0.0): 80.3%
   * against 100% is 19.7 points, not "19.7%", and a department's two gaps added up are 102.9
   * points, not a rate above 100%.
   */
  const points = (r: number) => t('report.points', { value: percentDigits(r, 'up').toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 }) })
  return { percent, count, points }
}

/**
 * The last non-empty value of `text`, for a status region: it changes, and so is said, only when
 * what the page shows changes (a new period or department), not while a reload empties it or when
 * the same is loaded again (another page of a list). The filter leaves focus in its field, and the
 * figures changed with nothing said (WCAG 4.1.3).
 */
export function useSaidWhenChanged(text: Ref<string>): Ref<string> {
  const said = ref(text.value)
  watch(text, (now) => {
    if (now) said.value = now
  })
  return said
}
