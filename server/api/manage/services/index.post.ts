import { z } from 'zod'
import { adminHttpError, createService } from '../../../services/catalogue-admin'

/** A new item as a draft; the whole guide is checked by the service (400 with problems per field). */
export default defineApiHandler(['admin', 'clerk'], async (event, user) => {
  const body = await parseBody(event, z.unknown())
  const actor = { ...user, ip: clientIp(event) }
  try {
    const created = inWriteTransaction(() => createService(useConnection(), actor, body))
    setResponseStatus(event, 201)
    return created
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
