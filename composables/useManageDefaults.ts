import type { FieldOption, LocalText } from '~~/shared/types/catalogue'
import type { GuideInput } from '~~/shared/utils/guide-schema'

/**
 * Starting content for new items, fields and sections. It is catalogue data in both languages
 * (whatever language the administrator reads the page in), so it lives here and not in the
 * interface's message files.
 */
export function yesNoOptions(): FieldOption[] {
  return [{ value: 'yes', label: { zh: '是', en: 'Yes' } }, { value: 'no', label: { zh: '否', en: 'No' } }]
}

export const newFieldLabel = (n: number): LocalText => ({ zh: `新字段 ${n}`, en: `New field ${n}` })

export const newSectionTitle = (n: number): LocalText => ({ zh: `第 ${n} 部分`, en: `Part ${n}` })

/** A new item's guide: the commonest material and step, to be edited before publishing. */
export function newGuide(department: string): GuideInput {
  return {
    code: '', basicCode: '', name: '', nameEn: '', department, type: 'public_service',
    audience: 'person', processType: 'promised', onlineDepth: 3, suitableOnline: true, unsuitableReason: null,
    visits: 0, visitsReason: null, legalLimitDays: 20, promisedLimitDays: 10, themes: [], keywords: [],
    conditions: [''], materials: [{ name: '居民身份证', required: true, format: 'electronic', copies: 1, source: 'government' }],
    fees: [], steps: [{ name: '申请', description: '' }], location: '', hours: '', consultPhone: '', complaintPhone: '12345',
    legalBasis: [''], resultName: null, resultNameEn: null, form: null,
  }
}
