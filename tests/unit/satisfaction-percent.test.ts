/**
 * Percentages on the satisfaction page (好差评统计): every one with exactly one decimal ("9.0%"
 * beside "11.5%", not "9%"); a good-rating or on-time rate cut down, so 99.96% never reads 100.0%;
 * a poor-rating share rounded up from its counts, so a department's share of poor ratings is never
 * understated (1 of 7 reads 14.3%, not 14.2%).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { percentDigits } from '../../composables/useReport'
import { formatPercent, percentUp } from '../../composables/useResult'
import { rate } from '../../shared/utils/rates'

/** Counts well beyond any city's ratings in a year. */
const MAX = 2_000_000_000
const fraction = fc.integer({ min: 1, max: MAX }).chain(d => fc.tuple(fc.integer({ min: 0, max: d }), fc.constant(d)))

describe('a poor-rating share as the satisfaction page shows it', () => {
  it('is never below the true share, and is its exact ceiling to one decimal', () => {
    fc.assert(fc.property(fraction, ([n, d]) => {
      const tenths = BigInt(Math.round(percentUp(n, d)! * 10))
      // shown − 0.1% < n/d ≤ shown, in integers: (tenths − 1)·d < 1000·n ≤ tenths·d
      expect(1000n * BigInt(n) <= tenths * BigInt(d)).toBe(true)
      expect((tenths - 1n) * BigInt(d) < 1000n * BigInt(n)).toBe(true)
    }), { numRuns: 5000 })
  })

  it('reads the tester\'s examples rounded up', () => {
    // 1 poor rating of 7 (14.285…%) read 14.2%, flattering the department
    expect(percentUp(1, 7)).toBe(14.3)
    expect(percentUp(1, 8)).toBe(12.5)
    expect(percentUp(9, 100)).toBe(9)
    expect(percentUp(0, 7)).toBe(0)
    expect(percentUp(7, 7)).toBe(100)
    // a share just above a tenth is not cut back to it, as the server's 6-decimal share would be
    expect(percentUp(1_000_001, 10_000_000)).toBe(10.1)
    expect(percentUp(1, 1_000_001)).toBe(0.1)
    expect(percentUp(0, 0)).toBeNull()
  })
})

describe('a percentage on the satisfaction page', () => {
  it('has exactly one decimal in Chinese and in English', () => {
    for (const tag of ['zh-CN', 'en-GB']) {
      expect(formatPercent(percentUp(9, 100), tag)).toBe('9.0%')
      expect(formatPercent(percentUp(23, 200), tag)).toBe('11.5%')
      expect(formatPercent(percentUp(1, 7), tag)).toBe('14.3%')
      expect(formatPercent(percentDigits(rate(6, 7)!), tag)).toBe('85.7%')
      expect(formatPercent(percentDigits(rate(1, 1)!), tag)).toBe('100.0%')
      expect(formatPercent(percentDigits(rate(0, 3)!), tag)).toBe('0.0%')
      expect(formatPercent(null, tag)).toBe('—')
    }
  })

  it('keeps a good rate cut down, so it never reads as 100.0% short of every rating', () => {
    expect(formatPercent(percentDigits(rate(2499, 2500)!), 'zh-CN')).toBe('99.9%')
    expect(formatPercent(percentDigits(rate(510, 641)!), 'en-GB')).toBe('79.5%')
    fc.assert(fc.property(fraction, ([n, d]) => {
      const shown = formatPercent(percentDigits(rate(n, d)!), 'en-GB')
      expect(shown).toMatch(/^\d{1,3}\.\d%$/)
      if (n < d) expect(shown).not.toBe('100.0%')
    }), { numRuns: 2000 })
  })
})
