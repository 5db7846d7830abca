import { z } from 'zod'
import { trackCase } from '../services/tracking'

const Query = z.object({
  caseNo: single.trim().refine(s => parseCaseNo(s.toUpperCase()) !== null, 'validation.query.caseNo'),
  idNumber: single.trim().regex(/^[0-9]{17}[0-9Xx]$/, 'validation.idNumber.format'),
})

/** Public tracking by case number plus ID number: no personal data; a wrong pair is 404. */
export default defineApiHandler('public', (event) => {
  // a budget of its own: the pair must not be guessable by brute force
  enforceAddressLimit(event, 'track')
  const { caseNo, idNumber } = parseQuery(event, Query)
  const tracked = trackCase(useConnection(), caseNo, idNumber)
  if (!tracked) throw notFound()
  return tracked
})
