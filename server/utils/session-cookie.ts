import type { H3Event } from 'h3'
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../shared/utils/session'
import { writeAudit } from '../services/audit'
import { endSession } from '../services/sessions'
import type { SessionUser } from '../services/sessions'

/** The session cookie's name for this request: `__Host-` over HTTPS (shared/utils/session.ts). */
export function sessionCookieName(event: H3Event): string {
  return isHttps(event) ? SECURE_SESSION_COOKIE : SESSION_COOKIE
}

/**
 * HttpOnly, SameSite=Lax, and Secure whenever the portal is reached over HTTPS. A cookie of the
 * browser session (no Max-Age): on a service hall's shared terminal, closing the browser signs the
 * person out; the server ends the session anyway after 30 idle minutes or 12 hours (sessions.ts).
 */
export function setSessionCookie(event: H3Event, token: string) {
  setCookie(event, sessionCookieName(event), token, { httpOnly: true, sameSite: 'lax', secure: isHttps(event), path: '/' })
}

/** Clears the session cookie; over HTTPS also one left without the prefix (from before HTTPS, or planted). */
export function clearSessionCookie(event: H3Event) {
  const https = isHttps(event)
  deleteCookie(event, SESSION_COOKIE, { secure: https, path: '/' })
  // a __Host- cookie is set, and can be cleared, over HTTPS only
  if (https) deleteCookie(event, SECURE_SESSION_COOKIE, { secure: true, path: '/' })
}

/**
 * Signs a browser into a new session (`token`). Someone signing in or registering on a browser
 * already signed in as another account ends that session on the server too: overwriting the cookie
 * alone left it valid, and listed among the first account's devices, until it idled out.
 */
export function replaceSession(event: H3Event, previous: SessionUser | null, token: string, ip: string) {
  if (previous) {
    const conn = useConnection()
    inWriteTransaction(() => {
      endSession(conn, previous.sessionId)
      writeAudit(conn, { actorId: previous.id, actorRole: previous.role, action: 'auth.logout', ip })
    })
  }
  setSessionCookie(event, token)
}
