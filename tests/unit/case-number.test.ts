import { describe, expect, it } from 'vitest'
import { formatCaseNo, isCaseNoPrefix, parseCaseNo } from '../../shared/utils/case-number'

describe('case numbers', () => {
  it('the 42nd case of 28 Nov 2026 is SZ20261128000042', () => {
    expect(formatCaseNo('2026-11-28', 42)).toBe('SZ20261128000042')
    expect(formatCaseNo('2026-01-01', 999_999)).toBe('SZ20260101999999')
  })

  it('refuses impossible dates and sequences', () => {
    expect(() => formatCaseNo('2026-02-30', 1)).toThrow(RangeError)
    expect(() => formatCaseNo('2026-11-28', 0)).toThrow(RangeError)
    expect(() => formatCaseNo('2026-11-28', 1_000_000)).toThrow(RangeError)
    expect(() => formatCaseNo('2026-11-28', 1.5)).toThrow(RangeError)
  })

  it('parses back what it formats', () => {
    expect(parseCaseNo('SZ20261128000042')).toEqual({ date: '2026-11-28', seq: 42 })
    for (const [date, seq] of [['2025-02-28', 1], ['2024-02-29', 123456]] as const) {
      expect(parseCaseNo(formatCaseNo(date, seq))).toEqual({ date, seq })
    }
  })

  it('rejects things that are not case numbers', () => {
    for (const s of ['', 'SZ2026112800004', 'SZ202611280000420', 'sz20261128000042', 'BJ20261128000042', 'SZ20260230000001', 'SZ20261128000000', ' SZ20261128000042']) {
      expect(parseCaseNo(s)).toBeNull()
    }
  })

  it('a clerk searching for "SZ202611" searches a prefix; wildcards and long texts are refused', () => {
    expect(isCaseNoPrefix('SZ202611')).toBe(true)
    expect(isCaseNoPrefix('sz2026')).toBe(true)
    expect(isCaseNoPrefix('SZ20261128000042')).toBe(true)
    for (const q of ['', 'SZ%', 'SZ_1', 'SZ 2026', 'SZ202611280000421', '张三']) expect(isCaseNoPrefix(q)).toBe(false)
  })
})
