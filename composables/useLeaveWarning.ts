import type { Ref } from 'vue'

/**
 * While `dirty` (an editor holds changes not yet saved), leaving asks first: a navigation inside
 * the portal with a confirm saying `question`, closing or reloading the tab with the browser's own
 * warning (which shows no text of ours). `beforeLeave` runs before a navigation inside the portal
 * is judged; `dirtyOnUnload`, when given, decides the browser's warning instead of `dirty` (a page
 * that sends a waiting save as the tab closes need not ask for it). Call from a page's setup.
 */
export function useLeaveWarning(dirty: Readonly<Ref<boolean>>, question: () => string, options: { beforeLeave?: () => Promise<unknown>, dirtyOnUnload?: Readonly<Ref<boolean>> } = {}): void {
  // `beforeLeave` (a pending autosave, made now) runs first: what it saved is no reason to ask
  onBeforeRouteLeave(async () => {
    await options.beforeLeave?.()
    return !dirty.value || window.confirm(question())
  })
  function warnBeforeUnload(e: BeforeUnloadEvent) {
    if (!(options.dirtyOnUnload ?? dirty).value) return
    e.preventDefault()
    e.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', warnBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', warnBeforeUnload))
}
