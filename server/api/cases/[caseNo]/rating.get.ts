import { getCaseRating } from '../../../services/ratings'

/** The case's rating and any rectification answer: its applicant, its department, managers. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const view = getCaseRating(useConnection(), caseNo, user)
  if (!view) throw notFound()
  return view
})
