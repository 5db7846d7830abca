import { z } from 'zod'
import { adminHttpError, publishForm } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** Publishes the form draft: new applications use it, earlier cases keep their own version. */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  try {
    return inWriteTransaction(() => publishForm(useConnection(), { ...user, ip: clientIp(event) }, code))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
