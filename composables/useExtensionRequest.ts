/**
 * What CaseExtensionRequest sends and says: a clerk's request to extend a case's time limit, and
 * the head's decision on it (approve, or decline with a reason for the clerk).
 *
 * Each answer is the case as it now is (`updated`); a refusal that means the page is out of date
 * (409, 403) asks the page to read the case again (`stale`). What happened is said in `notice`, a
 * status line always in the DOM (`noticeBox`), and focus moves to it: the form or buttons pressed
 * are gone by then. One `busy` for both: a second press, of either, is ignored while one is sent.
 */
import type { CaseDetailView } from '~/composables/useCase'
import { commentProblem } from '~~/shared/utils/case-comment'
import { extensionDays } from '~~/shared/utils/workflow'

export interface ExtensionRequestOptions {
  kase: () => CaseDetailView
  updated: (kase: CaseDetailView) => void
  stale: () => void
}

export function useExtensionRequest(options: ExtensionRequestOptions) {
  const { t } = useI18n()
  const state = computed(() => options.kase().extension)
  const notice = ref('')
  const noticeBox = ref<HTMLElement | null>(null)
  const busy = ref(false)

  // the request: the days as typed, and the reason
  const days = ref('')
  const reason = ref('')
  const requestErrors = ref<Record<string, string>>({})
  // the head's decision: the reason for declining
  const declineReason = ref('')
  const declineError = ref('')

  async function say(text: string) {
    notice.value = text
    await nextTick()
    noticeBox.value?.focus()
  }

  /** Why the server would not: said by its reason, and the case read again (it changed under the page). */
  function refusal(e: unknown): string {
    const data = caseErrorData(e)
    switch (data?.reason) {
      case 'open': return t('case.extensionRequest.errors.open')
      case 'head': return t('case.extensionRequest.errors.head')
      case 'decided': return t('case.extensionRequest.errors.decided')
      case 'notHead': return t('case.extensionRequest.errors.notHead')
      case 'noHead': return t('case.extensionRequest.noHead')
      case 'ownCase': return t('case.detail.ownCase')
    }
    return data?.currentVersion !== undefined ? t('case.common.conflict') : t('case.extensionRequest.errors.notExtendable')
  }

  /** A failed call that is not a field's: a refusal (the case is read again), or a failure; a 401 is the layout's to tell. */
  async function failed(e: unknown) {
    const code = caseStatusCode(e)
    if (code === 401) return
    if (code === 403 || code === 409) {
      options.stale()
      await say(refusal(e))
    }
    else await say(t('case.common.genericError'))
  }

  async function sendRequest() {
    if (busy.value || !state.value) return
    notice.value = ''
    const typed = extensionDays(days.value)
    const reasonProblem = commentProblem(reason.value, true)
    const found = {
      ...(typeof typed === 'string' ? { days: typed } : {}),
      ...(reasonProblem ? { comment: reasonProblem } : {}),
    }
    requestErrors.value = found
    if (Object.keys(found).length || typeof typed === 'string') return
    busy.value = true
    try {
      const kase = options.kase()
      const updated = await $fetch<CaseDetailView>(`/api/cases/${kase.caseNo}/extension-request`, {
        method: 'POST',
        body: { days: typed, comment: reason.value.trim(), version: kase.version },
      })
      days.value = ''
      reason.value = ''
      options.updated(updated)
      await say(t('case.extensionRequest.sent'))
    }
    catch (e) {
      const fields = caseFieldErrors(e)
      if (caseStatusCode(e) === 400 && Object.keys(fields).length) requestErrors.value = fields
      else await failed(e)
    }
    finally {
      busy.value = false
    }
  }

  async function decide(approve: boolean) {
    const open = state.value?.open
    if (busy.value || !open) return
    notice.value = ''
    declineError.value = approve ? '' : commentProblem(declineReason.value, true) ?? ''
    if (declineError.value) return
    busy.value = true
    try {
      const kase = options.kase()
      const updated = await $fetch<CaseDetailView>(`/api/cases/${kase.caseNo}/extension-decision`, {
        method: 'POST',
        body: { request: open.id, approve, version: kase.version, ...(!approve && { comment: declineReason.value.trim() }) },
      })
      declineReason.value = ''
      options.updated(updated)
      await say(approve ? t('case.extensionRequest.approved', { days: t('case.fields.extendedDays', { n: open.days }, open.days) }) : t('case.extensionRequest.declined'))
    }
    catch (e) {
      const comment = caseFieldErrors(e).comment
      if (caseStatusCode(e) === 400 && comment && !approve) declineError.value = comment
      else await failed(e)
    }
    finally {
      busy.value = false
    }
  }

  return { state, notice, noticeBox, busy, days, reason, requestErrors, declineReason, declineError, sendRequest, decide }
}
