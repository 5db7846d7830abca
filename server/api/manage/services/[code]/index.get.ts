import { z } from 'zod'
import { getManagedService } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** One item for its editors: the guide in force, the drafts and the version history. */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  const item = getManagedService(useConnection(), user, code)
  if (!item) throw notFound()
  return item
})
