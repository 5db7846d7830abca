/**
 * A calendar month (`YYYY-MM`, as the trend report gives it) as people read it: 2026年11月 on
 * Chinese pages, Nov 2026 on English ones. One formatter for the trend table and its chart, so
 * the chart's axis and its text alternative name each month the same way.
 */

/** `YYYY-MM` in the given language (`zh` or `en`); anything else is returned as it came. */
export function formatMonth(month: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return month
  // the first of the month at noon UTC: the same calendar month in every time zone
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1, 12))
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(date)
}

/** `formatMonth` in the page's language. */
export function useMonthFormat() {
  const { locale } = useI18n()
  return { month: (value: string) => formatMonth(value, locale.value) }
}
