/**
 * The HTTP answer of public tracking under its daily failure limits (services/track-failures.ts
 * counts the failures, services/tracking.ts applies them).
 */
import type { H3Event } from 'h3'
import { createError, setResponseHeader } from 'h3'

/** Seconds from `now` to the next Shanghai midnight, when the locks end. */
export function secondsToShanghaiMidnight(now: Date): number {
  const shifted = now.getTime() + 8 * 3_600_000
  return Math.ceil((86_400_000 - (shifted % 86_400_000)) / 1000)
}

/**
 * The answer to a look-up: the case, 404 when the pair does not match, or 429 while the case
 * number or the ID number is locked, whatever the pair (a lock that let the right pair through
 * would itself tell a guesser when they were right).
 */
export function trackAnswer<T>(event: H3Event, outcome: { found: T } | { locked: true } | { notFound: true }, now = new Date()): T {
  if ('found' in outcome) return outcome.found
  if ('notFound' in outcome) throw createError({ statusCode: 404, message: 'Not found' })
  const retry = secondsToShanghaiMidnight(now)
  setResponseHeader(event, 'retry-after', retry)
  throw createError({
    statusCode: 429,
    message: 'Too many failed look-ups of this case number or ID number today: sign in to see the case under My cases',
    data: { reason: 'trackLocked', retryAfterSeconds: retry },
  })
}
