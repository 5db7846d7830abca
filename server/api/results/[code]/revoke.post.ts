import { z } from 'zod'
import { revokeInputSchema } from '../../../../shared/utils/rating-schemas'
import { refusalOf, RESULT_CODE, revokeResult } from '../../../services/results'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/** A clerk of the issuing department revokes an e-licence; the verification page shows it at once. */
export default defineApiHandler(['clerk'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const { reason } = await parseBody(event, revokeInputSchema)
  try {
    const result = inWriteTransaction(() => revokeResult(useConnection(), code, user, reason, clientIp(event)))
    if (!result) throw notFound()
    return result
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
