import { ratingInputSchema } from '../../../../shared/utils/rating-schemas'
import { rateCase } from '../../../services/ratings'
import { refusalOf } from '../../../services/results'

/** The applicant rates a completed case once (好差评); a clerk or manager never rates (403). */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const input = await parseBody(event, ratingInputSchema)
  try {
    const view = inWriteTransaction(() => rateCase(useConnection(), caseNo, user, input, clientIp(event)))
    setResponseStatus(event, 201)
    return view
  }
  catch (e) {
    const refusal = refusalOf(e)
    if (refusal) throw createError(refusal)
    throw e
  }
})
