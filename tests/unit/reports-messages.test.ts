/**
 * The report page's words for the figures the review found mislabelled: cases received (not
 * formally accepted), open overdue cases counted now, today's catalogue, the average handling
 * time's own explanation, the fully online share counting depth Ⅳ items (not items needing no visit).
 * Rendered through vue-i18n as the page calls them.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'

type Messages = { [key: string]: string | Messages }
const load = (locale: string) => JSON.parse(readFileSync(`i18n/locales/${locale}/report.json`, 'utf8')) as Messages
const messages: Record<'zh' | 'en', Messages> = { zh: load('zh'), en: load('en') }
const i18n = (locale: 'zh' | 'en') => createI18n({ legacy: false, locale, fallbackLocale: false, messages }).global

describe('the online-rate report page in Chinese', () => {
  const { t } = i18n('zh')

  it('calls the cases counted "received" (收件), not "accepted" (受理), which they are not all', () => {
    for (const key of ['report.figures.cases', 'report.trend.received', 'report.departments.cases', 'report.targets.onlineRateHelp', 'openData.rates.description']) {
      const text = t(key, { online: 1, total: 2 })
      expect(text, key).toContain('收')
      expect(text, key).not.toContain('受理')
    }
    expect(t('report.figures.cases')).toBe('收件数')
    expect(t('report.targets.onlineRateHelp', { online: 9, total: 10 })).toBe('期间收到的办件中网上申请的比例（9 / 10 件）')
  })

  it('says the open overdue cases and the catalogue are counted today, not in the period', () => {
    expect(t('report.figures.openOverdue')).toContain('目前')
    expect(t('report.figures.openOverdueHelp', { date: '2026年3月20日' })).toContain('按今天（2026年3月20日）统计')
    expect(t('report.catalogueAsOf', { date: '2026年3月20日' })).toBe('当前目录，截至今天（2026年3月20日）')
  })

  it('explains the average handling time on its own terms', () => {
    const help = t('report.figures.averageHandlingHelp', { completed: '12' }, 12)
    expect(help).toContain('暂停')
    expect(help).toContain('补正')
    expect(help).toContain('12 件')
    expect(help).not.toBe(t('report.figures.onTimeHelp', { completed: '12', onTime: '10' }, 12))
  })

  it('says the fully online share counts the items of depth Ⅳ, not items that need no visit', () => {
    // the figure counts depth Ⅳ whether or not a form is published (CONTRACT): no promise about visits
    const help = t('report.figures.fullyOnlineHelp', { fullyOnline: 7, total: 20 }, 20)
    expect(help).toBe('网办深度为Ⅳ级（全程网办）的事项：7 / 20 项')
    expect(help).not.toContain('无需到现场')
  })
})

describe('the online-rate report page in English', () => {
  const { t } = i18n('en')

  it('keeps "received" and says "now" and "today"', () => {
    expect(t('report.figures.cases')).toBe('Cases received')
    expect(t('report.figures.openOverdue')).toBe('Open cases overdue now')
    expect(t('report.catalogueAsOf', { date: '20 March 2026' })).toBe('Current catalogue, as of today (20 March 2026)')
    // the note's own stand-in for an unknown distance, and how a half-known one reads
    expect(t('report.departments.asOfNote', { date: '20 March 2026', na: '—' })).toContain('a department with neither shows — and comes last')
    expect(t('report.departments.asOfNote', { date: '20 March 2026', na: '—' })).toContain('reads "at least"')
  })

  it('counts the average handling time\'s cases in the singular and the plural', () => {
    expect(t('report.figures.averageHandlingHelp', { completed: '1' }, 1)).toMatch(/including time suspended or back with the applicant.*over the 1 case completed in the period$/)
    expect(t('report.figures.averageHandlingHelp', { completed: '2' }, 2)).toMatch(/over the 2 cases completed in the period$/)
  })

  it('says the fully online share counts the items at depth Level IV', () => {
    const help = t('report.figures.fullyOnlineHelp', { fullyOnline: 7, total: 20 }, 20)
    expect(help).toBe('Items at online depth Level IV (fully online): 7 of 20 items')
    expect(help).not.toContain('no visit')
  })
})
