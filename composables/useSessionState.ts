import type { CurrentUser } from './useCurrentUser'

/**
 * What the pages know about the session beyond who is signed in: whether it ended under them
 * (30 idle minutes, a password change, signed out on another device: the server then answers
 * 401), and whether the last sign-out failed. One state per visit, shared under fixed keys with
 * useCurrentUser ('current-user'), so the notices in the layout and every page see the same thing.
 */
export function useSessionState() {
  const user = useState<CurrentUser | null | undefined>('current-user', () => undefined)
  /** The session ended while the page thought someone was signed in. */
  const ended = useState<boolean>('session-ended', () => false)
  /**
   * 401s since the session ended (0 while it has not): a count, so that pressing a button again
   * and being refused again is announced again (pages say nothing of their own on a 401).
   */
  const endedRefusals = useState<number>('session-ended-refusals', () => 0)
  /**
   * The role of the person whose session ended, kept while it is ended: a page keeps the forms
   * it showed them (a clerk's typed answer stays, to be sent after signing in again elsewhere).
   */
  const endedRole = useState<CurrentUser['role'] | null>('session-ended-role', () => null)
  /**
   * The path of the page the session ended on: only that page still holds what was typed
   * (Account/SessionEnded.vue drops the path once the person navigates away).
   */
  const endedPath = useState<string | null>('session-ended-path', () => null)
  /**
   * Sign-outs in a row the server did not confirm (0: none, or the last one worked): the session
   * may still be alive. A count, so a second failure is announced again.
   */
  const signOutFailures = useState<number>('sign-out-failures', () => 0)
  /**
   * When this page last heard from the portal's API (ms since the epoch; 0: not yet): every answer
   * but a 401 means the session was alive then, and each request keeps it so for 30 more minutes.
   * The idle warning counts from it (Account/SessionTimeout.vue).
   */
  const lastContact = useState<number>('session-last-contact', () => 0)
  /** Who was last signed in on this page, kept when their session ends, to tell when the person changes. */
  const lastPerson = useState<string | null>('session-last-person', () => null)
  const router = useRouter()
  const nuxtApp = useNuxtApp()

  /** The role the page was built for: the signed-in person's, else the one whose session ended. */
  const role = computed(() => user.value?.role ?? (ended.value ? endedRole.value : null))

  /**
   * A 401 from the portal's API. Only a session the page believed in can end: a visitor who was
   * never signed in (user null) gets no notice; a further 401 is counted, to be announced again.
   * An ended session is no longer one a failed sign-out could leave alive: that notice goes.
   */
  function markEnded() {
    if (ended.value) {
      endedRefusals.value++
      return
    }
    if (!user.value) return
    endedRole.value = user.value.role
    endedPath.value = router.currentRoute.value.path
    user.value = null
    ended.value = true
    endedRefusals.value = 1
    signOutFailures.value = 0
  }

  /**
   * Signed in (again here, or in another tab sharing the cookie): the notices go, including a
   * failed sign-out's, which would otherwise offer the next person a button that signs them out,
   * and so does what the pages kept of the last person, when this is someone else.
   */
  function resume(next: CurrentUser) {
    if (lastPerson.value !== null && lastPerson.value !== next.username) forgetPersonalState(nuxtApp)
    lastPerson.value = next.username
    user.value = next
    ended.value = false
    endedRefusals.value = 0
    endedRole.value = null
    endedPath.value = null
    signOutFailures.value = 0
  }

  return { user, ended, endedRefusals, endedPath, role, signOutFailures, lastContact, markEnded, resume }
}
