import { z } from 'zod'
import { qrMatrix } from '../../services/result-qr'
import { findResultFor, RESULT_CODE, verificationUrl } from '../../services/results'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/**
 * The whole e-licence: its holder, the issuing department's clerks, managers; anyone else 404.
 * A clerk's or manager's read is audited (result.read).
 */
export default defineApiHandler(['citizen', 'clerk', 'manager'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const result = findResultFor(useConnection(), code, user)
  if (!result) throw notFound()
  await auditStaffRead(event, user, 'result.read', code, { format: 'page' })
  const verifyUrl = verificationUrl(code, getRequestURL(event).origin)
  // the printable page draws the QR code inline from this path (no image request, prints sharply)
  const { size, path } = qrMatrix(verifyUrl)
  return { ...result, verifyUrl, qr: { size, path } }
})
