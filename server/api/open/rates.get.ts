import { z } from 'zod'
import { CSV_BOM } from '../../../shared/utils/csv'
import { todayInShanghai } from '../../../shared/utils/working-days'
import { openRates, ratesCsv, SUPPRESS_BELOW } from '../../services/open-data'

const Query = z.object({
  year: single.regex(/^(19|20|21)\d{2}$/, 'report.errors.year').transform(Number).optional(),
  format: z.enum(['json', 'csv'], { error: 'report.errors.format' }).optional().default('json'),
})

/** Public open data: monthly aggregates per department, small counts withheld. */
export default defineApiHandler('public', (event) => {
  const q = parseQuery(event, Query)
  const year = q.year ?? Number(todayInShanghai().slice(0, 4))
  const rows = openRates(useConnection(), year)
  if (q.format === 'json') return { year, suppressBelow: SUPPRESS_BELOW, rows }
  setResponseHeader(event, 'content-type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'content-disposition', `attachment; filename="rates-${year}.csv"`)
  return CSV_BOM + ratesCsv(rows)
})
