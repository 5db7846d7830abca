import { writeAudit } from '../../services/audit'
import { endSession } from '../../services/sessions'

export default defineApiHandler('signedIn', (event, user) => {
  const conn = useConnection()
  inWriteTransaction(() => {
    endSession(conn, user.sessionId)
    writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'auth.logout', ip: clientIp(event) })
  })
  clearSessionCookie(event)
  return { ok: true }
})
