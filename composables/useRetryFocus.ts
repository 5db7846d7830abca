import type { Ref } from 'vue'
import { caseStatusCode } from './useCase'

/**
 * Reading a page's data again after it failed: `refresh`, then, once `loaded()` says it came, focus
 * goes to `target` (the page's heading, or the control the data feeds), since the alert whose
 * button was pressed is gone with the failure and focus would fall to the top of the page
 * (WCAG 2.4.3). Still failing: focus stays on the button, and the alert says so again.
 */
export function useRetryFocus(refresh: () => Promise<unknown>, loaded: () => boolean, target: Readonly<Ref<HTMLElement | null | undefined>>) {
  return async function retry() {
    await refresh()
    if (!loaded()) return
    await nextTick()
    target.value?.focus()
  }
}

/** Whether a fetch failed in a way the page itself must say: a 401 is the ended session's notice to tell. */
export function isLoadFailure(error: unknown): boolean {
  return !!error && caseStatusCode(error) !== 401
}
