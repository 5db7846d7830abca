/**
 * Nothing personal may stay in a shared cache or the back-forward cache of a public computer:
 * the API and the personal pages are `no-store`. Public open data sets its own caching.
 */
const PERSONAL_PAGES = /^\/(?:en\/)?(?:me|clerk|manage)(?:\/|$)/

export default defineEventHandler((event) => {
  const path = event.path.split('?')[0] ?? ''
  if (path.startsWith('/api/') || PERSONAL_PAGES.test(path)) setResponseHeader(event, 'cache-control', 'no-store')
})
