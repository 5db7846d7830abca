import { z } from 'zod'
import { httpErrorOf } from '../../services/application-errors'
import { discardDraft } from '../../services/applications'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })

/** Discards one of my drafts: 204; its files stay in "my materials". */
export default defineApiHandler(['citizen'], (event, user) => {
  const { id } = parseParams(event, Params)
  try {
    inWriteTransaction(() => discardDraft(useConnection(), user, id, clientIp(event)))
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
  setResponseStatus(event, 204)
  return null
})
