import { caseStatusCode } from './useCase'

/**
 * A fresh Idempotency-Key for one request the page may have to send again (its answer lost to a
 * timeout): 32 hex digits from the browser's random source. Not crypto.randomUUID(), which
 * browsers offer only on HTTPS pages, and a counter's intranet address may be plain HTTP.
 */
export function newRequestKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

/** Answers that say nothing about whether the server did the work: the request may be sent again. */
const LOST = new Set([408, 500, 502, 503, 504])

export interface KeyedPostOptions {
  /** attempts in all (default 3) */
  attempts?: number
  /** how long each attempt may wait for its answer (default 30 s) */
  timeoutMs?: number
  /** the pause before the next attempt (default 1 s) */
  delayMs?: number
  /** the fetch to use (default the page's $fetch) */
  fetcher?: (url: string, options: Record<string, unknown>) => Promise<unknown>
}

/**
 * POSTs `body` with `key` as its Idempotency-Key, and asks again with the same key when the answer
 * is lost: no answer within `timeoutMs` (each attempt its own time: ofetch's own `timeout` and
 * `retry` share one timer, so after a timeout its retries were aborted before they were sent), no
 * connection, or an answer that does not say whether the work was done (408, 5xx). The server
 * answers a repeat with what the first one made. Any other answer is the caller's to handle.
 */
export async function postWithKey<T>(url: string, key: string, body: unknown, opts: KeyedPostOptions = {}): Promise<T> {
  const { attempts = 3, timeoutMs = 30_000, delayMs = 1000 } = opts
  // $fetch as a plain function: its route-typed signature is too deep for the type checker here
  const fetcher = opts.fetcher ?? ($fetch as unknown as NonNullable<KeyedPostOptions['fetcher']>)
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetcher(url, { method: 'POST', headers: { 'Idempotency-Key': key }, body, signal: AbortSignal.timeout(timeoutMs), retry: 0 }) as T
    }
    catch (error) {
      const status = caseStatusCode(error)
      if ((status !== undefined && !LOST.has(status)) || attempt >= attempts) throw error
      await new Promise(resolve => setTimeout(resolve, delayMs))
    }
  }
}
