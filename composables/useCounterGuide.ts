import type { FormDefinition, ServiceGuide } from '~~/shared/types/catalogue'
import { intakeDefinition } from '~~/shared/utils/form-schema'

/** The chosen item's guide: '' none chosen, or loading, failed (then no form and no submitting), ready. */
export type CounterGuideState = '' | 'loading' | 'failed' | 'ready'

/**
 * The guide of the item chosen at the counter, and the form the intake asks with it. `onReady` runs
 * in the same tick as the guide arrives: the only error there can be then is submit()'s "the form
 * did not load (yet)", no longer true, and cleared later the error summary would take focus once
 * more (it does on every change).
 */
export function useCounterGuide(onReady: () => void) {
  const guide = ref<ServiceGuide | null>(null)
  const guideState = ref<CounterGuideState>('')
  // a retry keeps the failure's alert and its button (focus stays on it) and says it is loading
  const guideRetrying = ref(false)
  let guideTicket = 0

  /** Loads the guide of `code`; the answer to an earlier choice, arriving late, is dropped. */
  async function loadGuide(code: string): Promise<boolean> {
    const ticket = ++guideTicket
    guide.value = null
    guideRetrying.value = false
    if (!code) {
      guideState.value = ''
      return false
    }
    if (guideState.value === 'failed') guideRetrying.value = true
    else guideState.value = 'loading'
    try {
      const g = await $fetch<ServiceGuide>(`/api/services/${encodeURIComponent(code)}`)
      if (ticket !== guideTicket) return false
      guide.value = g
      guideState.value = 'ready'
      onReady()
      return true
    }
    catch {
      if (ticket === guideTicket) guideState.value = 'failed'
      return false
    }
    finally {
      if (ticket === guideTicket) guideRetrying.value = false
    }
  }

  /** The guide of another item chosen: not a retry of the failed one. */
  function switchGuide(code: string): Promise<boolean> {
    if (guideState.value === 'failed') guideState.value = 'loading'
    return loadGuide(code)
  }

  // the form as the server takes it in (intakeDefinition): for an item for organisations it also asks
  // the organisation's name and code when the item's form does not, even for an item without a form
  const form = computed<FormDefinition | null>(() => {
    const g = guide.value
    if (!g || (!g.form && g.audience !== 'organization')) return null
    return intakeDefinition(g.form ?? { version: 1, fields: [] }, 'counter', g.audience)
  })

  return { guide, guideState, guideRetrying, form, loadGuide, switchGuide }
}
