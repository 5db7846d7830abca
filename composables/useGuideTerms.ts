import type { LimitUnit, ServiceGuide } from '~~/shared/types/catalogue'

/**
 * The guide's texts are Chinese whatever the page's language (lang="zh-CN" on them), so a label
 * and its text among them (a fee and its amount, a step and what it is) are joined with the
 * Chinese colon.
 */
export const DATA_COLON = '\uFF1A'

/** How a service guide words its time limits, its licence and its lists of choices, in the page's language. */
export function useGuideTerms() {
  const { t } = useI18n()
  const localName = useLocalName()

  const days = (n: number) => t('guide.workingDays', { n }, n)
  // some laws count their limit in natural days (居民身份证法: 六十日), the item's own or a special
  // procedure's (a cooling-off period); promises are always working days
  const limitIn = (n: number, unit?: LimitUnit) => unit === 'natural' ? t('guide.naturalDays', { n }, n) : days(n)
  const legalLimit = (g: ServiceGuide) => limitIn(g.legalLimitDays, g.legalLimitUnit)

  /** The licence the item issues, by its English title on an English page where the item gives one. */
  const licenceOf = (g: ServiceGuide) => g.resultName ? localName(g.resultName, g.resultNameEn ?? '') : null

  /** How long the licence holds, as the guide states it (an item that does not say shows nothing). */
  function validityOf(g: ServiceGuide): string | null {
    const v = g.resultValidity
    if (!v) return null
    if ('longTerm' in v) return t('guide.validityLongTerm')
    if ('byIdCardAge' in v) return t('guide.validityByIdCardAge')
    if ('byPassportAge' in v) return t('guide.validityByPassportAge')
    return v.months % 12 === 0 ? t('guide.validityYears', { n: v.months / 12 }, v.months / 12) : t('guide.validityMonths', { n: v.months }, v.months)
  }

  /** The optional elements' choices (GuideOptionalElements), each by its translated name, in one line. */
  const choicesText = (values: readonly string[], key: string) => values.map(v => t(`${key}.${v}`)).join(t('guide.listSeparator'))

  return { days, limitIn, legalLimit, licenceOf, validityOf, choicesText }
}
