import { listActiveSessions } from '../../../services/sessions'

/** The signed-in person's active sessions (devices), the current one flagged; no token data. */
export default defineApiHandler('signedIn', (_event, user) => {
  return listActiveSessions(useConnection(), user.id).map(s => ({ ...s, current: s.id === user.sessionId }))
})
