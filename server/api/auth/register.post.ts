import { registerSchema } from '../../../shared/utils/validators'
import { writeAudit } from '../../services/audit'
import { registerPerson } from '../../services/registration'
import { endSession } from '../../services/sessions'

/** A person registers with real-name data (and optionally an organisation) and is signed in. */
export default defineApiHandler('public', async (event, current) => {
  // Before parsing, so that probing for taken usernames counts against the address too.
  enforceAddressLimit(event, 'register')
  const input = await parseBody(event, registerSchema)
  const conn = useConnection()
  const ip = clientIp(event)
  const result = await registerPerson(conn, input, { ip, userAgent: getRequestHeader(event, 'user-agent') })
  if (!result.ok) {
    throw createError({ statusCode: 409, message: 'This username is taken', data: { fieldErrors: { username: 'validation.usernameTaken' } } })
  }
  // Someone registering from a signed-in browser leaves the old account's session behind.
  if (current) {
    inWriteTransaction(() => {
      endSession(conn, current.sessionId)
      writeAudit(conn, { actorId: current.id, actorRole: current.role, action: 'auth.logout', ip })
    })
  }
  setSessionCookie(event, result.token)
  setResponseStatus(event, 201)
  return { username: result.username }
})
