import { removeOrphanedTempFiles } from '../services/upload-receive'

/**
 * On start, before any upload can begin: temporary files of uploads a crash or restart cut off
 * are never renamed into place, so everything left in UPLOAD_DIR/tmp is garbage.
 */
export default defineNitroPlugin(() => {
  const removed = removeOrphanedTempFiles()
  if (removed) console.info(JSON.stringify({ level: 'info', event: 'uploads.tmpCleanup', removed }))
})
