import { z } from 'zod'
import { enteredPasswordSchema, passwordSchema } from '../../../shared/utils/validators'
import { changePassword } from '../../services/own-password'

const Body = z.object({
  currentPassword: enteredPasswordSchema,
  newPassword: passwordSchema,
}, { error: 'validation.invalidType' }).refine(b => b.currentPassword !== b.newPassword, { message: 'validation.password.sameAsCurrent', path: ['newPassword'] })

/** Changes the signed-in person's password; every session of theirs ends, this device's going on under a new cookie. */
export default defineApiHandler('signedIn', async (event, user) => {
  enforceAddressLimit(event, 'reauth')
  const { currentPassword, newPassword } = await parseBody(event, Body)
  const result = await changePassword(useConnection(), user, currentPassword, newPassword, { ip: clientIp(event), userAgent: getRequestHeader(event, 'user-agent') })
  if (!result.ok && result.reason === 'locked') {
    setResponseHeader(event, 'retry-after', Math.max(1, Math.ceil((Date.parse(result.retryAt) - Date.now()) / 1000)))
    throw createError({ statusCode: 429, message: 'Too many wrong passwords: the account is locked for 15 minutes', data: { retryAt: result.retryAt } })
  }
  if (!result.ok) throw validationError({ currentPassword: 'validation.password.currentWrong' }, 'The current password is wrong')
  // this device goes on under a new session: a copy of its old cookie is signed out with the others
  setSessionCookie(event, result.token)
  return { ok: true, endedSessions: result.endedSessions }
})
