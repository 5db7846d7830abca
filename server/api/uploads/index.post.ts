import type { H3Event } from 'h3'
import { quotaExceeded, UploadError, volumeFull } from '../../services/upload-limits'
import { uploadVolumeHasRoom, withinQuota } from '../../services/upload-quota'
import { receiveMultipart } from '../../services/upload-receive'
import { storeUpload } from '../../services/uploads'

/**
 * The refusal's answer. One before the body's end (over quota, no room, past the limit) leaves the
 * rest unread and closes the connection after the answer.
 */
function refusal(event: H3Event, error: UploadError) {
  closeUnreadRequest(event)
  return createError({ statusCode: error.statusCode, message: error.reason, data: { reason: error.reason } })
}

/**
 * One file, streamed to disk: 201 `{ id, name, size, mime, sha256 }`, 413 too large, 415 not
 * PDF/JPEG/PNG, 429 past the account's quota (checked before reading, so a full account's upload
 * is not received for nothing, and again when storing), 507 `validation.storageFull` while the
 * upload volume has less than UPLOAD_MIN_FREE_BYTES free (checked before reading too), or when the
 * file cannot be written after all (the volume filled up meanwhile, an I/O error).
 */
export default defineApiHandler(['citizen', 'clerk'], async (event, user) => {
  const ip = clientIp(event)
  if (!withinQuota(useConnection(), user, 0, ip)) throw refusal(event, quotaExceeded())
  if (!(await uploadVolumeHasRoom())) throw refusal(event, volumeFull())
  try {
    const file = await receiveMultipart(event.node.req)
    const stored = await storeUpload(useConnection(), file, user, ip)
    setResponseStatus(event, 201)
    return stored
  }
  catch (error) {
    if (error instanceof UploadError) throw refusal(event, error)
    throw error
  }
})
