/**
 * Days and instants as people in Shenzhen read them: always in Asia/Shanghai time, whatever zone
 * the browser or the server is in, and in one style per language (2026年3月5日 10:00 · 5 March 2026
 * at 10:00), so that a case page, a receipt, an e-licence and its PDF never show a moment two ways.
 */
export type DateLanguage = 'zh' | 'en'

const TIME_ZONE = 'Asia/Shanghai'

function formatIn(language: DateLanguage, options: Intl.DateTimeFormatOptions, value: Date): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TIME_ZONE, ...options }).format(value)
}

/** A calendar day (`YYYY-MM-DD`, taken as that day in Shenzhen) or the day of an instant. */
export function dayText(iso: string, language: DateLanguage): string {
  return formatIn(language, { dateStyle: 'long' }, new Date(iso.length === 10 ? `${iso}T12:00:00+08:00` : iso))
}

/** An instant with its day and time of day. */
export function instantText(iso: string, language: DateLanguage): string {
  return formatIn(language, { dateStyle: 'long', timeStyle: 'short' }, new Date(iso))
}

/** The time of day only, for something that happened today (a draft saved, a lock ending). */
export function clockText(iso: string, language: DateLanguage): string {
  return formatIn(language, { hour: '2-digit', minute: '2-digit' }, new Date(iso))
}
