/**
 * Client state spanning the application journey's pages: the receipt of the last submission
 * (shown at once on the receipt page, before the case detail loads), and the server's refusal of
 * a submit, which the form page shows at its fields when the person follows a "change" link from
 * the review page (the form's own schema cannot know that a mobile is not the account's).
 */
import { defineStore } from 'pinia'

export interface Receipt { caseNo: string, deadline: string, serviceCode: string, serviceName: string, submittedAt: string }

/**
 * The refusal goes through the tab's sessionStorage: the summary's links are plain links, which
 * load the form page afresh. It holds field keys and message keys only, nothing the person typed.
 */
const refusalKey = (draftId: string) => `portal.submitRefusal.${draftId}`

export const useApplicationStore = defineStore('application', () => {
  const receipt = ref<Receipt | null>(null)
  function setReceipt(r: Receipt) {
    receipt.value = r
  }
  /** The field errors the server gave `draftId`'s submit, by field key. */
  function setRefusal(draftId: string, fieldErrors: Record<string, string>) {
    try {
      sessionStorage.setItem(refusalKey(draftId), JSON.stringify(fieldErrors))
    }
    catch {
      // storage off or full: the review page still lists them
    }
  }
  /** The refusal of `draftId`'s submit, once: the form shows it, and from then on judges the answers itself. */
  function takeRefusal(draftId: string): Record<string, string> | null {
    try {
      const kept = sessionStorage.getItem(refusalKey(draftId))
      sessionStorage.removeItem(refusalKey(draftId))
      const parsed: unknown = kept ? JSON.parse(kept) : null
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'))
    }
    catch {
      return null
    }
  }
  return { receipt, setReceipt, setRefusal, takeRefusal }
})
