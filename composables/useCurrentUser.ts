export interface CurrentUser {
  username: string
  role: 'citizen' | 'clerk' | 'manager' | 'admin' | 'auditor'
  name: string
  idNumberMasked: string | null
  mobileMasked: string | null
  department: { code: string, name: string, nameEn: string } | null
}

/** The signed-in person, shared by every component under one key; null when signed out. */
export function useCurrentUser() {
  const user = useState<CurrentUser | null | undefined>('current-user', () => undefined)
  const requestFetch = useRequestFetch()
  const localePath = useLocalePath()
  // Rendering on the server for a request without the session cookie: nobody is signed in, and
  // asking /api/auth/me would cost a whole internal request on every public page. (The browser
  // cannot see the httpOnly cookie, so there it always asks.)
  const signedOutRequest = import.meta.server && !useCookie(SESSION_COOKIE, { readonly: true }).value

  async function refresh() {
    user.value = signedOutRequest ? null : await requestFetch<CurrentUser>('/api/auth/me').catch(() => null)
    return user.value
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' }).catch(() => null)
    user.value = null
    await navigateTo(localePath('/'))
  }

  return { user, refresh, signOut }
}
