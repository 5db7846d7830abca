import type { H3Event } from 'h3'
import { z } from 'zod'
import type { PasswordRefusal } from '../services/accounts'

/** A password asked for again: re-entering a sensitive step (data download, closing the account). */
export const reauthPasswordSchema = z.string({ error: 'validation.required' }).min(1, 'validation.required').max(256, 'validation.tooLong')

/**
 * The answer to a wrong password: 400 on the field, or 429 with retryAt once the account is
 * locked, as a password change answers (a wrong password here counts towards the same lock).
 */
export function reauthRefusal(event: H3Event, refusal: PasswordRefusal, field = 'password') {
  if (refusal.reason === 'locked') {
    setResponseHeader(event, 'retry-after', Math.max(1, Math.ceil((Date.parse(refusal.retryAt) - Date.now()) / 1000)))
    return createError({ statusCode: 429, message: 'Too many wrong passwords: the account is locked for 15 minutes', data: { retryAt: refusal.retryAt } })
  }
  return validationError({ [field]: 'account.privacy.wrongPassword' }, 'The password is not correct')
}
