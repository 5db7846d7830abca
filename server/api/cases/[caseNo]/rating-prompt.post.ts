import { promptRating } from '../../../services/ratings'
import { refusalOf } from '../../../services/results'

/** A clerk of the department asks the applicant for a rating: message and SMS, once per case. */
export default defineApiHandler(['clerk'], (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  try {
    return inWriteTransaction(() => promptRating(useConnection(), caseNo, user, clientIp(event)))
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
