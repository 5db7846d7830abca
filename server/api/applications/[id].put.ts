import { z } from 'zod'
import { httpErrorOf, saveDraft } from '../../services/applications'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })
const Body = z.object({
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }),
}, { error: 'validation.invalidType' })

/** Saves a draft's answers (autosave and "save draft"): 200 the draft. */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { id } = parseParams(event, Params)
  const body = await parseBody(event, Body)
  try {
    return await inGroupCommit(() => saveDraft(useConnection(), user, id, body.answers))
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
})
