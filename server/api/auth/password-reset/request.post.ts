import { passwordResetRequestSchema } from '../../../../shared/utils/validators'
import { requestPasswordReset } from '../../../services/password-reset'

/**
 * Forgot password, step 1: a code by SMS to the mobile on record. The answer is the same whether
 * or not an account matches (and whether a code went out), so nobody learns who is registered.
 */
export default defineApiHandler('public', async (event) => {
  // before parsing: every request may send an SMS, and probing counts against the address too
  enforceAddressLimit(event, 'reset')
  const person = await parseBody(event, passwordResetRequestSchema)
  requestPasswordReset(useConnection(), person, clientIp(event))
  setResponseStatus(event, 202)
  return { sent: true }
})
