import type { H3Event } from 'h3'
import type { PasswordRefusal } from '../services/accounts'

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
