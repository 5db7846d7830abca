/**
 * Who may call what. Every handler under server/api is made with `defineApiHandler`, naming who
 * may call it; tests/unit/route-policy.test.ts fails for a handler that does not. Anything not
 * allowed is refused here, before the handler runs (deny by default).
 */
import type { EventHandlerRequest, H3Event } from 'h3'
import type { Role } from '../../db/schema'
import { writeAudit } from '../services/audit'
import { HashingBusy } from '../services/passwords'
import { redactForLog } from './log-redaction'
import { clientAddress, fromTrustedProxy, inProcessClient, isTrustedProxyAddress } from './client-address'
import { findSessionUser } from '../services/sessions'
import { sessionCookieName } from './session-cookie'
import type { SessionUser } from '../services/sessions'

export type { SessionUser }

/** `public` for anyone, `signedIn` for every signed-in role, or the list of roles. */
export type Allow = 'public' | 'signedIn' | readonly Role[]

export function sessionUser(event: H3Event): SessionUser | null {
  if (event.context.user !== undefined) return event.context.user as SessionUser | null
  // over HTTPS only the __Host- cookie counts: a plain one could have been planted (session-cookie.ts)
  const token = getCookie(event, sessionCookieName(event))
  const user = token ? findSessionUser(useConnection(), token) : null
  event.context.user = user
  return user
}

export function clientIp(event: H3Event): string {
  const inProcess = inProcessClient(event)
  if (inProcess) return inProcess.ip
  return clientAddress(getRequestIP(event), getRequestHeader(event, 'x-forwarded-for'), fromTrustedProxy(event), isTrustedProxyAddress)
}

export function isAllowed(allow: Allow, user: SessionUser | null): boolean {
  if (allow === 'public') return true
  if (!user) return false
  return allow === 'signedIn' || allow.includes(user.role)
}

export function defineApiHandler<T>(allow: 'public', handler: (event: H3Event<EventHandlerRequest>, user: SessionUser | null) => T | Promise<T>): ReturnType<typeof defineEventHandler>
export function defineApiHandler<T>(allow: 'signedIn' | readonly Role[], handler: (event: H3Event<EventHandlerRequest>, user: SessionUser) => T | Promise<T>): ReturnType<typeof defineEventHandler>
export function defineApiHandler<T>(allow: Allow, handler: (event: H3Event<EventHandlerRequest>, user: SessionUser) => T | Promise<T>) {
  return defineEventHandler(async (event) => {
    const user = sessionUser(event)
    if (!isAllowed(allow, user)) {
      if (!user) throw createError({ statusCode: 401, message: 'Sign in first' })
      // the path can hold a personal number (a case route called with an ID number): masked as in
      // the log. Through the group commit, so that a burst of refused requests shares disk syncs
      // with the rest instead of costing one each
      const subject = redactForLog(`${requestMethod(event)} ${event.path.split('?')[0]}`)
      await inGroupCommit(() => writeAudit(useConnection(), { actorId: user.id, actorRole: user.role, action: 'access.denied', subject, ip: clientIp(event) }))
      throw createError({ statusCode: 403, message: 'Your role may not do this' })
    }
    try {
      return await handler(event, user as SessionUser)
    }
    catch (error) {
      // the account was closed while this request ran (migration 0010 refuses its new rows)
      if (closedMeanwhile(error)) throw createError({ statusCode: 401, message: 'Sign in first' })
      // too many passwords being hashed at once (services/passwords.ts): nothing was checked or
      // counted, so the person is told to wait a moment, not that the password was wrong
      if (error instanceof HashingBusy) {
        setResponseHeader(event, 'retry-after', error.retryAfterSeconds)
        throw createError({ statusCode: 503, message: error.message, data: error.data })
      }
      throw error
    }
  })
}

function closedMeanwhile(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message === 'account closed') return true
  }
  return false
}
