/**
 * After a client-side navigation, move focus to the main content so that screen-reader and
 * keyboard users start at the new page rather than at the link they left (GOV.UK pattern).
 */
export default defineNuxtPlugin((nuxtApp) => {
  const router = useRouter()
  let first = true
  router.afterEach((to, from) => {
    if (first) { first = false; return }
    if (to.path === from.path) return
    nuxtApp.hooks.hookOnce('page:finish', () => {
      const target = document.querySelector<HTMLElement>('main h1') ?? document.getElementById('main')
      if (!target) return
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    })
  })
})
