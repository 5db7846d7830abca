import type { Ref } from 'vue'
import type { ServiceSummary } from '~~/shared/types/catalogue'
import { counterIntakeErrors } from '~~/shared/utils/counter-applicant'

/** What the intake's answer told of the case just recorded: the notice and its receipt link. */
export interface CounterRecorded { caseNo: string, receivedDate: string, deadline: string }

export interface CounterIntakeOptions {
  draft: ReturnType<typeof useCounterDraft>
  guide: ReturnType<typeof useCounterGuide>
  /** the department's items, read again when one of them turns out withdrawn */
  services: { services: Readonly<Ref<ServiceSummary[] | undefined>>, reloadServices: () => Promise<unknown> }
  fieldErrors: Ref<Record<string, string>>
  /** the fields whose scan is still on its way: an intake sent meanwhile would be recorded without it */
  uploading: Readonly<Ref<Set<string>>>
  /** moves focus to the confirmation once it is shown (the item's form goes away with the intake) */
  focusRecorded: () => void
}

/** The statuses (and no answer at all) that leave open whether the server recorded the intake. */
const mayHaveBeenRecorded = (status: number | undefined) => status === undefined || status === 408 || status >= 500

/**
 * Sending the counter intake (POST /api/counter-cases) and what came of it: `created`, the case
 * already recorded under these details (`alreadyRecorded`), a failure about no field (`problem`,
 * where whether it may have been recorded is the clerk's question), or the fields at fault.
 */
export function useCounterIntake({ draft, guide, services, fieldErrors, uploading, focusRecorded }: CounterIntakeOptions) {
  const created = ref<CounterRecorded | null>(null)
  const alreadyRecorded = ref('')
  const problem = ref('')
  const busy = ref(false)
  // one key per intake, sent again when the page retries: the server then answers with the case it
  // already made instead of a second one (server/services/counter.ts, receiveCounterCaseOnce)
  let intakeKey = newRequestKey()

  /** Why nothing can be sent yet, found without asking the server; none when the intake may go. */
  function errorsBeforeSending(body: { serviceCode: string, applicant: unknown, answers: Record<string, unknown> }): Record<string, string> {
    if (uploading.value.size) return Object.fromEntries([...uploading.value].map(k => [k, 'case.errors.uploadInProgress']))
    // without the item's form the answers cannot be given, and the server's errors would name
    // inputs that are not on the page
    const state = guide.guideState.value
    if (body.serviceCode && state !== 'ready') return { serviceCode: state === 'failed' ? 'case.counter.guideFailed' : 'case.counter.guideLoading' }
    // the server's own checks (shared/utils/counter-applicant.ts), on the body as JSON carries it to
    // the server: a mistyped ID number or a blank required answer is told now, by the fields and in
    // the summary as the server's refusal would be, and nothing is sent
    const g = guide.guide.value
    return counterIntakeErrors(JSON.parse(JSON.stringify(body)), g && { form: g.form, audience: g.audience })
  }

  async function submit() {
    // an intake on its way: another press is ignored (the button is aria-disabled, not disabled)
    if (busy.value) return
    fieldErrors.value = {}
    created.value = null
    alreadyRecorded.value = ''
    problem.value = ''
    const sent = draft.serviceCode.value
    const body = { serviceCode: sent, applicant: { ...draft.applicant }, answers: draft.answers.value, paperMaterials: draft.paperMaterials.value }
    const found = errorsBeforeSending(body)
    if (Object.keys(found).length) {
      fieldErrors.value = found
      return
    }
    busy.value = true
    try {
      // a lost answer (no answer within 30 s, a dropped connection, a gateway's error) is asked
      // again with the same key: the server gives the case it made back, or makes it now
      const r = await postWithKey<CounterRecorded>('/api/counter-cases', intakeKey, body)
      created.value = { caseNo: r.caseNo, receivedDate: r.receivedDate, deadline: r.deadline }
      intakeKey = newRequestKey()
      draft.clear()
      // from the confirmation (also read out by its status region) the clerk prints the receipt,
      // opens the case or goes on to the next intake
      await nextTick()
      focusRecorded()
    }
    catch (e) {
      await refused(e, sent)
    }
    finally {
      busy.value = false
    }
  }

  /**
   * Tells why the intake was not recorded, or that it may have been. Focus stays on the submit
   * button (aria-disabled while busy, never disabled) and the alert regions read the outcome out,
   * except for field errors, whose summary takes focus.
   */
  async function refused(e: unknown, sent: string) {
    const status = caseStatusCode(e)
    const recorded = status === 409 ? caseErrorData(e)?.caseNo : undefined
    if (typeof recorded === 'string') {
      // the clerk was told: a new submit of these details is a new intake
      alreadyRecorded.value = recorded
      intakeKey = newRequestKey()
      return
    }
    // a 401 is the ended session, which the layout's notice tells of
    if (status === 401) return
    const fe = caseFieldErrors(e)
    if (!Object.keys(fe).length) {
      // the key stays the same, so pressing again cannot make a second case: the server answers
      // with the case the lost attempt made, or makes it now
      problem.value = mayHaveBeenRecorded(status) ? 'case.counterReceipt.unconfirmed' : 'case.common.genericError'
      return
    }
    // the page offers only its department's published items: "not yours" for one of them means it
    // was withdrawn (or moved) after the list was read, so the list is read again
    if (fe.serviceCode === 'case.errors.serviceNotYours' && services.services.value?.some(s => s.code === sent)) {
      fe.serviceCode = 'case.counterReceipt.serviceWithdrawn'
      services.reloadServices()
    }
    // a material renamed or removed by a publication since the guide was read: the guide as it is
    // now, with the ticks it still lists (loadGuide clears the errors, so they are set after it)
    if (fe.paperMaterials === 'case.counterReceipt.errors.notInGuide' && await guide.loadGuide(sent)) {
      draft.keepListedPaper(sent, new Set(guide.guide.value?.materials.map(m => m.name)))
      fe.paperMaterials = 'case.counterReceipt.materialsChanged'
    }
    fieldErrors.value = fe
  }

  return { created, alreadyRecorded, problem, busy, submit }
}
