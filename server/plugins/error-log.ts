/**
 * Every failed request as one JSON line, for the log collector: method, path, status and the
 * error's message. Never the query string (tracking takes an ID number there), bodies, cookies or
 * headers; ID and mobile numbers that reach a message or a path are masked by logLine all the same.
 * For an unhandled error this is the only line: server/error.ts keeps the framework from printing
 * the error object, so the line carries the stack's frames (code locations, without the message).
 */
import type { H3Event } from 'h3'
import { requestMethod } from '../utils/head-requests'
import { logLine } from '../utils/log'

interface CapturedError { statusCode?: number, message?: string, unhandled?: boolean, stack?: string, cause?: unknown }

const MAX_FRAMES = 10

/** The `at …` lines of a stack: where it came from, not what it said (h3 hands on the thrown error's stack). */
function framesOf(error: { stack?: string }): string[] {
  return (error.stack ?? '').split('\n').filter(l => /^\s+at /.test(l)).slice(0, MAX_FRAMES).map(l => l.trim())
}

export default defineNitroPlugin((nitroApp) => {
  // Nitro calls this hook before its error handlers run (runtime/internal/app.mjs, onError), and
  // synchronously: server/error.ts blanks an unhandled error's message only after this line has it.
  nitroApp.hooks.hook('error', (error: CapturedError, context: { event?: H3Event }) => {
    const event = context.event
    const status = Number(error.statusCode) || 500
    // a 4xx is the client's mistake, worth counting but not paging anyone for
    const level = status >= 500 ? 'error' : 'warn'
    const cause = error.cause instanceof Error ? error.cause : null
    logLine({
      level,
      // errors outside a request (a plugin, a timer) come here too
      event: event ? 'request.failed' : 'server.error',
      method: event ? requestMethod(event) : null,
      path: event ? (event.path ?? '').split('?')[0] ?? '' : null,
      status,
      message: String(error.message ?? ''),
      ...(cause && status >= 500 ? { errorName: cause.name } : {}),
      // a fault nobody foresaw (or one outside a request) needs its place in the code to be found
      ...(error.unhandled || !event ? { stack: framesOf(error) } : {}),
    })
  })
})
