/**
 * A table whose column headings sort it (the departments of the online-rate dashboard and of
 * supervision). The heading's aria-sort says the order, so a screen reader announces it.
 *
 * A column's first click puts the worst first where a figure is judged: a rate where low is bad
 * (on time, online) starts ascending, a count where high is bad (overdue, handling days, shortfall)
 * descending. "按时办结率" first sorted best first, and the late departments a manager looks for
 * ended at the bottom of a long table.
 */
import { computed, ref } from 'vue'
import type { Ref } from 'vue'

export type SortDirection = 'ascending' | 'descending'
export type SortValue = number | string | null

/**
 * Two values of one column in `direction`; an unknown figure (null: nothing to count) goes last
 * whichever the direction, as it is neither good nor bad. Text by the page's language.
 */
export function compareValues(x: SortValue, y: SortValue, direction: SortDirection, locale = 'zh-CN'): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
  const sign = direction === 'ascending' ? 1 : -1
  if (typeof x === 'string' || typeof y === 'string') return sign * String(x).localeCompare(String(y), locale)
  return sign * (x - y)
}

export interface SortedRowsOptions<Row, Column extends string> {
  /** each column's value in a row */
  value: Record<Column, (row: Row) => SortValue>
  /** the order before any click: a column and its direction (the columns are value's keys) */
  initial: { column: NoInfer<Column>, direction: SortDirection }
  /** the direction of a column's first click */
  firstDirection: (column: NoInfer<Column>) => SortDirection
  /** the language's collation for text ('en' or 'zh-CN') */
  locale: () => string
  /** the order of rows equal in the column (otherwise the order given) */
  tieBreak?: (a: Row, b: Row) => number
}

/** The rows sorted by the column chosen, with what the headings need. */
export function useSortedRows<Row, Column extends string>(source: () => Row[], o: SortedRowsOptions<Row, Column>) {
  const sortBy = ref(o.initial.column) as Ref<Column>
  const direction = ref<SortDirection>(o.initial.direction)

  /** A click on a heading: the same column turns round, another starts with its first direction. */
  function sort(column: Column) {
    if (sortBy.value === column) direction.value = direction.value === 'ascending' ? 'descending' : 'ascending'
    else {
      sortBy.value = column
      direction.value = o.firstDirection(column)
    }
  }

  const rows = computed(() => {
    const get = o.value[sortBy.value]
    const locale = o.locale()
    return [...source()].sort((a, b) => compareValues(get(a), get(b), direction.value, locale) || (o.tieBreak?.(a, b) ?? 0))
  })

  const ariaSort = (column: Column): SortDirection | 'none' => (sortBy.value === column ? direction.value : 'none')
  const icon = (column: Column) => (sortBy.value !== column ? 'i-lucide-chevrons-up-down' : direction.value === 'ascending' ? 'i-lucide-chevron-up' : 'i-lucide-chevron-down')

  return { sortBy, direction, sort, rows, ariaSort, icon }
}
