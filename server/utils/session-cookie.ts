import type { H3Event } from 'h3'
import { SESSION_COOKIE } from '../../shared/utils/session'
import { ABSOLUTE_MS } from '../services/sessions'

/** HttpOnly, SameSite=Lax, and Secure whenever the portal is reached over HTTPS. */
export function setSessionCookie(event: H3Event, token: string) {
  setCookie(event, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: isHttps(event), path: '/', maxAge: ABSOLUTE_MS / 1000 })
}

export function clearSessionCookie(event: H3Event) {
  deleteCookie(event, SESSION_COOKIE, { path: '/' })
}
