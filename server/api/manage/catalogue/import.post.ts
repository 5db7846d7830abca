import { z } from 'zod'
import { importCatalogue } from '../../../services/catalogue-import'

const Query = z.object({ dryRun: single.regex(/^(?:0|1|true|false)$/, 'validation.query.dryRun').optional() })
const Body = z.object({ services: z.array(z.unknown(), { error: 'validation.invalidType' }).max(IMPORT_MAX_ITEMS, 'validation.tooMany') }, { error: 'validation.invalidType' })

/** Checks a whole catalogue file; without dryRun writes every item (published) or none. */
export default defineApiHandler(['admin'], async (event, user) => {
  const { dryRun } = parseQuery(event, Query)
  const { services } = await parseBody(event, Body)
  const actor = { id: user.id, role: user.role, departmentCode: user.departmentCode, ip: clientIp(event) }
  const dry = dryRun === '1' || dryRun === 'true'
  const result = dry
    ? importCatalogue(useConnection(), actor, services, { dryRun: true })
    : inWriteTransaction(() => importCatalogue(useConnection(), actor, services, { dryRun: false }))
  if (!dry && !result.ok) {
    // the contract's `{ ok: false, problems }`, inside the usual error shape as well
    setResponseStatus(event, 400)
    return { statusCode: 400, message: 'The catalogue file has problems: nothing was written', ok: false, problems: result.problems, data: { problems: result.problems } }
  }
  return result
})
