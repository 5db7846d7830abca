import { z } from 'zod'
import { verifyResult } from '../../services/results'

// Lower-case and spaces are forgiven (codes are read aloud and typed); anything else names nothing.
const Params = z.object({ code: z.string().max(40).transform(s => s.replace(/[\s-]/g, '').toUpperCase()) })

/** Public verification of an e-licence: status, item, masked holder; nothing personal. */
export default defineApiHandler('public', (event) => {
  enforceAddressLimit(event, 'verify')
  const { code } = parseParams(event, Params)
  const v = verifyResult(useConnection(), code)
  if (!v) throw notFound()
  return v
})
