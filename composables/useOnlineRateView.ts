/**
 * What the online-rate dashboard (pages/manage/reports.vue) says about the report it shows: the
 * departments' names, the period line, the date the catalogue's figures are counted on, the title,
 * and the address of the same figures as CSV. The page fetches; this only reads what came back.
 */
import type { OnlineRateReport } from '~~/shared/types/report'
import type { ReportUrlQuery } from '~/composables/useReportQuery'

type DepartmentNames = { code: string, name: string, nameEn: string }[]

export function useOnlineRateView(report: Ref<OnlineRateReport | null | undefined>, departments: Ref<DepartmentNames | null | undefined>, query: Ref<ReportUrlQuery>) {
  const { t, locale } = useI18n()
  const { day } = useDateFormat()

  const deptName = (code: string | null | undefined) => {
    if (!code) return t('report.city')
    const d = departments.value?.find(x => x.code === code)
    return d ? (locale.value === 'en' ? d.nameEn : d.name) : code
  }
  const periodLine = computed(() => report.value
    ? `${t('text.labelled', { label: t('report.period'), message: t('report.periodText', { from: day(report.value.from), to: day(report.value.to) }) })} · ${deptName(report.value.department)}`
    : '')
  // item figures and open overdue cases are counted today, whatever the period: each says so
  const asOf = computed(() => (report.value ? day(report.value.asOf) : ''))
  const catalogueNote = computed(() => t('report.catalogueAsOf', { date: asOf.value }))
  const title = computed(() => (report.value?.department ? t('report.titleDept', { dept: deptName(report.value.department) }) : t('report.title')))

  // the period and department the page shows, not its address: a page opened before midnight and
  // downloaded after would otherwise get a period moved by a day (the default ends today)
  const csvHref = computed(() => {
    const r = report.value
    const p = new URLSearchParams(r ? { from: r.from, to: r.to, ...(r.department ? { dept: r.department } : {}), format: 'csv' } : { ...query.value, format: 'csv' })
    return `/api/reports/online-rate?${p}`
  })
  return { deptName, periodLine, asOf, catalogueNote, title, csvHref }
}
