import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../shared/utils/session'

/**
 * Nothing personal may stay in a shared cache or the back-forward cache of a public computer:
 * the API, the personal pages, public tracking with its documents (what the browser shows there
 * came from a look-up with an ID number) and any page rendered for a signed-in person are `no-store`.
 * Public open data sets its own caching.
 */
const PERSONAL_PAGES = /^\/(?:en\/)?(?:me|clerk|manage|track|track-documents)(?:\/|$)/

export default defineEventHandler((event) => {
  const path = event.path.split('?')[0] ?? ''
  // a page rendered for a signed-in person carries their name (the header, the payload) whatever
  // its address: after they sign out, the back button must not show it to the next person
  const forSomeone = !!(getCookie(event, SESSION_COOKIE) || getCookie(event, SECURE_SESSION_COOKIE))
  if (path.startsWith('/api/') || PERSONAL_PAGES.test(path) || forSomeone) setResponseHeader(event, 'cache-control', 'no-store')
})
