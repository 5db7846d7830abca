/** Dates in the page's language, as shared/utils/date-format.ts writes them. */
import { clockText, dayText, instantText } from '~~/shared/utils/date-format'

export function useDateFormat() {
  const { locale } = useI18n()
  const language = () => (locale.value === 'en' ? 'en' : 'zh')
  /** A calendar day (`YYYY-MM-DD`, taken as that day in Shenzhen) or the day of an instant. */
  const day = (iso: string | null | undefined) => iso ? dayText(iso, language()) : ''
  /** An instant with its day and time of day. */
  const instant = (iso: string | null | undefined) => iso ? instantText(iso, language()) : ''
  /** The time of day only, for something that happened today (a draft saved, a lock ending). */
  const clock = (iso: string | null | undefined) => iso ? clockText(iso, language()) : ''
  return { day, instant, clock }
}
