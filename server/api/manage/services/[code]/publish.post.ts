import { z } from 'zod'
import { single } from '../../../../../shared/utils/query'
import { adminHttpError, publishGuide } from '../../../../services/catalogue-admin'

const Params = z.object({ code: serviceCodeSchema })
/**
 * The draft revision as the editor last loaded or saved it ('none': there was no draft), checked
 * when given: 409 `manage.rule.draftChanged` once the draft changed since.
 */
const revision = single.regex(/^(none|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/, 'validation.invalidType').transform(v => (v === 'none' ? null : v)).optional()
const Query = z.object({ revision })

/** Publishes the guide draft as the item's next version (409 when there is no draft, or not the one the editor saw). */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const { code } = parseParams(event, Params)
  const { revision: seen } = parseQuery(event, Query)
  try {
    return inWriteTransaction(() => publishGuide(useConnection(), { ...user, ip: clientIp(event) }, code, new Date(), { revision: seen }))
  }
  catch (e) { throw createError(adminHttpError(e)) }
})
