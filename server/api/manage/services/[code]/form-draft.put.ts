import { z } from 'zod'
import { single } from '../../../../../shared/utils/query'
import { adminHttpError } from '../../../../services/catalogue-admin'
import { saveFormDraft } from '../../../../services/catalogue-admin-form'

const Params = z.object({ code: serviceCodeSchema })
/**
 * The draft revision as the editor last loaded or saved it ('none': there was no draft), checked
 * when given: 409 `manage.rule.draftChanged` once the draft changed since.
 */
const revision = single.regex(/^(none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/, 'validation.invalidType').transform(v => (v === 'none' ? null : v)).optional()
/** The form version in force when the builder was opened ('none': no form), checked when given. */
const Query = z.object({
  basedOn: single.regex(/^(none|[1-9]\d{0,9})$/, 'validation.invalidType').transform(v => (v === 'none' ? null : Number(v))).optional(),
  revision,
})
// A draft may still have problems (the builder lists them); its outline must be a form's.
const Body = z.looseObject({
  version: z.literal(1, { error: 'validation.invalidType' }),
  fields: z.array(z.looseObject({}), { error: 'validation.invalidType' }).max(200, 'validation.tooMany'),
  sections: z.array(z.looseObject({}), { error: 'validation.invalidType' }).max(50, 'validation.tooMany').optional(),
}, { error: 'validation.invalidType' })

/** Saves the form draft and answers its problems (publishing refuses a form with problems). */
export default defineApiHandler(['admin', 'clerk'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const { basedOn, revision: seen } = parseQuery(event, Query)
  const definition = await parseBody(event, Body)
  try {
    return inWriteTransaction(() => saveFormDraft(useConnection(), { ...user, ip: clientIp(event) }, code, definition, new Date(), { basedOn, revision: seen }))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
