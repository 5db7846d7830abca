import { trackFailureLimit } from '../services/track-failures'

/**
 * A malformed numeric setting stops the server at start, naming it (server/utils/settings.ts),
 * instead of switching a limit or the SMS delivery off at its first use.
 */
export default defineNitroPlugin(() => {
  checkAddressLimits()
  trackFailureLimit()
  outboxIntervalSeconds()
})
