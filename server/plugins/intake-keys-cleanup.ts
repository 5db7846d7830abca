import { forgetOldIntakeKeys } from '../services/counter'

/** Counter intake keys older than a day go at start and every hour after (the timer never keeps the process alive). */
export default defineNitroPlugin(() => {
  const run = () => {
    try {
      const removed = forgetOldIntakeKeys(useConnection())
      if (removed) logLine({ level: 'info', event: 'intake-keys.cleanup', removed })
    }
    catch (error) {
      logLine({ level: 'error', event: 'intake-keys.cleanup.failed', message: (error as Error).message })
    }
  }
  run()
  setInterval(run, 3_600_000).unref()
})
