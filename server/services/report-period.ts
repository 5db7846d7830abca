/**
 * The period the three manager pages (online-rate dashboard, supervision, satisfaction) count when
 * none is chosen, and how a period given by one end only is completed. One rule for all three: the
 * dashboard counted the last twelve calendar months while supervision and satisfaction counted
 * from 1 January, so outside December the same on-time rate or rating count read differently on
 * two pages the same manager opens side by side.
 *
 * Twelve calendar months rather than this year so far: the dashboard's monthly trend needs a
 * year of months, a year-to-date period in January would judge a department on a few days of
 * cases, and a rolling year compares like with like from one month to the next. A manager who
 * wants the calendar year chooses 1 January in the filter.
 */
import type { ReportPeriod } from '../../shared/types/report'
import { todayInShanghai } from '../../shared/utils/working-days'

/** The first day of the twelve calendar months that end with the month of `to` (that month included). */
export function defaultFrom(to: string): string {
  const [y, m] = to.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 1 - 11, 1)).toISOString().slice(0, 10)
}

/**
 * The period asked for with its missing ends filled in: the end is today (Asia/Shanghai), the
 * start the first day of the twelve calendar months ending with the end's month. So a lone end
 * date gives the year up to it, and nothing given gives the last twelve months, this one so far
 * included. Not checked: a lone start after today comes back after its end, for the caller to refuse.
 */
export function reportPeriod(given: { from?: string, to?: string } = {}, now = new Date()): ReportPeriod {
  const to = given.to ?? todayInShanghai(now)
  return { from: given.from ?? defaultFrom(to), to }
}
