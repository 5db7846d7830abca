import { z } from 'zod'
import { adminHttpError, saveGuideDraft } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })

/** Saves the guide draft; 400 with `data.problems` and `data.fieldErrors` per field. */
export default defineApiHandler(['admin', 'clerk'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const body = await parseBody(event, z.unknown())
  try {
    return inWriteTransaction(() => saveGuideDraft(useConnection(), { ...user, ip: clientIp(event) }, code, body))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
