/**
 * The first of the server's error handlers (nuxt.config.ts puts it before the framework's). The
 * framework's own handlers, Nuxt's error page and Nitro's JSON answer, log an unhandled error
 * with the request's full URL, and a query string may carry an ID number (tracking) or a search
 * for a person. This one answers nothing: it takes the query off the URL those handlers read, so
 * their log line names the path only. server/plugins/error-log.ts writes the redacted JSON line.
 */
import type { H3Event } from 'h3'

function withoutQuery(url: string | undefined): string | undefined {
  return url === undefined ? undefined : url.split('?')[0]
}

export default defineNitroErrorHandler((error, event: H3Event) => {
  // only unhandled (and fatal) errors get the framework's log line; the others keep their URL
  if (!error.unhandled && !error.fatal) return
  const req = event.node.req as typeof event.node.req & { originalUrl?: string }
  req.url = withoutQuery(req.url)
  req.originalUrl = withoutQuery(req.originalUrl)
  // h3 reads event.path before req.url when a prefix was stripped
  const internal = event as unknown as { _path?: string }
  internal._path = withoutQuery(internal._path)
})
