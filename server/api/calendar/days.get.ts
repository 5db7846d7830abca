import { z } from 'zod'
import { calendarDays } from '../../services/calendar-admin'

const Query = z.object({ year: single.regex(/^(19|20|21)\d{2}$/, 'validation.query.year').transform(Number) })

/** The special days of a year (holidays and adjusted working days), built-in and added. */
export default defineApiHandler('public', (event) => {
  const { year } = parseQuery(event, Query)
  return { year, days: calendarDays(useConnection(), year) }
})
