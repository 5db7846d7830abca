/**
 * The order of the supervision page's departments: the worst first. Listed by department code, the
 * late departments (an 80% on-time rate, the most open overdue cases) were buried mid-table.
 */
import type { DepartmentSupervision } from '~~/shared/types/supervision'
import { rate } from '../shared/utils/rates'
import { compareValues } from './useSortedRows'

type Judged = Pick<DepartmentSupervision, 'code' | 'completed' | 'completedOnTime' | 'openOverdue'>

/**
 * A department's on-time completion rate in the period, as the online-rate report's onTimeRate:
 * cases completed on or before their deadline ÷ cases completed; null when none was completed.
 */
export function onTimeRateOf(d: Pick<DepartmentSupervision, 'completed' | 'completedOnTime'>): number | null {
  return rate(d.completedOnTime, d.completed)
}

/**
 * Worst first: the lowest on-time rate, then the most open overdue cases. A department that
 * completed nothing has no rate to judge: it follows those that have one, ordered by its overdue
 * cases, so one with nothing at all to judge comes last. Then by code, so the order is stable.
 */
export function worstOnTimeFirst(a: Judged, b: Judged): number {
  return compareValues(onTimeRateOf(a), onTimeRateOf(b), 'ascending')
    || b.openOverdue - a.openOverdue
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
}
