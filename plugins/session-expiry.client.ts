/**
 * Notices a session that ended while a page was open (30 idle minutes, a password change, signed
 * out on another device). The pages learn who is signed in once per load, so without this the
 * header kept the person's name and every call answered 401, which pages showed as "try again
 * later". Wrapping globalThis.$fetch sees every call the pages make, theirs and useFetch's (both
 * read the global when they run): a 401 from the portal's API marks the session ended (the
 * notice at the top of the layout's main, Account/SessionEnded.vue), and a success afterwards asks /api/auth/me whether
 * the person has signed in again in another tab, which shares the cookie, to take the notice away.
 */
import type { CurrentUser } from '~/composables/useCurrentUser'

type Fetch = typeof globalThis.$fetch
type RawFetch = (request: unknown, options?: unknown) => Promise<{ _data?: unknown }>

/** Their 401 is about the password, or means the sign-out has nothing left to end. */
const NOT_A_SESSION_END = new Set(['/api/auth/login', '/api/auth/logout'])

/** The path of a request to this portal's API, or null for anything else. */
function portalApiPath(request: unknown): string | null {
  const href = typeof request === 'string' ? request : request instanceof Request ? request.url : null
  if (!href) return null
  const url = new URL(href, window.location.origin)
  return url.origin === window.location.origin && url.pathname.startsWith('/api/') ? url.pathname : null
}

export default defineNuxtPlugin(() => {
  const { ended, lastContact, markEnded, resume } = useSessionState()
  const router = useRouter()
  const base = globalThis.$fetch
  const baseRaw = base.raw as unknown as RawFetch
  let checking: Promise<void> | null = null

  /** Signed in again elsewhere? One question at a time, past the wrapper (its 401 is expected). */
  function recheck() {
    checking ??= base<CurrentUser>('/api/auth/me')
      .then(resume)
      .catch(() => undefined)
      .finally(() => { checking = null })
  }

  async function raw(request: unknown, options?: unknown) {
    const path = portalApiPath(request)
    try {
      const response = await baseRaw(request, options)
      if (path) lastContact.value = Date.now()
      if (path && ended.value && !path.startsWith('/api/auth/')) recheck()
      return response
    }
    catch (error) {
      const status = caseStatusCode(error)
      if (path && !NOT_A_SESSION_END.has(path) && status === 401) markEnded()
      // any other answer (a 400, a 409) still came through a live session, which it kept alive
      else if (path && status) lastContact.value = Date.now()
      throw error
    }
  }

  // back from signing in again in another tab (Account/SessionEnded.vue opens it there): the
  // notice goes as the person returns, not only at their next save
  document.addEventListener('visibilitychange', () => {
    if (ended.value && document.visibilityState === 'visible') recheck()
  })

  const wrapped = Object.assign(
    (request: unknown, options?: unknown) => raw(request, options).then(r => r._data),
    // ofetch's `native` (the platform's fetch) is not in Nitro's $Fetch type, but kept for callers
    { raw, native: (base as unknown as { native?: typeof fetch }).native, create: base.create },
  )
  globalThis.$fetch = wrapped as unknown as Fetch

  // "the notice goes once they navigate after signing in": public pages ask nothing that would tell
  router.afterEach(() => {
    if (ended.value) recheck()
  })
})
