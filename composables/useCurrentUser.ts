export interface CurrentUser {
  username: string
  role: 'citizen' | 'clerk' | 'manager' | 'admin' | 'auditor'
  name: string
  idNumberMasked: string | null
  mobileMasked: string | null
  /** messages not yet read, as of the last time this was fetched (the messages page keeps it current) */
  unreadMessages: number
  department: { code: string, name: string, nameEn: string } | null
  /** a clerk who heads the department: decides the requests to extend a time limit */
  departmentHead: boolean
}

/** The signed-in person, shared by every component under one key; null when signed out. */
export function useCurrentUser() {
  const user = useState<CurrentUser | null | undefined>('current-user', () => undefined)
  const requestFetch = useRequestFetch()
  const localePath = useLocalePath()
  const session = useSessionState()
  // Rendering on the server for a request without the session cookie: nobody is signed in, and
  // asking /api/auth/me would cost a whole internal request on every public page. (The browser
  // cannot see the httpOnly cookie, so there it always asks.)
  const signedOutRequest = import.meta.server && !useCookie(SESSION_COOKIE, { readonly: true }).value && !useCookie(SECURE_SESSION_COOKIE, { readonly: true }).value

  async function refresh() {
    const found = signedOutRequest ? null : await requestFetch<CurrentUser>('/api/auth/me').catch(() => null)
    if (found) session.resume(found)
    else user.value = null
    return user.value
  }

  /**
   * Ends the session on the server, then forgets the person here. A sign-out the server did not
   * confirm (5xx, no answer) leaves them on the page, signed in, with the failure said at the top of the page (Account/SignOutFailed.vue):
   * on a shared terminal in the service hall, a silent failure would hand the session to the next
   * person. A 401 means the session had already ended, which is what signing out wants.
   */
  async function signOut(): Promise<boolean> {
    try {
      await $fetch('/api/auth/logout', { method: 'POST' })
    }
    catch (error) {
      if (caseStatusCode(error) !== 401) {
        session.signOutFailures.value++
        return false
      }
    }
    // A whole new page, not a navigation inside this one: on a shared terminal nothing of the
    // person may stay in memory for the next (their documents, receipts, fetched pages, a form's
    // typed answers), and the home page a visitor gets is the one kept for every visitor.
    await reloadNuxtApp({ path: localePath('/'), force: true })
    return true
  }

  return { user, refresh, signOut }
}
