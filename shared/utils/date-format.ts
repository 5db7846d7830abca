/**
 * Days and instants as people in Shenzhen read them: always in Asia/Shanghai time, whatever zone
 * the browser or the server is in, and in one style per language (2026年3月5日 10:00 · 5 March 2026
 * at 10:00), so that a case page, a receipt, an e-licence and its PDF never show a moment two ways.
 */
export type DateLanguage = 'zh' | 'en'

const TIME_ZONE = 'Asia/Shanghai'

type Style = 'day' | 'instant' | 'clock'
const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: 'long' },
  instant: { dateStyle: 'long', timeStyle: 'short' },
  clock: { hour: '2-digit', minute: '2-digit' },
}

/**
 * One formatter per language and style, made once: making one costs about 60 µs, using it about
 * one, and the SMS sender writes a deadline into every case's notice on a busy morning.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatIn(language: DateLanguage, style: Style, value: Date): string {
  const key = `${language}:${style}`
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TIME_ZONE, ...STYLES[style] })
    formatters.set(key, formatter)
  }
  return formatter.format(value)
}

/** A calendar day (`YYYY-MM-DD`, taken as that day in Shenzhen) or the day of an instant. */
export function dayText(iso: string, language: DateLanguage): string {
  return formatIn(language, 'day', new Date(iso.length === 10 ? `${iso}T12:00:00+08:00` : iso))
}

/** An instant with its day and time of day. */
export function instantText(iso: string, language: DateLanguage): string {
  return formatIn(language, 'instant', new Date(iso))
}

/** The time of day only, for something that happened today (a draft saved, a lock ending). */
export function clockText(iso: string, language: DateLanguage): string {
  return formatIn(language, 'clock', new Date(iso))
}
