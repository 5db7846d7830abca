/**
 * The first of the server's error handlers (nuxt.config.ts puts it before the framework's). The
 * framework's own handlers, Nuxt's error page and Nitro's JSON answer, log an unhandled error
 * with the request's full URL, and a query string may carry an ID number (tracking) or a search
 * for a person. This one answers nothing: it rewrites the URL those handlers read to its path,
 * with ID and mobile numbers masked, so their log line says nothing personal.
 * server/plugins/error-log.ts writes the JSON line for the log collector.
 */
import type { H3Event } from 'h3'

function loggable(url: string | undefined): string | undefined {
  return url === undefined ? undefined : redactForLog(url.split('?')[0] ?? '', 2000)
}

export default defineNitroErrorHandler((error, event: H3Event) => {
  // only unhandled (and fatal) errors get the framework's log line; the others keep their URL
  if (!error.unhandled && !error.fatal) return
  const req = event.node.req as typeof event.node.req & { originalUrl?: string }
  req.url = loggable(req.url)
  req.originalUrl = loggable(req.originalUrl)
  // h3 reads event.path before req.url when a prefix was stripped
  const internal = event as unknown as { _path?: string }
  internal._path = loggable(internal._path)
})
