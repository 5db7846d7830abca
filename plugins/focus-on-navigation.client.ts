/**
 * After a client-side navigation, move focus to the main content so that screen-reader and
 * keyboard users start at the new page rather than at the link they left (GOV.UK pattern).
 * A link with a fragment (/me#organizations-title) scrolls to that element, so focus goes there
 * too: focusing the H1 instead would send the next Tab back to the top of the page.
 */
export default defineNuxtPlugin((nuxtApp) => {
  const router = useRouter()
  let first = true
  router.afterEach((to, from) => {
    if (first) { first = false; return }
    if (to.path === from.path) return
    nuxtApp.hooks.hookOnce('page:finish', () => {
      const named = to.hash ? document.getElementById(decodeURIComponent(to.hash.slice(1))) : null
      const target = named ?? document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main')
      if (!target) return
      // a heading or region can only take focus from a script; a field or link keeps its place in the Tab order
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    })
  })
})
