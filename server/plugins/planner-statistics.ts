import { refreshPlannerStatistics } from '../services/planner-statistics'

/** The query planner's statistics refreshed every hour (the timer never keeps the process alive). */
export default defineNitroPlugin(() => {
  setInterval(() => {
    const started = performance.now()
    try {
      refreshPlannerStatistics(useConnection())
      logLine({ level: 'info', event: 'planner.statistics', ms: Math.round(performance.now() - started) })
    }
    catch (error) {
      logLine({ level: 'error', event: 'planner.statistics.failed', message: (error as Error).message })
    }
  }, 3_600_000).unref()
})
