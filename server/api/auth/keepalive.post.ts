import { keepSessionAlive } from '../../services/sessions'

/**
 * "Stay signed in": the person answered the warning that their idle session is about to end
 * (components/Account/SessionTimeout.vue), or came back to the page and pressed a key. 200
 * `{ endsAt }`, when the session ends next if nothing else happens; 401 once it has ended.
 */
export default defineApiHandler('signedIn', (_event, user) => inGroupCommit(() => keepSessionAlive(useConnection(), user.sessionId)))
