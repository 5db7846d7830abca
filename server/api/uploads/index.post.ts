import { receiveMultipart, storeUpload, UploadError } from '../../services/uploads'

/** One file, streamed to disk: 201 `{ id, name, size, mime, sha256 }`, 413 too large, 415 not PDF/JPEG/PNG. */
export default defineApiHandler(['citizen', 'clerk'], async (event, user) => {
  const file = await receiveMultipart(event.node.req).catch((error: unknown) => {
    if (error instanceof UploadError) throw createError({ statusCode: error.statusCode, message: error.reason, data: { reason: error.reason } })
    throw error
  })
  const stored = await storeUpload(useConnection(), file, user, clientIp(event))
  setResponseStatus(event, 201)
  return stored
})
