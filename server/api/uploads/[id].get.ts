import { createReadStream } from 'node:fs'
import { z } from 'zod'
import { maskPersonalNumbers } from '../../../shared/utils/mask'
import { findUploadForDownload } from '../../services/uploads'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })

/**
 * Downloads a material as an attachment, for its owner, the applicant of a case it belongs to, a
 * clerk of that case's department or a manager. Every staff download is audited (upload.read),
 * the clerk's own too: what a clerk uploads is a scan taken at the counter (an applicant's ID card),
 * which stays downloadable to them while cases of their department hold it.
 */
export default defineApiHandler('signedIn', async (event, user) => {
  const { id } = parseParams(event, Params)
  const upload = findUploadForDownload(useConnection(), id, user)
  if (!upload) throw notFound()
  await auditStaffRead(event, user, 'upload.read', id)
  // the name as the case's views show it: staff read the numbers in it masked
  // (张三440301********1234身份证.jpg), the applicant who named it reads it whole
  const name = user.role === 'citizen' ? upload.name : maskPersonalNumbers(upload.name)
  setResponseHeaders(event, {
    'content-type': upload.mime,
    'content-length': upload.size,
    // RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so Chinese names survive
    'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7E]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  })
  return sendStream(event, createReadStream(upload.path))
})
