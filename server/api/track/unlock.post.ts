import { resetCodeSchema, typedString } from '../../../shared/utils/validators'
import { trackWithCode } from '../../services/track-unlock'
import { trackInput } from '../../services/tracking'

// missing reads as required, another JSON type as the wrong type, as in the other bodies
const Body = trackInput(typedString()).extend({ code: resetCodeSchema })

/**
 * Public tracking with the code from the SMS (POST /api/track/code): `{ caseNo, idNumber, code }`
 * answers the case as POST /api/track does, even while the case number or the ID number is locked
 * for the day. A wrong code answers 404 as a wrong pair does, and never counts into the day's
 * failed look-ups; the code works once.
 */
export default defineApiHandler('public', async (event) => {
  // before parsing: each code tried is a guess, counted against the address
  enforceAddressLimit(event, 'track')
  const input = await parseBody(event, Body)
  return trackAnswer(event, trackWithCode(useConnection(), input, clientIp(event)))
})
