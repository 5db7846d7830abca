import { z } from 'zod'
import { login } from '../../services/accounts'

const Body = z.object({
  username: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(64, 'validation.tooLong'),
  password: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(256, 'validation.tooLong'),
})

export default defineApiHandler('public', async (event) => {
  const { username, password } = await parseBody(event, Body)
  enforceAddressLimit(event, 'login')
  const result = await login(useConnection(), username, password, { ip: clientIp(event), userAgent: getRequestHeader(event, 'user-agent') })
  if (!result.ok && result.reason === 'locked') {
    const seconds = Math.max(1, Math.ceil((Date.parse(result.retryAt) - Date.now()) / 1000))
    setResponseHeader(event, 'retry-after', seconds)
    throw createError({ statusCode: 429, message: 'Too many wrong passwords: the account is locked for 15 minutes', data: { retryAt: result.retryAt } })
  }
  if (!result.ok) throw createError({ statusCode: 401, message: 'Wrong username or password' })
  setSessionCookie(event, result.token)
  return { ok: true }
})
