import { z } from 'zod'
import { writeAudit } from '../../../services/audit'
import { endOwnSession } from '../../../services/sessions'

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number) })

/** Ends one of the signed-in person's sessions; someone else's session id is a 404. */
export default defineApiHandler('signedIn', (event, user) => {
  const { id } = parseParams(event, Params)
  const conn = useConnection()
  const ended = inWriteTransaction(() => {
    if (!endOwnSession(conn, user.id, id)) return false
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.session.end', subject: `session:${id}`, ip: clientIp(event) })
    return true
  })
  if (!ended) throw notFound()
  if (id === user.sessionId) clearSessionCookie(event)
  return { ok: true, current: id === user.sessionId }
})
