import { removeStaleDrafts } from '../services/drafts-cleanup'

/** Stale drafts and their unattached files go at start and every hour after (the timer never keeps the process alive). */
export default defineNitroPlugin(() => {
  const run = () => removeStaleDrafts(useConnection())
    .then((r) => {
      if (r.drafts || r.uploads) logLine({ level: 'info', event: 'drafts.cleanup', ...r })
    })
    .catch((error: Error) => logLine({ level: 'error', event: 'drafts.cleanup.failed', message: error.message }))
  void run()
  setInterval(run, 3_600_000).unref()
})
