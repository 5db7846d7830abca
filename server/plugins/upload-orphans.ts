import { removeOrphanedUploads } from '../services/upload-orphans'

/**
 * Files no upload row names (a crash between a file's rename and its row's commit, or between a
 * row's delete and its file's unlink) go at start and every hour after. useConnection() applies
 * the migrations first; a run still going when the next is due is not doubled. The timer never
 * keeps the process alive.
 */
export default defineNitroPlugin(() => {
  let running = false
  const run = async () => {
    if (running) return
    running = true
    try {
      const result = await removeOrphanedUploads(useConnection())
      if ('refused' in result) logLine({ level: 'error', event: 'uploads.orphans.refused', unnamed: result.unnamed, named: result.named, restored: result.restored })
      else if (result.removed) logLine({ level: 'info', event: 'uploads.orphans', removed: result.removed })
    }
    catch (error) {
      logLine({ level: 'error', event: 'uploads.orphans.failed', message: (error as Error).message })
    }
    finally {
      running = false
    }
  }
  void run()
  setInterval(() => void run(), 3_600_000).unref()
})
