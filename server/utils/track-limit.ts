/**
 * Failed look-ups of public tracking, counted per Shanghai day. The per-address limit alone let a
 * case number be paired with its ID number by brute force: the masked number printed on an
 * e-licence hides only the eight birth-date digits, about 2,300 candidates once the check digit is
 * known, and addresses are cheap. So each case number, and each ID number, gets a few failures a
 * day in all, from wherever they come (services/tracking.ts counts them).
 */
import type { H3Event } from 'h3'
import { createError, setResponseHeader } from 'h3'
import { LRUCache } from 'lru-cache'
import { shanghaiDateOf } from '../../shared/utils/working-days'

/** Failed look-ups of one case number (or one ID number) a day before it locks; default 5. */
export function trackFailureLimit(): number {
  return Number(process.env.TRACK_FAILURES_PER_DAY || 5)
}

export interface FailureCounter {
  /** Whether `key` has used up its failures on `day`. */
  isLocked: (key: string, day: string) => boolean
  /** Counts one failure; true exactly when this failure locks `key` for the rest of `day`. */
  fail: (key: string, day: string) => boolean
}

/**
 * Failures per key for one day, in memory and bounded: the key used longest ago goes first. A
 * flood of fresh keys could push out a lock, but only after `max` failed look-ups, each of them
 * spent from some address's per-minute budget; at the default that is far more than guessing the
 * birth date outright. A new day starts every key at zero.
 */
export function createFailureCounter(max: number, limit: () => number = trackFailureLimit): FailureCounter {
  // the day is part of the key, so yesterday's counts are simply never read again and age out
  const failures = new LRUCache<string, number>({ max })
  return {
    isLocked: (key, day) => (failures.get(`${day}|${key}`) ?? 0) >= limit(),
    fail: (key, day) => {
      const count = (failures.get(`${day}|${key}`) ?? 0) + 1
      failures.set(`${day}|${key}`, count)
      return count === limit()
    },
  }
}

/** The Shanghai day of an instant, the counters' day. */
export const trackDay = (now: Date): string => shanghaiDateOf(now)

/** Seconds from `now` to the next Shanghai midnight, when the locks end. */
export function secondsToShanghaiMidnight(now: Date): number {
  const shifted = now.getTime() + 8 * 3_600_000
  return Math.ceil((86_400_000 - (shifted % 86_400_000)) / 1000)
}

/**
 * The answer to a look-up: the case, 404 when the pair does not match, or 429 while the case
 * number or the ID number is locked, whatever the pair (a lock that let the right pair through
 * would itself tell a guesser when they were right). The applicant still sees the case signed in.
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
