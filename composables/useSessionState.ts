import type { CurrentUser } from './useCurrentUser'

/**
 * What the pages know about the session beyond who is signed in: whether it ended under them
 * (30 idle minutes, a password change, signed out on another device: the server then answers
 * 401), and whether the last sign-out failed. One state per visit, shared under fixed keys with
 * useCurrentUser ('current-user'), so the notices in app.vue and every page see the same thing.
 */
export function useSessionState() {
  const user = useState<CurrentUser | null | undefined>('current-user', () => undefined)
  /** The session ended while the page thought someone was signed in. */
  const ended = useState<boolean>('session-ended', () => false)
  /**
   * Sign-outs in a row the server did not confirm (0: none, or the last one worked): the session
   * may still be alive. A count, so a second failure is announced again.
   */
  const signOutFailures = useState<number>('sign-out-failures', () => 0)

  /**
   * A 401 from the portal's API. Only a session the page believed in can end: a visitor who was
   * never signed in (user null) gets no notice, and a second 401 changes nothing.
   */
  function markEnded() {
    if (!user.value) return
    user.value = null
    ended.value = true
  }

  /** Signed in again (here, or in another tab sharing the cookie): the notice goes. */
  function resume(next: CurrentUser) {
    user.value = next
    ended.value = false
  }

  return { user, ended, signOutFailures, markEnded, resume }
}

/** The HTTP status of a failed $fetch or upload, 0 when there was no answer (network). */
export function failedStatus(error: unknown): number {
  const e = error as { statusCode?: number, status?: number, response?: { status?: number } } | null
  return e?.statusCode ?? e?.response?.status ?? e?.status ?? 0
}
