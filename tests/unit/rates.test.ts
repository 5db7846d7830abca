import { describe, expect, it } from 'vitest'
import { percentDigits } from '../../composables/useReport'
import { acceptanceRates, average, caseRates, meetsTarget, rate, scoreAverage, serviceRates, TARGETS } from '../../shared/utils/rates'

describe('rates', () => {
  it('is the fraction itself, as the contract\'s formulas read, never rounded', () => {
    expect(rate(1, 3)).toBe(1 / 3)
    expect(rate(2, 3)).toBe(2 / 3)
    expect(rate(1657, 2164)).toBe(1657 / 2164)
    expect(rate(57, 100)).toBe(0.57)
    expect(rate(9, 10)).toBe(0.9)
    expect(rate(0, 5)).toBe(0)
    expect(rate(5, 5)).toBe(1)
  })

  it('never reports a rate just below a target as meeting it', () => {
    // 22,499 of 25,000 is 89.996%: rounded to 4 decimals it would read 0.9 and meet the 90% target
    expect(meetsTarget('onlineRate', rate(22_499, 25_000))).toBe(false)
    expect(meetsTarget('onlineAvailabilityRate', rate(19_999, 20_000))).toBe(false)
    expect(meetsTarget('onlineRate', rate(22_500, 25_000))).toBe(true)
  })

  it('is shown cut down to one decimal, and a gap to a target rounded up', () => {
    expect(percentDigits(rate(22_499, 25_000)!)).toBe(89.9)
    expect(percentDigits(0.57)).toBe(57)
    expect(percentDigits(2 / 3)).toBe(66.6)
    expect(percentDigits(1)).toBe(100)
    expect(percentDigits(0.9 - rate(22_499, 25_000)!, 'up')).toBe(0.1)
    expect(percentDigits(0.9 - 0.8, 'up')).toBe(10)
  })

  it('rounds an average once', () => {
    // 51 fives and 50 fours: 4.50495…, which rounded to 3 decimals first would become 4.51
    expect(average(51 * 5 + 50 * 4, 101, 2)).toBe(4.5)
    expect(average(351, 1003, 1)).toBe(0.3)
    expect(average(7, 2, 1)).toBe(3.5)
    expect(average(0, 0, 2)).toBeNull()
  })

  it('cuts an average score down: 5.00 only when every score is a five', () => {
    // 249 fives and a four: 4.996, which rounded would read as a perfect 5.00
    expect(scoreAverage(249 * 5 + 4, 250)).toBe(4.99)
    expect(scoreAverage(5 * 250, 250)).toBe(5)
    expect(scoreAverage(14, 3)).toBe(4.66)
    expect(scoreAverage(0, 0)).toBeNull()
  })

  it('a rate of nothing is null, never NaN', () => {
    expect(rate(0, 0)).toBeNull()
    expect(rate(3, 0)).toBeNull()
  })

  it('refuses negative or non-finite counts', () => {
    expect(() => rate(-1, 5)).toThrow(RangeError)
    expect(() => rate(1, Number.NaN)).toThrow(RangeError)
    expect(() => rate(Number.POSITIVE_INFINITY, 5)).toThrow(RangeError)
  })
})

describe('the online-rate report', () => {
  it('a department with 40 items, 32 suitable online, 30 of those available, 12 fully online', () => {
    expect(serviceRates({ total: 40, suitableOnline: 32, availableOnline: 30, fullyOnline: 12 })).toEqual({
      total: 40, suitableOnline: 32, availableOnline: 30, fullyOnline: 12,
      onlineAvailabilityRate: 0.9375,
      fullyOnlineRate: 0.3,
    })
  })

  it('a department with no items has unknown rates', () => {
    expect(serviceRates({ total: 0, suitableOnline: 0, availableOnline: 0, fullyOnline: 0 })).toMatchObject({ onlineAvailabilityRate: null, fullyOnlineRate: null })
  })

  it('the online rate is online ÷ (online + counter); the on-time rate on time ÷ completed', () => {
    expect(caseRates({ total: 1200, online: 1100, counter: 100, completed: 800, completedOnTime: 792 })).toEqual({
      total: 1200, online: 1100, counter: 100, completed: 800, completedOnTime: 792,
      onlineRate: 1100 / 1200,
      onTimeRate: 0.99,
    })
  })

  it('gives the share of acceptance decisions made in time, unknown with none decided', () => {
    expect(acceptanceRates({ decided: 3, late: 1 })).toEqual({ acceptanceDecided: 3, acceptedLate: 1, acceptanceOnTimeRate: 2 / 3 })
    expect(acceptanceRates({ decided: 1, late: 1 })).toMatchObject({ acceptanceOnTimeRate: 0 })
    expect(acceptanceRates({ decided: 0, late: 0 })).toMatchObject({ acceptanceOnTimeRate: null })
    expect(() => acceptanceRates({ decided: 1, late: 2 })).toThrow(RangeError)
  })

  it('a month with no cases has unknown rates', () => {
    expect(caseRates({ total: 0, online: 0, counter: 0, completed: 0, completedOnTime: 0 })).toMatchObject({ onlineRate: null, onTimeRate: null })
  })

  it('checks the targets: every suitable item online, 90% of cases online', () => {
    expect(TARGETS).toEqual({ onlineAvailabilityRate: 1, onlineRate: 0.9 })
    expect(meetsTarget('onlineAvailabilityRate', 1)).toBe(true)
    expect(meetsTarget('onlineAvailabilityRate', 0.9999)).toBe(false)
    expect(meetsTarget('onlineRate', 0.9)).toBe(true)
    expect(meetsTarget('onlineRate', 0.8999)).toBe(false)
    expect(meetsTarget('onlineRate', null)).toBeNull()
  })
})
