import type { Action } from '~~/shared/utils/workflow'

/** What a case page sends to `POST /api/cases/:caseNo/transitions` (the contract's body). */
export interface TransitionBody {
  action: Action
  /** the version the page read: another hand's change in between is a 409, not an overwrite */
  version: number
  [extra: string]: unknown
}

export interface CaseTransitionOptions {
  caseNo: () => string
  /** reads the case again, after an action or a conflict */
  refresh: () => Promise<void>
  /** moves focus to the outcome once it is shown (WCAG 2.4.3: the button used is gone) */
  focusOutcome: () => Promise<void>
  /** the errors of a 400 (or of a 413, which names the file fields too large together) */
  showFieldErrors: (errors: Record<string, string>) => void
}

/**
 * One action on a case, as the clerk's and the applicant's case pages take it, and what the page
 * says of it in `notice`: done; changed meanwhile by someone else (409, the case read again);
 * the fields at fault; or "try again later". A 401 says nothing here: the session ended, which
 * the layout's notice says with a link to sign in, and nothing was done.
 */
export function useCaseTransition(options: CaseTransitionOptions) {
  const { t } = useI18n()
  const notice = ref('')
  const busy = ref(false)

  /** Sends the action; true once it is done. `whenDone` runs before the case is read again. */
  async function send(body: TransitionBody, whenDone?: () => void): Promise<boolean> {
    notice.value = ''
    busy.value = true
    try {
      await $fetch(`/api/cases/${options.caseNo()}/transitions`, { method: 'POST', body })
      notice.value = t('case.detail.done', { action: t(`case.action.${body.action}`) })
      whenDone?.()
      await options.refresh()
      await options.focusOutcome()
      return true
    }
    catch (e) {
      const code = caseStatusCode(e)
      const fieldErrors = caseFieldErrors(e)
      if (code === 409) {
        notice.value = t('case.common.conflict')
        await options.refresh()
        await options.focusOutcome()
      }
      else if (code === 400 || Object.keys(fieldErrors).length) options.showFieldErrors(fieldErrors)
      else if (code !== 401) {
        notice.value = t('case.common.genericError')
        await options.focusOutcome()
      }
      return false
    }
    finally {
      busy.value = false
    }
  }

  return { notice, busy, send }
}
