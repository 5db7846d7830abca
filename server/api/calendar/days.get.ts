import { z } from 'zod'
import type { CalendarYear } from '../../../shared/types/calendar'
import { calendarDays, calendarEntered } from '../../services/calendar-admin'

const Query = z.object({ year: single.regex(/^(19|20|21)\d{2}$/, 'validation.query.year').transform(Number) })

/** The special days of a year (holidays and adjusted working days), built-in and added; `entered`: whether the State Council's notice for the year is in (calendarEntered). */
export default defineApiHandler('public', (event): CalendarYear => {
  const { year } = parseQuery(event, Query)
  const conn = useConnection()
  return { year, entered: calendarEntered(conn, year), days: calendarDays(conn, year) }
})
