/**
 * Failed look-ups of public tracking, counted per Shanghai day. The per-address limit alone let a
 * case number be paired with its ID number by brute force: the masked number printed on an
 * e-licence hides only the eight birth-date digits, about 2,300 candidates once the check digit is
 * known, and addresses are cheap. So each case number, and each ID number, gets a few failures a
 * day in all, from wherever they come (tracking.ts counts them).
 */
import { LRUCache } from 'lru-cache'
import { numberSetting } from '../utils/settings'

/** Failed look-ups of one case number (or one ID number) a day before it locks; default 5. */
export function trackFailureLimit(): number {
  return numberSetting('TRACK_FAILURES_PER_DAY', 5)
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
