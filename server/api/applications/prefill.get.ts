import { z } from 'zod'
import { httpErrorOf } from '../../services/application-errors'
import { prefillAnswers } from '../../services/applications'
import { writeAudit } from '../../services/audit'

const Query = z.object({
  serviceCode: single.pipe(serviceCodeSchema),
  organizationId: single.regex(/^[1-9]\d{0,9}$/, 'validation.organization').transform(Number).optional(),
})

/**
 * `{ answers }` the profile fills in for an item's form. The person's own full ID number and mobile
 * are revealed to themselves only, and the reveal is audited.
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { serviceCode, organizationId } = parseQuery(event, Query)
  let answers: Awaited<ReturnType<typeof prefillAnswers>>
  try {
    // through the group commit: every form opened writes this audit row, and a morning's worth
    // share their disk syncs with the submissions instead of costing one each
    answers = await inGroupCommit(() => {
      const found = prefillAnswers(useConnection(), user.id, serviceCode, organizationId)
      if (found && !answersHeadersOnly(event)) writeAudit(useConnection(), { actorId: user.id, actorRole: user.role, action: 'profile.prefill', subject: serviceCode, ip: clientIp(event) })
      return found
    })
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
  // outside the try: httpErrorOf takes what is not an ApplicationError for a fault, and logged an
  // item without a form as one, answering "Server Error"
  if (!answers) throw notFound()
  return { answers }
})
