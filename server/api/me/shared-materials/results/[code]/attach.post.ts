import { z } from 'zod'
import { refusalOf, RESULT_CODE } from '../../../../../services/results'
import { attachResult } from '../../../../../services/shared-materials'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/**
 * The upload carrying my e-licence's PDF, made once: its id fills a file field of a later
 * application (`?application=`: an organisation's licence only for that organisation's).
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { code } = parseParams(event, Params)
  try {
    const upload = await attachResult(useConnection(), code, { ...user, actingFor: actingForOf(event, user.id) }, getRequestURL(event).origin, clientIp(event))
    if (!upload) throw notFound()
    return upload
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
