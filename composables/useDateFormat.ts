/**
 * Days and instants as people in Shenzhen read them: always in Asia/Shanghai time, whatever zone
 * the browser is in, and in one style per language (2026年3月5日 10:00 · 5 March 2026 at 10:00),
 * so that a case page, a receipt and an e-licence never show the same moment two ways.
 */
const TIME_ZONE = 'Asia/Shanghai'

export function useDateFormat() {
  const { locale } = useI18n()
  const tag = computed(() => (locale.value === 'en' ? 'en-GB' : 'zh-CN'))
  const format = (options: Intl.DateTimeFormatOptions, value: Date) => new Intl.DateTimeFormat(tag.value, { timeZone: TIME_ZONE, ...options }).format(value)

  /** A calendar day (`YYYY-MM-DD`, taken as that day in Shenzhen) or the day of an instant. */
  const day = (iso: string | null | undefined) => iso ? format({ dateStyle: 'long' }, new Date(iso.length === 10 ? `${iso}T12:00:00+08:00` : iso)) : ''
  /** An instant with its day and time of day. */
  const instant = (iso: string | null | undefined) => iso ? format({ dateStyle: 'long', timeStyle: 'short' }, new Date(iso)) : ''
  /** The time of day only, for something that happened today (a draft saved, a lock ending). */
  const clock = (iso: string | null | undefined) => iso ? format({ hour: '2-digit', minute: '2-digit' }, new Date(iso)) : ''
  return { day, instant, clock }
}
