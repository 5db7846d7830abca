import { deliverDue, senderFromEnv } from '../services/outbox-sender'

/**
 * Delivers the notification outbox every OUTBOX_INTERVAL_SECONDS (default 5; 0 turns it off).
 * The timer is unref'd so it never keeps the process alive, and one round runs at a time.
 */
export default defineNitroPlugin(() => {
  const seconds = Number(process.env.OUTBOX_INTERVAL_SECONDS ?? 5)
  if (!(seconds > 0)) return
  const sender = senderFromEnv()
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    deliverDue(useConnection(), sender)
      .then(({ failed }) => {
        if (failed) console.warn(JSON.stringify({ level: 'warn', event: 'notify.retry', failed }))
      })
      .catch((error: Error) => console.error(JSON.stringify({ level: 'error', event: 'notify.failed', message: error.message })))
      .finally(() => { running = false })
  }, seconds * 1000)
  timer.unref()
})
