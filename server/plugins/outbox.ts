import { deliverDue, senderFromEnv } from '../services/outbox-sender'

/**
 * Delivers the notification outbox every OUTBOX_INTERVAL_SECONDS (default 5; 0 turns it off).
 * A round that stops at its cap is followed at once by the next, so a burst of cases does not
 * leave its notices minutes behind; the outcomes are written through the group commit, sharing
 * the batches and disk syncs of the requests. One round runs at a time, and the timer is unref'd
 * so it never keeps the process alive.
 */
export default defineNitroPlugin(() => {
  const seconds = outboxIntervalSeconds()
  if (!(seconds > 0)) return
  const sender = senderFromEnv()
  const next = (ms: number) => setTimeout(round, ms).unref()
  function round(): void {
    deliverDue(useConnection(), sender, { write: inGroupCommit })
      .then(({ failed, more }) => {
        if (failed) logLine({ level: 'warn', event: 'notify.retry', failed })
        next(more ? 0 : seconds * 1000)
      }, (error: Error) => {
        logLine({ level: 'error', event: 'notify.failed', message: error.message })
        next(seconds * 1000)
      })
  }
  next(seconds * 1000)
})
