import { z } from 'zod'
import { markMessageRead } from '../../../../services/case-messages'

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/).transform(Number) })

/** Marks one of the person's own messages read; someone else's is 404. */
export default defineApiHandler('signedIn', (event, user) => {
  const { id } = parseParams(event, Params)
  const read = inWriteTransaction(() => markMessageRead(useConnection(), user.id, id))
  if (!read) throw notFound()
  return read
})
