/**
 * The first of the server's error handlers (nuxt.config.ts puts it before Nuxt's page handler and
 * Nitro's JSON one). Its job is that nothing personal reaches a log or a client through them.
 *
 * An unhandled error (a bug, a database fault) or a fatal one is, for the framework, "sensitive":
 * Nitro's defaultHandler prints it whole, `console.error('[request error] … url', error)` (message,
 * stack, cause with a driver's values, data; nitropack runtime/internal/error/prod.mjs), and h3
 * does the same when no handler answers. Both print only while `unhandled` or `fatal` is set, and
 * Nuxt's page handler calls defaultHandler without a way to silence it. So here the error is made
 * an ordinary one with nothing left to tell (disarm): no framework prints it, and what the client
 * sees is unchanged, the generic "Server Error". The one log line for it is the redacted JSON line
 * of server/plugins/error-log.ts, written before any error handler runs (with the stack's frames).
 *
 * A page is then rendered as before by Nuxt's handler (error.vue with the status: 404 pages and
 * the 500 page alike). An API request, or JSON asked of a page's address, is answered here (answerApiError).
 */
import { STATUS_CODES } from 'node:http'
import type { H3Error, H3Event } from 'h3'
import { getRequestHeader, send, setResponseHeaders, setResponseStatus } from 'h3'

/** What the client is told about an unhandled error: nothing but that it happened. */
const OPAQUE_MESSAGE = 'Server Error'

/**
 * Leaves an unhandled or fatal error nothing the framework would print or show: the flags that make
 * it print go, and an unhandled error's message and data (a bug's text, never meant for anyone) are
 * replaced by what Nuxt and Nitro would have shown for it anyway. A fatal error was raised on
 * purpose (a page's 404) and keeps its message, which Nuxt shows as before.
 */
function disarm(error: H3Error): void {
  if (error.unhandled) {
    error.message = OPAQUE_MESSAGE
    error.data = undefined
  }
  error.unhandled = false
  error.fatal = false
}

/**
 * An API error: the contract's error shape as JSON and `no-store`, like every API answer. The
 * framework's own JSON answer repeats the whole URL, query string included (a wrong tracking pair
 * carries an ID number), and marks a 404 `no-cache`, which lets a shared cache keep it.
 */
function answerApiError(error: H3Error, event: H3Event) {
  const statusCode = error.statusCode || 500
  // the status line's own phrase (400 Bad Request, 429 Too Many Requests): "Server Error" on every
  // refusal told browsers' consoles and log collectors that the server had failed
  const statusMessage = error.statusMessage || (statusCode >= 500 ? OPAQUE_MESSAGE : STATUS_CODES[statusCode] ?? OPAQUE_MESSAGE)
  setResponseStatus(event, statusCode, statusMessage)
  setResponseHeaders(event, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  return send(event, JSON.stringify({ error: true, statusCode, statusMessage, message: error.message, data: error.data }))
}

/**
 * Whether the framework would answer this error as JSON, not as the error page: Nuxt's own rule
 * (isJsonRequest, @nuxt/nitro-server runtime/utils/error). Such a request to a page's address
 * (`Accept: application/json`, curl, a fetch in cors mode) was answered by Nitro's JSON handler,
 * with the whole URL, query string included, and `no-cache` on a signed-in person's page.
 */
function wantsJson(event: H3Event): boolean {
  const header = (name: string) => String(getRequestHeader(event, name) ?? '').toLowerCase()
  if (header('accept').includes('text/html')) return false
  return header('accept').includes('application/json') || ['curl/', 'httpie/'].some(agent => header('user-agent').includes(agent))
    || header('sec-fetch-mode').includes('cors') || event.path.endsWith('.json')
}

export default defineNitroErrorHandler((error, event: H3Event) => {
  if (error.unhandled || error.fatal) disarm(error)
  if (event.path.startsWith('/api/') || wantsJson(event)) return answerApiError(error, event)
  // a page: Nuxt's handler renders error.vue with the status, as before
})
