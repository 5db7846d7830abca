import { z } from 'zod'
import { qrSvg } from '../../../services/result-qr'
import { findResultFor, RESULT_CODE, verificationUrl } from '../../../services/results'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/** The QR code pointing to the public verification page, for those who may see the e-licence. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], (event, user) => {
  const { code } = parseParams(event, Params)
  if (!findResultFor(useConnection(), code, user)) throw notFound()
  setResponseHeader(event, 'content-type', 'image/svg+xml; charset=utf-8')
  return qrSvg(verificationUrl(code, getRequestURL(event).origin))
})
