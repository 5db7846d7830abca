import { z } from 'zod'
import { httpErrorOf } from '../../services/application-errors'
import { createDraft } from '../../services/applications'

const Body = z.object({
  serviceCode: chosenServiceCodeSchema,
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }).optional().default({}),
  organizationId: z.number({ error: 'validation.organization' }).int('validation.organization').positive('validation.organization').nullish(),
}, { error: 'validation.invalidType' })

/** Starts a draft of an item available online: 201 the draft (with the form version it keeps). */
export default defineApiHandler(['citizen'], async (event, user) => {
  const body = await parseBody(event, Body)
  try {
    const ip = clientIp(event)
    const draft = await inGroupCommit(() => createDraft(useConnection(), user, { ...body, ip }))
    setResponseStatus(event, 201)
    return draft
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
})
