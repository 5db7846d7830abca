/**
 * Numeric settings read from the environment. One that is set but malformed stops the server at
 * start, naming the variable (server/plugins/00.settings.ts), as BACKUP_KEEP and TRUST_PROXY do:
 * read as NaN, every comparison with it was false, which switched a brute-force limit off
 * (LOGIN_LIMIT_PER_MINUTE=abc) or the SMS delivery (OUTBOX_INTERVAL_SECONDS=5s) in silence.
 * Unset or empty means the default.
 */
export function numberSetting(name: string, fallback: number, { min = 1, whole = true } = {}): number {
  const raw = process.env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const shaped = whole ? /^\d{1,15}$/.test(raw) : /^\d{1,15}(?:\.\d{1,6})?$/.test(raw)
  if (!shaped || Number(raw) < min) {
    throw new Error(`${name}: ${JSON.stringify(raw)} is not ${whole ? 'a whole number' : 'a number'} of at least ${min}`)
  }
  return Number(raw)
}

/** OUTBOX_INTERVAL_SECONDS: how often the notification outbox is delivered (default 5; 0 turns it off). */
export const outboxIntervalSeconds = () => numberSetting('OUTBOX_INTERVAL_SECONDS', 5, { min: 0, whole: false })
