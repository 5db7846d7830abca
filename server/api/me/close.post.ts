import { closeAccountSchema } from '../../../shared/utils/validators'
import { closeAccount } from '../../services/personal-data'

/**
 * Closing the account (注销, PIPL art. 47): refused with 409 and the case numbers while a case of
 * the person's is open; otherwise the account is erased and this session's cookie cleared.
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  enforceAddressLimit(event, 'reauth')
  const { password } = await parseBody(event, closeAccountSchema)
  const result = await closeAccount(useConnection(), user, password, clientIp(event))
  if (!result.ok && result.reason === 'openCases') {
    throw createError({ statusCode: 409, message: 'Finish or withdraw the open cases first', data: { openCases: result.caseNos } })
  }
  if (!result.ok) throw reauthRefusal(event, result)
  clearSessionCookie(event)
  return { ok: true }
})
