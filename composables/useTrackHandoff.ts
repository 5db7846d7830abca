import type { Ref } from 'vue'
import type { Tracked } from '~/composables/useTrackLookup'
import { keepsTrackedAnswer, useTrackedStore } from '~/stores/tracked'

const withoutLanguage = (path: string) => path.replace(/^\/en(?=\/|$)/, '') || '/'

/**
 * The look-up handed over to the same page in the other language, once: switching language builds
 * the page afresh, and the person had to type the 18-digit ID number again. Only to that page, and
 * taken at once: on a shared terminal, whoever opens tracking next must not find the last
 * person's ID number in the field. Back from one of the case's documents, the answer held in
 * memory (stores/tracked.ts) is shown again.
 */
export function useTrackHandoff(caseNo: Ref<string>, idNumber: Ref<string>, result: Ref<Tracked | null>) {
  const tracked = useTrackedStore()
  const handoff = useState<{ caseNo: string, idNumber: string, result: Tracked | null } | null>('track-language-handoff', () => null)
  onBeforeRouteLeave((to, from) => {
    handoff.value = withoutLanguage(to.path) === withoutLanguage(from.path) ? { caseNo: caseNo.value, idNumber: idNumber.value, result: result.value } : null
    // the answer goes with the person to its documents and back, and no further
    if (!keepsTrackedAnswer(to.path)) tracked.clear()
  })
  if (import.meta.client && handoff.value) {
    caseNo.value = handoff.value.caseNo
    idNumber.value = handoff.value.idNumber
    result.value = handoff.value.result
    if (result.value) tracked.set(result.value)
    handoff.value = null
  }
  else if (import.meta.client && tracked.answer) {
    // back from one of its documents: the case is shown again, to print another, without the ID number typed again
    caseNo.value = tracked.answer.caseNo
    result.value = tracked.answer as Tracked
  }
}
