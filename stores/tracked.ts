/**
 * The last answer of public tracking (/api/track, or /api/track/unlock with an SMS code), which the
 * page of a tracked case's document reads: an applicant served at the counter, who may have no
 * account, reads and prints the notices and decisions of their case from there.
 *
 * In memory only, never in localStorage, sessionStorage or a cookie: the documents name the
 * applicant (masked) and the case, and on a shared terminal the next person must not find them.
 * A reload, or a bookmarked address, therefore finds nothing, and the document page says why; and
 * it lives only while the person goes between tracking and the documents (keepsTrackedAnswer).
 * Nothing is set on the server either: the answer comes from the browser's own look-up, so no
 * page's payload carries it.
 */
import { defineStore } from 'pinia'
import type { CaseDocument } from '~~/shared/types/case'

/**
 * Whether a page keeps the answer when the person goes to it: tracking itself and its documents'
 * pages, in either language. Anywhere else the answer is dropped (pages/track.vue and the document
 * page, onBeforeRouteLeave), so that on a shared terminal the browser's Back button does not bring
 * the last person's documents back once they have gone on.
 */
export function keepsTrackedAnswer(path: string): boolean {
  return /^(?:\/en)?\/track(?:-documents\/[^/]+\/[^/]+)?\/?$/.test(path)
}

/** The parts of a tracking answer the pages after it read (composables/useTrackLookup.ts, Tracked, has the whole shape). */
export interface TrackedAnswer {
  caseNo: string
  events: { document?: CaseDocument }[]
}

export const useTrackedStore = defineStore('tracked', () => {
  const answer = ref<TrackedAnswer | null>(null)
  function set(a: TrackedAnswer) {
    answer.value = a
  }
  function clear() {
    answer.value = null
  }
  /** The document the event `id` of case `caseNo` issued, if the last answer was that case's and has it. */
  function documentOf(caseNo: string, id: number): CaseDocument | null {
    if (answer.value?.caseNo !== caseNo) return null
    return answer.value.events.find(e => e.document?.id === id)?.document ?? null
  }
  return { answer, set, clear, documentOf }
})
