import { recountBuiltInHolidays } from '../services/calendar-recount'

/**
 * Once, at the first start after migrations 0023 and 0042: the open deadlines stored before the
 * holidays fixed by law were built into the calendar are recounted on it (calendar-recount.ts), in
 * short steps while the server answers. One log line with the counts, none on later starts.
 */
export default defineNitroPlugin(() => {
  const started = Date.now()
  void recountBuiltInHolidays(useConnection())
    .then((r) => {
      if (r) logLine({ level: 'info', event: 'calendar.recount', ...r, ms: Date.now() - started })
    })
    .catch((error: Error) => logLine({ level: 'error', event: 'calendar.recount.failed', message: error.message }))
})
