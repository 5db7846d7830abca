import { z } from 'zod'
import { adminHttpError, setServiceStatus } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** Withdraws an item from the catalogue: no new applications, its open cases stay workable. */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  try {
    return inWriteTransaction(() => setServiceStatus(useConnection(), { ...user, ip: clientIp(event) }, code, 'withdrawn'))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
