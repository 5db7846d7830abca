import { registerSchema } from '../../../shared/utils/validators'
import { registerPerson } from '../../services/registration'

/** A person registers with real-name data (and optionally an organisation) and is signed in. */
export default defineApiHandler('public', async (event, current) => {
  // Before parsing, so that probing for taken usernames counts against the address too.
  enforceAddressLimit(event, 'register')
  const input = await parseBody(event, registerSchema)
  const conn = useConnection()
  const ip = clientIp(event)
  const result = await registerPerson(conn, input, { ip, userAgent: getRequestHeader(event, 'user-agent') })
  if (!result.ok && result.reason === 'idNumberRegistered') {
    throw createError({
      statusCode: 409,
      message: 'This ID number already has an account: sign in, or reset the password',
      data: { fieldErrors: { idNumber: 'validation.idNumberRegistered' } },
    })
  }
  if (!result.ok) {
    throw createError({ statusCode: 409, message: 'This username is taken', data: { fieldErrors: { username: 'validation.usernameTaken' } } })
  }
  replaceSession(event, current, result.token, ip)
  setResponseStatus(event, 201)
  return { username: result.username }
})
