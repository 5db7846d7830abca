import { markAllMessagesRead } from '../../../services/case-messages'

/** Marks all of the person's unread messages read: `{ marked }`, how many were unread. */
export default defineApiHandler('signedIn', (_event, user) => inWriteTransaction(() => markAllMessagesRead(useConnection(), user.id)))
