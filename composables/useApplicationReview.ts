/**
 * The review page's draft and its submit. The draft is loaded as the server holds it (nothing
 * here saves); submit checks the answers and the declaration as the server will, then asks it.
 * The server's fieldErrors come back as an error summary whose links lead to the fields on the
 * form. Call from the page's setup.
 */
import type { Ref } from 'vue'
import type { ErrorSummaryItem } from '~/components/Form/ErrorSummary.vue'

/**
 * Why a submit failed, in words that are true: this page shows the draft as the server holds it
 * (nothing here saves), so "your answers are kept" is said only where the draft still exists.
 */
function submitFailureKey(status: number, reason?: string): string {
  if (status === 401) return 'form.review.submitSignedOut' // app.vue's notice says the session ended
  if (status === 404) return 'form.review.draftGone' // discarded in another window
  if (status === 409 && reason === 'notOnline') return 'form.review.serviceNotOnline' // now applied for at the counter only
  if (status === 409) return 'form.review.serviceWithdrawn' // withdrawn since the draft began
  return status === 0 ? 'form.review.submitOffline' : 'form.review.submitFailed'
}

export function useApplicationReview(code: Ref<string>, draftId: Ref<string>) {
  const { t } = useI18n()
  const localePath = useLocalePath()
  const localName = useLocalName()
  const local = useLocalText()
  const api = useApplicationApi()
  const store = useApplicationStore()
  const { loadMaterials } = useUploadLibrary()
  const { changeHref } = useReviewChangeLinks(code, draftId)

  const draft = ref<ClientDraft | null>(null)
  const phase = ref<'loading' | 'ready' | 'failed'>('loading')
  /** The status of the failed load (401: the session ended). */
  const failedWith = ref(0)
  const declared = ref(false)
  const declarationError = ref(false)
  const fieldErrors = ref<Record<string, string>>({})
  const summary = ref<ErrorSummaryItem[]>([])
  const submitting = ref(false)
  const failure = ref('')

  const serviceName = computed(() => draft.value ? localName(draft.value.serviceName, draft.value.serviceNameEn) : '')

  onMounted(async () => {
    try {
      draft.value = await api.load(draftId.value)
      phase.value = 'ready'
      loadMaterials().catch(() => undefined)
    }
    catch (error) {
      failedWith.value = apiProblem(error).status
      phase.value = 'failed'
    }
  })

  /** The server's (or the same check's) errors, worded for each field as on the form page (answerErrors). */
  function showErrors(errs: Record<string, string>) {
    fieldErrors.value = errs
    summary.value = answerErrors(draft.value?.form.fields ?? [], errs).map(({ key, field, message }) => ({
      key,
      // a colon that suits the page's language: full-width only in Chinese
      message: field ? t('text.labelled', { label: local(field.label), message: t(message) }) : t(message),
      href: changeHref(key),
    }))
  }

  async function submit() {
    const d = draft.value
    if (!d || submitting.value) return
    failure.value = ''
    declarationError.value = !declared.value
    // the same verdict as the server, before asking it
    const check = validateAnswers(d.form, d.answers)
    const errs = check.ok ? {} : check.fieldErrors
    showErrors(errs)
    if (declarationError.value) summary.value = [...summary.value, { key: 'declaration', message: t('form.review.declarationError'), href: '#declaration' }]
    if (summary.value.length) return
    submitting.value = true
    try {
      const result = await api.submit(d.id)
      store.setReceipt({ caseNo: result.caseNo, deadline: result.deadline, serviceCode: d.serviceCode, serviceName: serviceName.value, submittedAt: new Date().toISOString() })
      await navigateTo(localePath(`/me/cases/${result.caseNo}/receipt`))
    }
    catch (error) {
      const problem = apiProblem(error)
      if (Object.keys(problem.fieldErrors).length) {
        showErrors(problem.fieldErrors)
        // kept for the form page, which the summary's links open at the field
        store.setRefusal(d.id, problem.fieldErrors)
      }
      else failure.value = t(submitFailureKey(problem.status, problem.reason))
    }
    finally {
      submitting.value = false
    }
  }

  return { draft, phase, failedWith, declared, declarationError, fieldErrors, summary, submitting, failure, serviceName, submit }
}
