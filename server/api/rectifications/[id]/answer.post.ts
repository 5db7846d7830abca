import { z } from 'zod'
import { rectificationAnswerSchema } from '../../../../shared/utils/rating-schemas'
import { answerRectification } from '../../../services/rectifications'
import { refusalOf } from '../../../services/results'

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number) })

/** A clerk of the department answers a rectification item; the applicant is told and reads the answer. */
export default defineApiHandler(['clerk'], async (event, user) => {
  const { id } = parseParams(event, Params)
  const { answer } = await parseBody(event, rectificationAnswerSchema)
  try {
    return inWriteTransaction(() => answerRectification(useConnection(), id, user, answer, clientIp(event)))
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
