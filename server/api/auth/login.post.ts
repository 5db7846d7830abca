import { loginSchema } from '../../../shared/utils/validators'
import { login } from '../../services/accounts'

export default defineApiHandler('public', async (event, current) => {
  const { username, password } = await parseBody(event, loginSchema)
  enforceAddressLimit(event, 'login')
  const ip = clientIp(event)
  const result = await login(useConnection(), username, password, { ip, userAgent: getRequestHeader(event, 'user-agent') })
  // the fifth wrong password is answered as wrong (401), saying that it locked the account;
  // every attempt during the lock, the right password too, is 429
  if (!result.ok && result.reason === 'locked' && result.justLocked) {
    throw createError({ statusCode: 401, message: 'Wrong username or password: that was the fifth in a row, and the account is locked for 15 minutes', data: { retryAt: result.retryAt } })
  }
  if (!result.ok && result.reason === 'locked') {
    const seconds = Math.max(1, Math.ceil((Date.parse(result.retryAt) - Date.now()) / 1000))
    setResponseHeader(event, 'retry-after', seconds)
    throw createError({ statusCode: 429, message: 'Too many wrong passwords: the account is locked for 15 minutes', data: { retryAt: result.retryAt } })
  }
  // attemptsLeft: how many more wrong passwords before the lock, said for a name no account has
  // exactly as for an account's (login counts both alike), so that it tells nothing of which exist
  if (!result.ok) throw createError({ statusCode: 401, message: 'Wrong username or password', data: { attemptsLeft: result.attemptsLeft } })
  replaceSession(event, current, result.token, ip)
  return { ok: true }
})
