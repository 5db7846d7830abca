import type { Ref } from 'vue'

/**
 * While `dirty` (an editor holds changes not yet saved), leaving asks first: a navigation inside
 * the portal with a confirm saying `question`, closing or reloading the tab with the browser's own
 * warning (which shows no text of ours). Call from a page's setup.
 */
export function useLeaveWarning(dirty: Readonly<Ref<boolean>>, question: () => string): void {
  onBeforeRouteLeave(() => !dirty.value || window.confirm(question()))
  function warnBeforeUnload(e: BeforeUnloadEvent) {
    if (!dirty.value) return
    e.preventDefault()
    e.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', warnBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', warnBeforeUnload))
}
