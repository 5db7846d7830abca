import { describe, expect, it } from 'vitest'
import { caseRates, meetsTarget, rate, serviceRates, TARGETS } from '../../shared/utils/rates'

describe('rates', () => {
  it('is a fraction rounded to 4 decimals', () => {
    expect(rate(1, 3)).toBe(0.3333)
    expect(rate(2, 3)).toBe(0.6667)
    expect(rate(9, 10)).toBe(0.9)
    expect(rate(0, 5)).toBe(0)
    expect(rate(5, 5)).toBe(1)
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
      onlineRate: 0.9167,
      onTimeRate: 0.99,
    })
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
