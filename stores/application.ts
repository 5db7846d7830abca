/**
 * Client state spanning the application journey's pages: the receipt of the last submission
 * (shown at once on the receipt page, before the case detail loads).
 */
import { defineStore } from 'pinia'

export interface Receipt { caseNo: string, deadline: string, serviceCode: string, serviceName: string, submittedAt: string }

export const useApplicationStore = defineStore('application', () => {
  const receipt = ref<Receipt | null>(null)
  function setReceipt(r: Receipt) {
    receipt.value = r
  }
  return { receipt, setReceipt }
})
