import { describe, expect, it } from 'vitest'
import { formatMonth } from '../../composables/useMonthFormat'

describe('a trend month as a reader sees it', () => {
  it('reads 2026年11月 on Chinese pages and Nov 2026 on English ones, not 2026-11', () => {
    expect(formatMonth('2026-11', 'zh')).toBe('2026年11月')
    expect(formatMonth('2026-11', 'en')).toBe('Nov 2026')
  })

  it('keeps January and December in their own year', () => {
    expect(formatMonth('2026-01', 'en')).toBe('Jan 2026')
    expect(formatMonth('2025-12', 'zh')).toBe('2025年12月')
  })

  it('leaves a value that is not a month as it came', () => {
    expect(formatMonth('2026', 'en')).toBe('2026')
  })
})
