/**
 * The columns of a report's department table, compared as a manager expects: figures by size,
 * names in the page's language, and an unknown figure (nothing to count) last whichever the order,
 * as it is neither the best nor the worst.
 */
import { describe, expect, it } from 'vitest'
import { compareValues } from '../../composables/useSortedRows'

const sorted = (values: (number | string | null)[], direction: 'ascending' | 'descending', locale?: string) =>
  [...values].sort((a, b) => compareValues(a, b, direction, locale))

describe('a department table column sorted', () => {
  it('puts the lowest rate first ascending and the highest first descending, unknown rates last both ways', () => {
    expect(sorted([0.95, null, 0.8, 1], 'ascending')).toEqual([0.8, 0.95, 1, null])
    expect(sorted([0.95, null, 0.8, 1], 'descending')).toEqual([1, 0.95, 0.8, null])
  })

  it('orders names by the page\'s language', () => {
    expect(sorted(['Tax Service', 'Audit Bureau', 'Public Security Bureau'], 'ascending', 'en')).toEqual(['Audit Bureau', 'Public Security Bureau', 'Tax Service'])
    // by pinyin in Chinese: 公安 (gong) before 税务 (shui) before 医疗 (yi)
    expect(sorted(['医疗保障局', '税务局', '公安局'], 'ascending', 'zh-CN')).toEqual(['公安局', '税务局', '医疗保障局'])
  })
})
