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

  async function refresh() {
    user.value = await requestFetch<CurrentUser>('/api/auth/me').catch(() => null)
    return user.value
  }

  async function signOut() {
    await $fetch('/api/auth/logout', { method: 'POST' }).catch(() => null)
    user.value = null
    await navigateTo(localePath('/'))
  }

  return { user, refresh, signOut }
}
