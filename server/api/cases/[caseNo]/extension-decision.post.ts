import { z } from 'zod'
import { decideExtension } from '../../../services/extension-requests'

const Body = z.strictObject({
  request: z.number({ error: 'validation.number' }).int('validation.number').min(1, 'validation.number'),
  approve: z.boolean({ error: 'validation.invalidType' }),
  // declined: why, for the clerk who asked (required then, refused with an approval)
  comment: caseCommentSchema.nullish(),
  version: z.number({ error: 'validation.number' }).int('validation.number').min(1, 'validation.number'),
}, { error: 'validation.invalidType' })

/**
 * The head of the department decides a clerk's request to extend the time limit: approved, the
 * case is extended (its `extend` event, by the head); declined, with a reason. 200 the case; 403
 * to anyone but the head; 409 when the request is no longer open or the case cannot be extended.
 */
export default defineApiHandler(['clerk'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const body = await parseBody(event, Body)
  return caseWrite(() => decideExtension(useConnection(), { caseNo, ...body, user, ip: clientIp(event) }))
})
