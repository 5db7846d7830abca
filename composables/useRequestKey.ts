/**
 * A fresh Idempotency-Key for one request the page may have to send again (its answer lost to a
 * timeout): 32 hex digits from the browser's random source. Not crypto.randomUUID(), which
 * browsers offer only on HTTPS pages, and a counter's intranet address may be plain HTTP.
 */
export function newRequestKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}
