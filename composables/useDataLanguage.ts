/** Chinese characters: a text that has any is (at least partly) in Chinese. */
const HAN = /\p{Script=Han}/u

/**
 * WCAG 3.1.2 (language of parts): data kept only in Chinese (names, a clerk's comment, a guide's
 * details) shown inside an English page is marked `lang="zh-CN"`, so that a screen reader reads it
 * with a Chinese voice. `langOf(text)` marks only text with Chinese characters (a clerk may write
 * in English); `zhLang` is for data that is always Chinese.
 */
export function useDataLanguage() {
  const { locale } = useI18n()
  const langOf = (text: string | null | undefined) => (locale.value === 'en' && !!text && HAN.test(text) ? 'zh-CN' : undefined)
  const zhLang = computed(() => (locale.value === 'en' ? 'zh-CN' : undefined))
  return { langOf, zhLang }
}
