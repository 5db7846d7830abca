/**
 * The refusals of the online application's use cases (applications.ts, application-answers.ts),
 * and how a handler turns them, or any other error, into its HTTP answer.
 */

/** A refusal with the HTTP status the handler answers and, for 400/413, the field errors. */
export class ApplicationError extends Error {
  /** `reason`: which refusal a 409 is, for the page to say (data.reason) */
  constructor(readonly statusCode: 400 | 404 | 409 | 413, message: string, readonly fieldErrors?: Record<string, string>, readonly reason?: string) {
    super(message)
  }
}

/**
 * What the handler passes to createError: the refusal's status and field errors, or the error
 * itself (a 500) marked unhandled. Passed to createError as it was, a fault's own text ("database
 * or disk is full", a bug's TypeError) counted as handled and was sent to the client; unhandled,
 * server/error.ts logs it with its stack and tells the client only that something failed.
 */
export function httpErrorOf(error: unknown): { statusCode: number, message: string, data?: { fieldErrors?: Record<string, string>, reason?: string } } | (Error & { unhandled: true }) {
  if (!(error instanceof ApplicationError)) return Object.assign(error instanceof Error ? error : new Error(String(error)), { unhandled: true as const })
  const data = error.fieldErrors || error.reason ? { ...(error.fieldErrors && { fieldErrors: error.fieldErrors }), ...(error.reason && { reason: error.reason }) } : undefined
  return { statusCode: error.statusCode, message: error.message, data }
}
