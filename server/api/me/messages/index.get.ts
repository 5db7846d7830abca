import { listMessages } from '../../../services/case-messages'

/** The signed-in person's in-app messages, newest first, with how many are unread. */
export default defineApiHandler('signedIn', (event, user) => {
  const { page, pageSize } = parseQuery(event, paginationSchema)
  return listMessages(useConnection(), user.id, page, pageSize)
})
