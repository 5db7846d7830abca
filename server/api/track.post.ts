import { typedString } from '../../shared/utils/validators'
import { trackInput, trackWithLimits } from '../services/tracking'

// missing reads as required, another JSON type as the wrong type, as in the other bodies
const Body = trackInput(typedString())

/**
 * Public tracking with `{ caseNo, idNumber }` in a JSON body: answers exactly as GET /api/track
 * (same rules, limits and 404), but the ID number stays out of the URL, so out of access logs
 * and browser history.
 */
export default defineApiHandler('public', async (event) => {
  enforceAddressLimit(event, 'track')
  const { caseNo, idNumber } = await parseBody(event, Body)
  return trackAnswer(event, trackWithLimits(useConnection(), caseNo, idNumber, clientIp(event)))
})
