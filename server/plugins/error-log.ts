/**
 * Every failed request as one JSON line, for the log collector: method, path, status and the
 * error's message. Never the query string (tracking takes an ID number there), bodies, cookies or
 * headers; ID and mobile numbers that reach a message or a path are masked all the same.
 */
import type { H3Event } from 'h3'

interface CapturedError { statusCode?: number, message?: string, unhandled?: boolean, cause?: unknown }

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('error', (error: CapturedError, context: { event?: H3Event }) => {
    const event = context.event
    const status = Number(error.statusCode) || 500
    // a 4xx is the client's mistake, worth counting but not paging anyone for
    const level = status >= 500 ? 'error' : 'warn'
    const cause = error.cause instanceof Error ? error.cause : null
    const line = {
      level,
      // errors outside a request (a plugin, a timer) come here too
      event: event ? 'request.failed' : 'server.error',
      method: event?.method ?? null,
      path: event ? redactForLog((event.path ?? '').split('?')[0] ?? '') : null,
      status,
      message: redactForLog(String(error.message ?? '')),
      ...(cause && status >= 500 ? { errorName: cause.name } : {}),
    }
    console.error(JSON.stringify(line))
  })
})
