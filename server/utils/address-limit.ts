/**
 * Per-address limits on sign-in and registration, counted in memory over a sliding minute. The
 * account lock stops guessing one password; this stops one address trying many accounts.
 * Limits come from the environment so that load tests on loopback can raise them.
 */
import type { H3Event } from 'h3'

const LIMITS = {
  login: () => Number(process.env.LOGIN_LIMIT_PER_MINUTE || 30),
  register: () => Number(process.env.REGISTER_LIMIT_PER_MINUTE || 10),
} as const

const hits = new Map<string, number[]>()

export function enforceAddressLimit(event: H3Event, kind: keyof typeof LIMITS, now = Date.now()) {
  const key = `${kind}:${clientIp(event)}`
  const recent = (hits.get(key) ?? []).filter(t => now - t < 60_000)
  if (recent.length >= LIMITS[kind]()) {
    const retry = Math.ceil((recent[0]! + 60_000 - now) / 1000)
    setResponseHeader(event, 'retry-after', retry)
    throw createError({ statusCode: 429, message: 'Too many attempts from this address: wait a minute', data: { retryAfterSeconds: retry } })
  }
  recent.push(now)
  hits.set(key, recent)
  if (hits.size > 10_000) hits.clear() // bounded memory under a flood of addresses
}
