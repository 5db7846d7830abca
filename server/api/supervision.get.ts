import { z } from 'zod'
import { reportPeriod } from '../services/report-period'
import { supervision } from '../services/supervision'

// each flagged list pages on its own, so a long overdue list cannot hide the near-deadline one
const Query = z.object({
  from: single.refine(isIsoDate, 'validation.date').optional(),
  to: single.refine(isIsoDate, 'validation.date').optional(),
  overduePage: paginationSchema.shape.page,
  nearPage: paginationSchema.shape.page,
  pausedPage: paginationSchema.shape.page,
  lapsedPage: paginationSchema.shape.page,
  pageSize: paginationSchema.shape.pageSize,
})

/** Electronic supervision (电子监察): overdue and near-deadline cases, on-time counts per department. */
export default defineApiHandler(['manager'], (event) => {
  const query = parseQuery(event, Query)
  // compared after the defaults (the twelve months up to the end, the end today), the dashboard's
  // and the satisfaction report's: a lone `from` after today is as wrong as both the wrong way round
  const { from, to } = reportPeriod(query)
  if (from > to) throw validationError({ [query.from ? 'from' : 'to']: 'validation.query.range' })
  return supervision(useConnection(), { ...query, from, to })
})
