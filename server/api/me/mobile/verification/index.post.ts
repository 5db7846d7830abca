import { MOBILE_REFUSALS, requestMobileCode } from '../../../../services/mobile-verification'

/**
 * 手机号核验, step 1: a 6-digit code by SMS to the signed-in citizen's mobile on record, valid 10
 * minutes. 202 when sent; 409 when the mobile is already verified, there is none, or another
 * account with the ID number verified first; 429 after 3 codes in an hour to the account, or 5 an
 * hour or 10 a day to its number whoever asked (`data.retryAt`), or too many requests from the address.
 */
export default defineApiHandler(['citizen'], (event, user) => {
  // each request may send an SMS, which costs the city and pesters the person
  enforceAddressLimit(event, 'mobile')
  const result = requestMobileCode(useConnection(), user, clientIp(event))
  if (!result.ok && result.reason === 'hourlyLimit') {
    setResponseHeader(event, 'retry-after', Math.max(1, Math.ceil((Date.parse(result.retryAt) - Date.now()) / 1000)))
    throw createError({ statusCode: 429, message: 'Too many codes were sent to this account or number: wait before asking again', data: { reason: 'hourlyLimit', retryAt: result.retryAt } })
  }
  if (!result.ok) throw createError({ statusCode: 409, message: MOBILE_REFUSALS[result.reason], data: { reason: result.reason } })
  setResponseStatus(event, 202)
  return { sent: true, minutes: result.minutes }
})
