import type { Ref } from 'vue'
import type { ErrorSummaryItem } from '~/components/Form/ErrorSummary.vue'
import type { Tracked } from '~/composables/useTrackLookup'

/** The case number and ID number of a look-up, as sent. */
export interface TrackPair { caseNo: string, idNumber: string }

/**
 * A look-up whose case number or ID number is locked for the day (too many failed look-ups, which
 * anyone can cause): a code sent by SMS to the mobile recorded on the case shows it still. The
 * answer to sending never says whether the pair matched, so neither does the page. `problem` is the
 * look-up's own message, which a failure here replaces; `show` shows the case found.
 */
export function useTrackUnlock(problem: Ref<string>, show: (found: Tracked) => Promise<void>) {
  const { t } = useI18n()
  const { message } = useCaseFormat()
  /** The pair that was locked: the code is asked for and used with it, whatever is typed since. */
  const lockedPair = ref<TrackPair | null>(null)
  /** The case number or ID number failed too often today: signing in, or a code by SMS, shows the case now. */
  const locked = computed(() => lockedPair.value !== null)
  const code = ref('')
  const codeErrors = ref<Record<string, string>>({})
  const sending = ref(false)
  /** What the polite live region says after sending: that a code went out if the pair matched, or why not. */
  const sendStatus = ref<{ ok: boolean, text: string } | null>(null)
  const unlocking = ref(false)
  const codeErrorList = computed<ErrorSummaryItem[]>(() => Object.entries(codeErrors.value).map(([key, m]) => ({
    key, message: t('text.labelled', { label: t('track.unlock.code'), message: message(m) }), href: '#track-code',
  })))

  function lock(pair: TrackPair) {
    lockedPair.value = pair
  }
  /** No pair locked any more (another look-up, or the case shown): the code and what was said of it go too. */
  function reset() {
    lockedPair.value = null
    sendStatus.value = null
    code.value = ''
    codeErrors.value = {}
  }

  /** Asks for a code by SMS; the answer is the same whether or not the pair matched a case with a mobile. */
  async function sendCode() {
    if (!lockedPair.value || sending.value) return
    sending.value = true
    sendStatus.value = null
    try {
      const res = await $fetch<{ minutes: number }>('/api/track/code', { method: 'POST', body: lockedPair.value })
      sendStatus.value = { ok: true, text: t('track.unlock.sent', { minutes: res.minutes }) }
      await nextTick()
      document.getElementById('track-code')?.focus()
    }
    catch (e) {
      sendStatus.value = { ok: false, text: caseStatusCode(e) === 429 ? t('case.track.tooMany') : t('case.common.genericError') }
    }
    finally {
      sending.value = false
    }
  }

  /** The look-up with the code: the case as a normal look-up shows it, or what is wrong beside the code. */
  async function unlock() {
    if (!lockedPair.value || unlocking.value) return
    problem.value = ''
    codeErrors.value = {}
    const typed = code.value.trim()
    if (!typed) codeErrors.value = { code: 'validation.required' }
    else if (!/^\d{6}$/.test(typed)) codeErrors.value = { code: 'validation.resetCode' }
    if (Object.keys(codeErrors.value).length) return
    unlocking.value = true
    try {
      const found = await $fetch<Tracked>('/api/track/unlock', { method: 'POST', body: { ...lockedPair.value, code: typed } })
      reset()
      await show(found)
    }
    catch (e) {
      const status = caseStatusCode(e)
      if (status === 404) codeErrors.value = { code: 'track.unlock.wrongCode' }
      else if (status === 400) codeErrors.value = { code: caseFieldErrors(e).code ?? 'track.unlock.wrongCode' }
      else problem.value = status === 429 ? t('case.track.tooMany') : t('case.common.genericError')
    }
    finally {
      unlocking.value = false
    }
  }

  return { locked, code, codeErrors, codeErrorList, sending, sendStatus, unlocking, lock, reset, sendCode, unlock }
}
