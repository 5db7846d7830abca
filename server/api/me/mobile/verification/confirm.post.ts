import { z } from 'zod'
import { resetCodeSchema } from '../../../../../shared/utils/validators'
import { confirmMobileCode, MOBILE_REFUSALS } from '../../../../services/mobile-verification'

const Body = z.strictObject({ code: resetCodeSchema }, { error: 'validation.invalidType' })

/**
 * 手机号核验, step 2: the code from the SMS. 200 `{ mobileVerified: true }`; 400 with
 * `fieldErrors.code` for a wrong, expired or voided code (the fifth wrong one voids it); 409 when
 * the mobile is already verified, there is none, or another account with the ID number verified first.
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  // before parsing: each code tried is a guess, counted against the address
  enforceAddressLimit(event, 'mobile')
  const { code } = await parseBody(event, Body)
  const result = confirmMobileCode(useConnection(), user, code, clientIp(event))
  if (result.ok) return { mobileVerified: true, verifiedAt: result.verifiedAt }
  if (result.reason === 'invalid') throw validationError({ code: 'validation.resetCodeInvalid' }, 'The code is not valid: check it or ask for a new one')
  throw createError({ statusCode: 409, message: MOBILE_REFUSALS[result.reason], data: { reason: result.reason } })
})
