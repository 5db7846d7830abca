import { trackInput, trackWithLimits } from '../services/tracking'

const Query = trackInput(single)

/**
 * Public tracking by case number plus ID number: no personal data; a wrong pair is 404. Kept for
 * the contract: the ID number in the query reaches proxies' access logs, so the portal's own
 * page uses POST /api/track, which answers the same.
 */
export default defineApiHandler('public', (event) => {
  // a budget of its own: the pair must not be guessable by brute force
  enforceAddressLimit(event, 'track')
  const { caseNo, idNumber } = parseQuery(event, Query)
  return trackAnswer(event, trackWithLimits(useConnection(), caseNo, idNumber, clientIp(event)))
})
