import { typedString } from '../../../shared/utils/validators'
import { TRACK_CODE_MINUTES, requestTrackCode } from '../../services/track-unlock'
import { trackInput } from '../../services/tracking'

// missing reads as required, another JSON type as the wrong type, as in the other bodies
const Body = trackInput(typedString())

/**
 * Public tracking locked for the day: `{ caseNo, idNumber }` asks for a code by SMS to the mobile
 * recorded on the case. Always 202 `{ sent: true, minutes }`, whether or not the pair matched, the
 * case has a mobile, or its hourly cap was reached (and never the mobile, even masked: it would
 * confirm the pair), so a stranger learns nothing, and answers before it looks: whether a code went
 * out is in the audit log.
 */
export default defineApiHandler('public', async (event) => {
  // before parsing, in the look-ups' budget: every request may send an SMS, and probing counts too
  enforceAddressLimit(event, 'track')
  const pair = await parseBody(event, Body)
  const ip = clientIp(event)
  // after the answer has gone: a matching pair costs a write and a disk sync, and an answer that
  // waited for them would tell a guesser by its time that the pair was right
  setImmediate(() => {
    try {
      requestTrackCode(useConnection(), pair, ip)
    }
    catch (error) {
      logLine({ level: 'error', event: 'track.code.failed', error })
    }
  })
  setResponseStatus(event, 202)
  return { sent: true, minutes: TRACK_CODE_MINUTES }
})
