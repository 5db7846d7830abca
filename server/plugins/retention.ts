import { forgetOldIntakeKeys } from '../services/counter'
import { purgeSentNotices } from '../services/outbox-retention'
import { forgetOldMobileCodes } from '../services/mobile-verification'
import { forgetOldPasswordResets } from '../services/password-reset'
import { forgetOldTrackCodes } from '../services/track-unlock'

/**
 * What is kept only for a while goes at start and every hour after: counter intake keys,
 * password-reset, mobile-verification and tracking codes older than a day, and notices sent more
 * than OUTBOX_RETENTION_DAYS ago.
 * (Stale drafts and uploads have their own clean-up, drafts-cleanup.ts.) The timer never keeps
 * the process alive.
 */
export default defineNitroPlugin(() => {
  const run = async () => {
    try {
      const intakeKeys = forgetOldIntakeKeys(useConnection())
      const passwordResets = forgetOldPasswordResets(useConnection())
      const mobileCodes = forgetOldMobileCodes(useConnection())
      const trackCodes = forgetOldTrackCodes(useConnection())
      const notices = await purgeSentNotices(useConnection())
      if (intakeKeys || passwordResets || mobileCodes || trackCodes || notices) logLine({ level: 'info', event: 'retention', intakeKeys, passwordResets, mobileCodes, trackCodes, notices })
    }
    catch (error) {
      logLine({ level: 'error', event: 'retention.failed', message: (error as Error).message })
    }
  }
  void run()
  setInterval(() => void run(), 3_600_000).unref()
})
