import { z } from 'zod'
import { supervision, supervisionPeriod } from '../services/supervision'

// each flagged list pages on its own, so a long overdue list cannot hide the near-deadline one
const Query = z.object({
  from: single.refine(isIsoDate, 'validation.date').optional(),
  to: single.refine(isIsoDate, 'validation.date').optional(),
  overduePage: paginationSchema.shape.page,
  nearPage: paginationSchema.shape.page,
  pageSize: paginationSchema.shape.pageSize,
})

/** Electronic supervision (电子监察): overdue and near-deadline cases, on-time counts per department. */
export default defineApiHandler(['manager'], (event) => {
  const query = parseQuery(event, Query)
  // compared after the defaults (this year to today): a lone `from` after today, or a lone `to`
  // before 1 January, is as wrong as both given the wrong way round (as the satisfaction report)
  const { from, to } = supervisionPeriod(query)
  if (from > to) throw validationError({ [query.from ? 'from' : 'to']: 'validation.query.range' })
  return supervision(useConnection(), { ...query, from, to })
})
