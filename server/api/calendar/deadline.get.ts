import { z } from 'zod'
import { workingDaysAfter } from '../../services/calendar'

const Query = z.object({
  from: single.refine(isIsoDate, 'validation.date'),
  days: single.regex(/^[1-9]\d{0,2}$/, 'validation.query.days').transform(Number).refine(n => n <= 365, 'validation.query.days'),
})

/** The `days`-th working day after `from`, counting from the next day (the legal rule). */
export default defineApiHandler('public', (event) => {
  const { from, days } = parseQuery(event, Query)
  return { from, days, deadline: workingDaysAfter(useConnection(), from, days) }
})
