import { z } from 'zod'
import { removeOrganization } from '../../../services/registration'

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/, 'validation.invalidType').transform(Number) })

/** A citizen takes an organisation off their account: 204; 404 not theirs; 409 while a case, licence or application names it. */
export default defineApiHandler(['citizen'], (event, user) => {
  const { id } = parseParams(event, Params)
  const result = removeOrganization(useConnection(), user, id, clientIp(event))
  if (!result.ok && result.reason === 'notFound') throw notFound()
  if (!result.ok) throw createError({ statusCode: 409, message: 'A case, an e-licence or an application of yours names this organisation', data: { reason: 'organizationInUse' } })
  setResponseStatus(event, 204)
  return null
})
