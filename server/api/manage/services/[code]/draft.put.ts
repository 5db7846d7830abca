import { z } from 'zod'
import { single } from '../../../../../shared/utils/query'
import { adminHttpError, saveGuideDraft } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })
/**
 * The draft revision as the editor last loaded or saved it ('none': there was no draft), checked
 * when given: 409 `manage.rule.draftChanged` once the draft changed since.
 */
const revision = single.regex(/^(none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/, 'validation.invalidType').transform(v => (v === 'none' ? null : v)).optional()
const Query = z.object({ revision })

/** Saves the guide draft → `{ version, revision }`; 400 with `data.problems` and `data.fieldErrors` per field. */
export default defineApiHandler(['admin', 'clerk'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const { revision: seen } = parseQuery(event, Query)
  const body = await parseBody(event, z.unknown())
  try {
    return inWriteTransaction(() => saveGuideDraft(useConnection(), { ...user, ip: clientIp(event) }, code, body, new Date(), { revision: seen }))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
