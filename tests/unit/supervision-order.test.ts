/**
 * A manager reading supervision's on-time completion by department: the worst department first
 * (the lowest on-time rate, then the most open overdue cases), the ones with nothing to judge
 * last, and each column heading sorting the worst first on its first click.
 */
import { describe, expect, it } from 'vitest'
import { useSortedRows } from '../../composables/useSortedRows'
import { onTimeRateOf, worstOnTimeFirst } from '../../composables/useSupervisionOrder'

interface Row { code: string, completed: number, completedOnTime: number, openOverdue: number }
const dept = (code: string, completed: number, completedOnTime: number, openOverdue: number): Row => ({ code, completed, completedOnTime, openOverdue })

// as the demo's departments read: 工业和信息化局 at 80.0%, 医疗保障局 with the most overdue
const rows = [
  dept('SZCG', 0, 0, 0), // nothing completed, nothing overdue: nothing to judge
  dept('SZGA', 50, 49, 1),
  dept('SZGX', 20, 16, 2), // 80.0%
  dept('SZRS', 0, 0, 3), // nothing completed, but overdue cases
  dept('SZSB', 40, 38, 9), // 95%, the most overdue
  dept('SZSW', 60, 57, 4), // 95%
]

describe('supervision\'s departments, worst first', () => {
  it('reads the on-time rate as the report does: on time ÷ completed, unknown with nothing completed', () => {
    expect(onTimeRateOf(dept('X', 20, 16, 0))).toBe(0.8)
    expect(onTimeRateOf(dept('X', 0, 0, 5))).toBeNull()
  })

  it('puts the lowest rate first, the most overdue first at the same rate, and nothing to judge last', () => {
    expect([...rows].sort(worstOnTimeFirst).map(d => d.code)).toEqual(['SZGX', 'SZSB', 'SZSW', 'SZGA', 'SZRS', 'SZCG'])
  })

  it('sorts by a column chosen, the worst first on the first click and the other way on the second, unknown rates last both ways', () => {
    const table = useSortedRows(() => rows, {
      value: { rate: onTimeRateOf, overdue: (d: Row) => d.openOverdue, code: (d: Row) => d.code },
      initial: { column: 'rate', direction: 'ascending' },
      firstDirection: c => (c === 'rate' || c === 'code' ? 'ascending' : 'descending'),
      locale: () => 'zh-CN',
      tieBreak: worstOnTimeFirst,
    })
    expect(table.ariaSort('rate')).toBe('ascending')
    expect(table.ariaSort('overdue')).toBe('none')
    expect(table.rows.value.map(d => d.code)).toEqual(['SZGX', 'SZSB', 'SZSW', 'SZGA', 'SZRS', 'SZCG'])

    table.sort('rate')
    expect(table.ariaSort('rate')).toBe('descending')
    // best first now, at the same rate still the most overdue first; unknown rates stay last
    expect(table.rows.value.map(d => d.code)).toEqual(['SZGA', 'SZSB', 'SZSW', 'SZGX', 'SZRS', 'SZCG'])

    table.sort('overdue')
    expect([table.ariaSort('overdue'), table.ariaSort('rate')]).toEqual(['descending', 'none'])
    expect(table.rows.value.map(d => d.code)).toEqual(['SZSB', 'SZSW', 'SZRS', 'SZGX', 'SZGA', 'SZCG'])
  })
})
