/**
 * Page protection: `definePageMeta({ middleware: 'auth', roles: ['citizen'] })`. A signed-out
 * person goes to the sign-in page of the same language with `?redirect=` back here; a signed-in
 * person of another role sees the 403 page. The server refuses the data anyway (deny by default);
 * this only spares people a page that cannot work for them. A session that ended while a page was
 * open counts as signed out once any API call has answered 401 (plugins/session-expiry.client.ts).
 */
import type { CurrentUser } from '../composables/useCurrentUser'

type Role = CurrentUser['role']

declare module '#app' {
  interface PageMeta {
    /** Roles that may open the page; any signed-in person when absent. */
    roles?: readonly Role[]
  }
}

/** The locale prefix of a path (`/en/me` → `/en`), none for the default language. */
function localePrefix(path: string, codes: readonly string[], defaultCode: string): string {
  const first = path.split('/')[1] ?? ''
  return first !== defaultCode && codes.includes(first) ? `/${first}` : ''
}

export default defineNuxtRouteMiddleware(async (to) => {
  const { user, refresh } = useCurrentUser()
  const { ended } = useSessionState()
  // After the session ended under this window (plugins/session-expiry.client.ts) the person may
  // have signed in again in another tab, which shares the cookie: ask once more before sending
  // them to sign in. Otherwise a known signed-out person goes to sign-in without a request.
  if (user.value === undefined || (user.value === null && ended.value)) await refresh()
  if (!user.value) {
    const i18n = useNuxtApp().$i18n
    const codes = i18n.locales.value.map(l => typeof l === 'string' ? l : l.code)
    const prefix = localePrefix(to.path, codes, i18n.defaultLocale)
    return navigateTo({ path: `${prefix}/login`, query: { redirect: to.fullPath } })
  }
  const roles = to.meta.roles
  if (roles && !roles.includes(user.value.role)) {
    return abortNavigation(createError({ statusCode: 403, statusMessage: 'Forbidden', fatal: true }))
  }
})
