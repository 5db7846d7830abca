import { z } from 'zod'
import { adminHttpError, publishGuide } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** Publishes the guide draft as the item's next version (409 when there is no draft). */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  try {
    return inWriteTransaction(() => publishGuide(useConnection(), { ...user, ip: clientIp(event) }, code))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
