import { z } from 'zod'
import { requestExtension } from '../../../services/extension-requests'

const Body = z.strictObject({
  // 1 to MAX_EXTENSION_DAYS, judged by the service as the head's extension judges it
  days: z.number({ error: 'validation.number' }).int('validation.number'),
  // the reason the applicant will read with the new deadline, as a transition's comment
  comment: caseCommentSchema,
  version: z.number({ error: 'validation.number' }).int('validation.number').min(1, 'validation.number'),
}, { error: 'validation.invalidType' })

/**
 * 延期申请: a clerk of the department asks its head to extend the case's time limit. 200 the case
 * (its `extension.open`); 409 not extendable now, a request already open, or asked by the head.
 */
export default defineApiHandler(['clerk'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const body = await parseBody(event, Body)
  return caseWrite(() => requestExtension(useConnection(), { caseNo, ...body, user, ip: clientIp(event) }))
})
