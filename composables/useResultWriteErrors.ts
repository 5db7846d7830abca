/**
 * What a person reads when a write of the rating area failed: a 409 says what happened (a colleague
 * asked first, the rectification was already answered, the case was rated elsewhere), a 401 that
 * the session ended (as the layout's notice does: "try again later" would not help), anything
 * else that it was not saved. Never "loading failed": the page loaded, the write did not go through.
 * Pure functions of the error and of the state read again after a 409, so they can be tested alone.
 */
import { readApiError } from '../utils/api-error'

/** The HTTP status of a failed $fetch, or null when no answer came (offline, aborted). */
export function statusOfFetch(e: unknown): number | null {
  return readApiError(e).status
}

/**
 * The applicant's rating was refused. `now`: the case's rating as it is after a 409 (null when it
 * could not be read): rated meanwhile, or no longer ratable.
 */
export function ratingSaveError(e: unknown, now: { rating: unknown } | null = null): string {
  if (statusOfFetch(e) === 401) return 'result.common.signedOut'
  if (statusOfFetch(e) !== 409) return 'result.common.saveFailed'
  if (now?.rating) return 'result.rating.alreadyRated'
  return now ? 'result.rating.notRatableNow' : 'result.common.saveFailed'
}

/**
 * A clerk's invitation to rate was refused. `now`: the case's rating as it is after a 409 (null
 * when it could not be read): rated meanwhile, or a colleague asked first.
 */
export function ratingPromptError(e: unknown, now: { rating: unknown, promptedAt: string | null } | null = null): string {
  if (statusOfFetch(e) === 401) return 'result.rating.promptSignedOut'
  if (statusOfFetch(e) !== 409) return 'result.rating.promptFailed'
  if (now?.rating) return 'result.rating.promptAlreadyRated'
  if (now?.promptedAt) return 'result.rating.promptAlreadySent'
  return now ? 'result.rating.promptUnavailable' : 'result.rating.promptFailed'
}

/**
 * A clerk's answer to a rectification was refused: the server's field error, the session ended
 * (the answer stays in its field, to send after signing in again), already answered, or not saved.
 */
export function rectificationAnswerError(e: unknown, fieldErrors: Record<string, string> | null): string {
  if (fieldErrors?.answer) return fieldErrors.answer
  if (statusOfFetch(e) === 401) return 'result.common.signedOut'
  return statusOfFetch(e) === 409 ? 'result.rectification.alreadyAnswered' : 'result.common.saveFailed'
}
