import { passwordResetConfirmSchema } from '../../../../shared/utils/validators'
import { confirmPasswordReset } from '../../../services/password-reset'

/**
 * Forgot password, step 2: the code and a new password. Every reason a code is refused (wrong,
 * expired, used, voided, no such account) is one answer; the person then signs in as usual.
 */
export default defineApiHandler('public', async (event) => {
  // before parsing: each code tried is a guess, counted against the address
  enforceAddressLimit(event, 'reset')
  const input = await parseBody(event, passwordResetConfirmSchema)
  const result = await confirmPasswordReset(useConnection(), input, clientIp(event))
  if (!result.ok) throw validationError({ code: 'validation.resetCodeInvalid' }, 'The code is not valid: ask for a new one')
  return { ok: true }
})
