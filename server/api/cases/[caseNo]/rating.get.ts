import { z } from 'zod'
import { getCaseRating } from '../../../services/ratings'

const Params = z.object({ caseNo: z.string().refine(s => parseCaseNo(s) !== null) })

/** The case's rating and any rectification answer: its applicant, its department, managers. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], (event, user) => {
  const { caseNo } = parseParams(event, Params)
  const view = getCaseRating(useConnection(), caseNo, user)
  if (!view) throw notFound()
  return view
})
