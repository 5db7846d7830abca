import { z } from 'zod'
import { adminHttpError, setServiceStatus } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** Puts a withdrawn item back into the catalogue. */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  try {
    return inWriteTransaction(() => setServiceStatus(useConnection(), { ...user, ip: clientIp(event) }, code, 'published'))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
