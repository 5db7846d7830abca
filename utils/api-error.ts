/**
 * What a failed call to the portal's API said, read in one place. The helpers that pages use
 * (caseStatusCode, apiProblem, the account forms' apiErrorOf, …) wrap this and keep the "no answer"
 * value their callers were written for (undefined, 0 or null): only how the error is read is shared.
 */

/** A failed call as the pages read it. */
export interface ApiError {
  /**
   * The HTTP status: a $fetch error's statusCode, an upload's response status, or `status`.
   * null when no answer came (offline, aborted, timed out): no status at all, never a made-up 0,
   * so "the server refused" and "the server was never reached" cannot be mistaken for each other.
   */
  status: number | null
  /** The server's field errors (h3's `data.fieldErrors`), `{}` when it sent none. */
  fieldErrors: Record<string, string>
  /** h3's `data.reason`, when it is a string. */
  reason?: string
  /** h3's `data` as sent, e.g. the case a 409 names. */
  data?: Record<string, unknown>
  /** The whole response body, when it is an object (the account forms and guide problems read beyond `data`). */
  body?: Record<string, unknown>
}

/** Reads any thrown value: a $fetch or useFetch error, an upload's failure, a TypeError, null. */
export function readApiError(error: unknown): ApiError {
  const e = error as { statusCode?: unknown, status?: unknown, response?: { status?: unknown }, data?: { data?: Record<string, unknown> } } | null | undefined
  const status = e?.statusCode ?? e?.response?.status ?? e?.status
  const data = e?.data?.data
  const reason = data?.reason
  return {
    status: typeof status === 'number' ? status : null,
    fieldErrors: (data?.fieldErrors ?? {}) as Record<string, string>,
    ...(typeof reason === 'string' && { reason }),
    data,
    body: typeof e?.data === 'object' && e.data !== null ? e.data : undefined,
  }
}
