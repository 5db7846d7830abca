import type { CaseDocument } from '~~/shared/types/case'
import type { LocalText } from '~~/shared/types/catalogue'
import type { Suspension } from '~~/shared/utils/workflow'
import type { ErrorSummaryItem } from '~/components/Form/ErrorSummary.vue'
import { useTrackedStore } from '~/stores/tracked'

/**
 * The answer of /api/track (server/services/tracking.ts): reasons and the notice by names, masked,
 * nothing personal; an event that issued a written document (文书) carries it, the applicant's
 * name and ID number masked, for an applicant without an account to print.
 */
export interface Tracked {
  caseNo: string
  serviceName: string
  serviceNameEn: string
  status: string
  deadline: string
  events: { at: string, action: string, to: string, reason?: string, suspension?: Suspension, document?: CaseDocument }[]
  notice?: { reason: string, fields: { key: string, label: LocalText }[], materials: string[], atCounter?: string[], due?: string }
}

/**
 * The server's rules (trackInput in server/services/tracking.ts) by the same shared code, on the
 * numbers as it reads them (the case number trimmed and upper-cased, the ID number normalised by
 * idNumberSchema): a malformed one is said beside its field at once, and nothing is sent.
 */
function typedProblems(caseNo: string, idNumber: string): Record<string, string> {
  const fe: Record<string, string> = {}
  const typedCaseNo = caseNo.trim()
  if (!typedCaseNo) fe.caseNo = 'validation.required'
  else if (parseCaseNo(typedCaseNo.toUpperCase()) === null) fe.caseNo = 'validation.query.caseNo'
  if (!idNumber.trim()) fe.idNumber = 'validation.required'
  else {
    const checked = idNumberSchema.safeParse(idNumber)
    if (!checked.success) fe.idNumber = checked.error.issues[0]!.message
  }
  return fe
}

/**
 * Public tracking's look-up: the case number and ID number typed, checked, then sent; the case
 * found, or what went wrong. A pair locked for the day is handed to useTrackUnlock (`withCode`).
 * `focusResult` takes the reader to a found case's heading once it is on the page.
 */
export function useTrackLookup(focusResult: () => void) {
  const { t } = useI18n()
  const { message } = useCaseFormat()
  /** The answer shown, in memory only, for the page of its documents (pages/track-documents/[caseNo]/[id].vue). */
  const tracked = useTrackedStore()
  const caseNo = ref('')
  const idNumber = ref('')
  const result = ref<Tracked | null>(null)
  const problem = ref('')
  const fieldErrors = ref<Record<string, string>>({})
  const busy = ref(false)
  const errorList = computed<ErrorSummaryItem[]>(() => Object.entries(fieldErrors.value).map(([key, m]) => ({
    key, message: t('text.labelled', { label: t(`case.track.${key}`), message: message(m) }), href: `#track-${key}`,
  })))

  /** Shows a found case and takes the reader to it (WCAG 4.1.3: it appears without a word otherwise). */
  async function show(found: Tracked) {
    result.value = found
    tracked.set(found)
    await nextTick()
    focusResult()
  }
  const withCode = useTrackUnlock(problem, show)

  async function submit() {
    // a look-up on its way: another press is ignored (the button is aria-disabled, not disabled)
    if (busy.value) return
    result.value = null
    // another look-up: the last case's documents go with its answer
    tracked.clear()
    problem.value = ''
    withCode.reset()
    fieldErrors.value = {}
    const fe = typedProblems(caseNo.value, idNumber.value)
    if (Object.keys(fe).length) {
      fieldErrors.value = fe
      return
    }
    busy.value = true
    const pair = { caseNo: caseNo.value.trim(), idNumber: idNumber.value.trim() }
    try {
      // in the body, not the query: an ID number in a URL ends up in proxies' access logs; show()
      // takes the reader to the answer's heading, from where they read on through status and history
      await show(await $fetch<Tracked>('/api/track', { method: 'POST', body: pair }))
    }
    catch (e) {
      const status = caseStatusCode(e)
      if (status === 400) fieldErrors.value = caseFieldErrors(e)
      else if (status === 429 && caseErrorData(e)?.reason === 'trackLocked') withCode.lock(pair)
      else problem.value = status === 429 ? t('case.track.tooMany') : status === 404 ? t('case.track.notFound') : t('case.common.genericError')
    }
    finally {
      busy.value = false
    }
  }

  return { caseNo, idNumber, result, problem, fieldErrors, busy, errorList, submit, withCode }
}
