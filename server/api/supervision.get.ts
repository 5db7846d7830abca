import { z } from 'zod'
import { supervision } from '../services/supervision'

const Query = z.object({
  from: single.refine(isIsoDate, 'validation.date').optional(),
  to: single.refine(isIsoDate, 'validation.date').optional(),
})

/** Electronic supervision (电子监察): overdue and near-deadline cases, on-time counts per department. */
export default defineApiHandler(['manager'], (event) => {
  const { from, to } = parseQuery(event, Query)
  if (from && to && from > to) throw validationError({ from: 'validation.query.range' })
  return supervision(useConnection(), { from, to })
})
