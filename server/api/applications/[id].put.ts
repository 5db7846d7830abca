import { z } from 'zod'
import { httpErrorOf } from '../../services/application-errors'
import { saveDraft } from '../../services/applications'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })
const Body = z.object({
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }),
  // the draft's updatedAt as the page last had it: 409 when it was saved since (another tab)
  basedOn: z.iso.datetime({ error: 'validation.invalidType' }).optional(),
}, { error: 'validation.invalidType' })

/** Saves a draft's answers (autosave and "save draft"): 200 the draft; 409 submitted, or saved since `basedOn`. */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { id } = parseParams(event, Params)
  const body = await parseBody(event, Body)
  try {
    return await inGroupCommit(() => saveDraft(useConnection(), user, id, body.answers, new Date(), body.basedOn))
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
})
