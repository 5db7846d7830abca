/**
 * Rates as the pages show them: cut down, never rounded up, so a figure never reads as a target
 * met (89.96% as 90.0%, 2,499 of 2,500 as 100.0%). Every rate shown on a page is the server's
 * rate() (or rate() on the page) passed to percentDigits, so the property is over that chain.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { percentDigits } from '../../composables/useReport'
import { rate, TARGETS } from '../../shared/utils/rates'

/** Counts well beyond any city's cases in a year (rate() is exact up to 9 × 10⁹). */
const MAX = 2_000_000_000
const fraction = fc.integer({ min: 1, max: MAX }).chain(d => fc.tuple(fc.integer({ min: 0, max: d }), fc.constant(d)))
/** Tenths of a percent as shown, as an exact integer. */
const shownTenths = (r: number, direction: 'down' | 'up' = 'down') => Math.round(percentDigits(r, direction) * 10)

describe('a rate shown as a percent', () => {
  it('is never above the true percent, and is its exact cut to one decimal', () => {
    fc.assert(fc.property(fraction, ([n, d]) => {
      const tenths = BigInt(shownTenths(rate(n, d)!))
      // shown ≤ n/d < shown + 0.1%, in integers: tenths·d ≤ 1000·n < (tenths + 1)·d
      expect(tenths * BigInt(d) <= 1000n * BigInt(n)).toBe(true)
      expect(1000n * BigInt(n) < (tenths + 1n) * BigInt(d)).toBe(true)
    }), { numRuns: 5000 })
  })

  it('never shows a gap to a target smaller than it is', () => {
    fc.assert(fc.property(fraction, fc.constantFrom(...Object.values(TARGETS)), ([n, d], target) => {
      const r = rate(n, d)!
      if (r >= target) return
      // the true gap target − n/d, in tenths of a percent: shown·d ≥ 1000·(target·d − n)
      const targetPermille = BigInt(Math.round(target * 1000))
      expect(BigInt(shownTenths(target - r, 'up')) * BigInt(d) >= targetPermille * BigInt(d) - 1000n * BigInt(n)).toBe(true)
    }), { numRuns: 5000 })
  })

  it('reads the review\'s examples cut down', () => {
    // DepartmentChart drew 0.8996 at 90.0
    expect(percentDigits(0.8996)).toBe(89.9)
    // the home page's headline read 2,499 of 2,500 as 100.0%
    expect(percentDigits(rate(2499, 2500)!)).toBe(99.9)
    // the satisfaction page (Intl) read 510 of 641 as 79.6%, the report 79.5%
    expect(percentDigits(rate(510, 641)!)).toBe(79.5)
    expect(percentDigits(rate(507, 641)!)).toBe(79)
    expect(percentDigits(rate(22_499, 25_000)!)).toBe(89.9)
    // within 10⁻⁶ of the next tenth: rate() cuts first, so percentDigits' tolerance cannot lift it
    expect(percentDigits(rate(1000, 1_000_001)!)).toBe(0)
    // and on a raw fraction too: the tolerance for binary fractions is far below a tenth of a percent
    expect(percentDigits(1000 / 1_000_001)).toBe(0)
    expect(percentDigits(0.57)).toBe(57)
    expect(percentDigits(rate(999_999_999, 1_000_000_000)!)).toBe(99.9)
    expect(percentDigits(rate(1, 1)!)).toBe(100)
    expect(percentDigits(rate(0, 7)!)).toBe(0)
  })
})
