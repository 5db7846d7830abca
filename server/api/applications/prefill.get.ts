import { z } from 'zod'
import { httpErrorOf, prefillAnswers } from '../../services/applications'
import { writeAudit } from '../../services/audit'

const Query = z.object({
  serviceCode: single.pipe(serviceCodeSchema),
  organizationId: single.regex(/^[1-9]\d{0,9}$/, 'validation.organization').transform(Number).optional(),
})

/**
 * `{ answers }` the profile fills in for an item's form. The person's own full ID number and mobile
 * are revealed to themselves only, and the reveal is audited.
 */
export default defineApiHandler(['citizen'], (event, user) => {
  const { serviceCode, organizationId } = parseQuery(event, Query)
  try {
    return inWriteTransaction(() => {
      const answers = prefillAnswers(useConnection(), user.id, serviceCode, organizationId)
      if (!answers) throw notFound()
      writeAudit(useConnection(), { actorId: user.id, actorRole: user.role, action: 'profile.prefill', subject: serviceCode, ip: clientIp(event) })
      return { answers }
    })
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
})
