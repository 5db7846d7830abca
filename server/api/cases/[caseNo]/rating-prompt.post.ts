import { z } from 'zod'
import { promptRating } from '../../../services/ratings'
import { refusalOf } from '../../../services/results'

const Params = z.object({ caseNo: z.string().refine(s => parseCaseNo(s) !== null) })

/** A clerk of the department asks the applicant for a rating: message and SMS, once per case. */
export default defineApiHandler(['clerk'], (event, user) => {
  const { caseNo } = parseParams(event, Params)
  try {
    return inWriteTransaction(() => promptRating(useConnection(), caseNo, user, clientIp(event)))
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
