/**
 * The first of the server's error handlers (nuxt.config.ts puts it before the framework's). The
 * framework's own handlers, Nuxt's error page and Nitro's JSON answer, log an unhandled error
 * with the request's full URL, and a query string may carry an ID number (tracking) or a search
 * for a person. For those it answers nothing: it rewrites the URL the framework's handlers read to
 * its path, with ID and mobile numbers masked, so their log line says nothing personal. A refused
 * API request it answers itself (answerApiError).
 * server/plugins/error-log.ts writes the JSON line for the log collector.
 */
import type { H3Error, H3Event } from 'h3'

function loggable(url: string | undefined): string | undefined {
  return url === undefined ? undefined : redactForLog(url.split('?')[0] ?? '', 2000)
}

/**
 * A refused API request (a 4xx, or a 5xx a handler chose to answer): the contract's error shape
 * as JSON and `no-store`, like every API answer. The framework's own JSON answer repeats the whole
 * URL, query string included (a wrong tracking pair carries an ID number), and marks a 404
 * `no-cache`, which lets a shared cache keep it.
 */
function answerApiError(error: H3Error, event: H3Event) {
  const statusCode = error.statusCode || 500
  const statusMessage = error.statusMessage || 'Error'
  setResponseStatus(event, statusCode, statusMessage)
  setResponseHeaders(event, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  return send(event, JSON.stringify({ error: true, statusCode, statusMessage, message: error.message, data: error.data }))
}

export default defineNitroErrorHandler((error, event: H3Event) => {
  const handled = !error.unhandled && !error.fatal
  if (handled && event.path.startsWith('/api/')) return answerApiError(error, event)
  // only unhandled (and fatal) errors get the framework's log line; the others keep their URL
  if (handled) return
  const req = event.node.req as typeof event.node.req & { originalUrl?: string }
  req.url = loggable(req.url)
  req.originalUrl = loggable(req.originalUrl)
  // h3 reads event.path before req.url when a prefix was stripped
  const internal = event as unknown as { _path?: string }
  internal._path = loggable(internal._path)
})
