import { z } from 'zod'
import { deleteUpload, removeStoredFile } from '../../services/uploads'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })

/** The owner removes a material no case uses and no submitted application names (it also leaves the owner's drafts): 204. */
export default defineApiHandler(['citizen', 'clerk'], async (event, user) => {
  const { id } = parseParams(event, Params)
  const result = inWriteTransaction(() => deleteUpload(useConnection(), id, user, clientIp(event)))
  if (result === 'gone') throw notFound()
  if (result === 'attached') throw createError({ statusCode: 409, message: 'This file is part of a submitted case or application' })
  await removeStoredFile(result.storedName)
  setResponseStatus(event, 204)
  return null
})
