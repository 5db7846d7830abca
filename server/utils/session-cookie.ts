import type { H3Event } from 'h3'
import { ABSOLUTE_MS, SESSION_COOKIE } from '../services/sessions'

/** HttpOnly, SameSite=Lax, and Secure whenever the portal is reached over HTTPS. */
export function setSessionCookie(event: H3Event, token: string) {
  setCookie(event, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: isHttps(event), path: '/', maxAge: ABSOLUTE_MS / 1000 })
}

export function clearSessionCookie(event: H3Event) {
  deleteCookie(event, SESSION_COOKIE, { path: '/' })
}
