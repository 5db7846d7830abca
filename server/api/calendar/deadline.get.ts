import { z } from 'zod'
import { workingDaysAfter } from '../../services/calendar'

const Query = z.object({
  // a date a case could have; 365 working days after 9999-12-31 is no date at all (was a 500)
  from: single.refine(s => isIsoDate(s) && s >= '1900-01-01' && s < '2200-01-01', 'validation.date'),
  days: single.regex(/^[1-9]\d{0,2}$/, 'validation.query.days').transform(Number).refine(n => n <= 365, 'validation.query.days'),
})

/** The `days`-th working day after `from`, counting from the next day (the legal rule). */
export default defineApiHandler('public', (event) => {
  const { from, days } = parseQuery(event, Query)
  return { from, days, deadline: workingDaysAfter(useConnection(), from, days) }
})
