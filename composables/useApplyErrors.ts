/**
 * Which errors the apply page shows, and when: the schema's errors only at the fields of a step the
 * person has tried to go on from, the server's refusal of the draft's submit at its fields until
 * their answers change, and the error summary above the form. Call from the page's setup.
 */
import type { ComputedRef, Ref } from 'vue'
import type { FormField } from '~~/shared/types/catalogue'
import type { Answers } from '~~/shared/utils/form-schema'
import type { ErrorSummaryItem } from '~/components/Form/ErrorSummary.vue'

interface ApplyErrorsOptions {
  /** The fields the answers so far show. */
  visible: ComputedRef<FormField[]>
  /** The answers on the page (vee-validate's values). */
  values: Answers
  /** vee-validate's errors, by answer key. */
  errors: Readonly<Ref<Partial<Record<string, string>>>>
  setErrors: (fieldErrors: Record<string, string>) => void
}

export function useApplyErrors(options: ApplyErrorsOptions) {
  const { visible, values, errors } = options
  const { t } = useI18n()
  const local = useLocalText()

  /**
   * The fields on the page when the person last tried to go on: only theirs show errors as answers
   * change. A field an answer reveals since (其他原因说明 after choosing 其他) is not shown in error,
   * said "invalid" before the person has reached it; the next try includes it.
   */
  const attemptedKeys = ref(new Set<string>())
  /** Whether the person has tried to go on from this step (and so sees its errors as answers change). */
  const attempted = computed(() => attemptedKeys.value.size > 0)
  function markAttempted() {
    attemptedKeys.value = new Set(visible.value.map(f => f.key))
  }
  const summary = ref<ErrorSummaryItem[]>([])

  /**
   * The server's refusal of this draft's submit, by field (the review page's "change" links lead
   * here): shown at each field until its answer changes, since the form's own schema cannot tell
   * that a well-formed mobile is not the account's.
   */
  const refusal = ref<{ errors: Record<string, string>, answers: Answers }>({ errors: {}, answers: {} })
  const refusedAnswers = computed(() => {
    const { errors, answers } = refusal.value
    return Object.fromEntries(Object.entries(errors).filter(([key]) => JSON.stringify(values[key]) === JSON.stringify(answers[key])))
  })
  const shownErrors = computed(() => ({
    ...refusedAnswers.value,
    ...(attempted.value ? Object.fromEntries(Object.entries(errors.value).filter(([key]) => attemptedKeys.value.has(key))) : {}),
  }))

  /** The summary of the shown fields' errors (own keys only: errs.constructor is Object on any record). */
  function summaryOf(errs: Partial<Record<string, string>>, keys?: Set<string>): ErrorSummaryItem[] {
    return answerErrors(visible.value, errs).filter(e => e.field && (!keys || keys.has(e.key)))
      // a colon that suits the page's language: full-width only in Chinese
      .map(e => ({ key: e.key, message: t('text.labelled', { label: local(e.field!.label), message: t(e.message) }), href: `#field-${e.key}` }))
  }

  /** A try to go on that failed: the page's fields show their errors from now on, the summary these. */
  function showSummary(items: ErrorSummaryItem[]) {
    markAttempted()
    summary.value = items
  }

  /** A save the person asked for was refused: its fields in error, the summary above the form. */
  function showRefusal(fieldErrors: Record<string, string>) {
    options.setErrors(fieldErrors)
    showSummary(summaryOf(fieldErrors))
  }

  /** A new step: nothing tried there yet. */
  function clearAttempt() {
    attemptedKeys.value = new Set()
    summary.value = []
  }

  return { attempted, summary, refusal, shownErrors, summaryOf, showSummary, showRefusal, clearAttempt }
}
