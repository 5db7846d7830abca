import { z } from 'zod'
import { CSV_BOM } from '../../../shared/utils/csv'
import { catalogueCsv, openCatalogue } from '../../services/open-data'

const Query = z.object({
  format: z.enum(['json', 'csv'], { error: 'report.errors.format' }).optional().default('json'),
})

/** Public open data: every published item. Nothing personal; `no-store` like every API response (the contract's rule), so a figure read is the figure now. */
export default defineApiHandler('public', (event) => {
  const { format } = parseQuery(event, Query)
  const items = openCatalogue(useConnection())
  if (format === 'json') return { count: items.length, items }
  setResponseHeader(event, 'content-type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'content-disposition', 'attachment; filename="catalogue.csv"')
  return CSV_BOM + catalogueCsv(items)
})
