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
    // no request origin: the copy is stored, and the Host header is the client's to write (verificationUrl)
    const upload = await attachResult(useConnection(), code, { ...user, actingFor: actingForOf(event, user.id) }, clientIp(event))
    if (!upload) throw notFound()
    return upload
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
