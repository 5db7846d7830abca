import type { Ref } from 'vue'
import type { FormDefinition } from '~~/shared/types/catalogue'
import type { ErrorSummaryItem } from '~/components/Form/ErrorSummary.vue'

/** The ids of the inputs that are not the form's answers (those are `answer-<key>`). */
const APPLICANT_IDS: Record<string, string> = {
  'applicant.name': 'counter-name', 'applicant.idNumber': 'counter-idNumber', 'applicant.mobile': 'counter-mobile', 'serviceCode': 'counter-service',
  'paperMaterials': 'counter-paper-0',
}

/**
 * The counter intake's errors as the page tells them: the error summary's entries, in the order of
 * the page, and the message beside a field that is not one of the form's answers (CaseFieldInput
 * tells those itself).
 */
export function useCounterErrors(fieldErrors: Readonly<Ref<Record<string, string>>>, form: Readonly<Ref<FormDefinition | null>>) {
  const { t } = useI18n()
  const { label, message } = useCaseFormat()

  /** Where a key's field is on the page: the item, the applicant, the form's answers, the paper handed in. */
  function pageOrder(key: string): number {
    const top = ['serviceCode', 'applicant.name', 'applicant.idNumber', 'applicant.mobile'].indexOf(key)
    if (top >= 0) return top
    const answer = form.value?.fields.findIndex(f => f.key === key) ?? -1
    return answer >= 0 ? 10 + answer : key === 'paperMaterials' ? 10_000 : 20_000
  }

  /** The message of a refused key: a choice not made is "choose one", for the item's select too. */
  function messageKeyOf(key: string, m: string): string {
    if (key === 'serviceCode') return answerMessageKey({ type: 'select' }, m)
    return answerMessageKey(form.value?.fields.find(f => f.key === key), m)
  }

  function fieldLabel(key: string): string {
    if (key === 'serviceCode') return t('case.counter.service')
    if (key === 'paperMaterials') return t('case.counterReceipt.paperTitle')
    if (key.startsWith('applicant.')) return t(`case.fields.${key.slice('applicant.'.length)}`)
    const f = form.value?.fields.find(x => x.key === key)
    return f ? label(f) : key
  }

  // the summary in the order of the page, as a person going down it meets the fields
  const errorList = computed<ErrorSummaryItem[]>(() => Object.entries(fieldErrors.value)
    .sort(([a], [b]) => pageOrder(a) - pageOrder(b))
    .map(([key, m]) => ({
      key, message: t('text.labelled', { label: fieldLabel(key), message: message(messageKeyOf(key, m)) }), href: `#${APPLICANT_IDS[key] ?? `answer-${key}`}`,
    })))

  /** The message shown beside `key`'s field; '' while it has no error. */
  function fieldMessage(key: string): string {
    const m = fieldErrors.value[key]
    return m ? message(messageKeyOf(key, m)) : ''
  }

  return { errorList, fieldMessage }
}
