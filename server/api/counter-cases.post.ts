import { z } from 'zod'
import { httpErrorInfo } from '../services/case-errors'
import { receiveCounterCaseOnce } from '../services/counter'

const Body = z.strictObject({
  serviceCode: chosenServiceCodeSchema,
  applicant: z.strictObject({ name: personNameSchema, idNumber: idNumberSchema, mobile: mobileSchema }, { error: 'validation.invalidType' }),
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }).default({}),
}, { error: 'validation.invalidType' })

/** What the counter page sends as Idempotency-Key: 16 to 64 letters, digits, '-' and '_' (a random hex string). */
const IDEMPOTENCY_KEY = /^[\w-]{16,64}$/

/**
 * Counter intake (窗口收件) by a clerk, for an item of their own department: 201 with the case
 * number. File fields are not required here: paper materials are checked at the counter. With an
 * `Idempotency-Key` header, a repeat of the same intake (its answer was lost) answers 200 with the
 * case already made; the same key with other details 409 naming that case.
 */
export default defineApiHandler(['clerk'], async (event, user) => {
  const key = getRequestHeader(event, 'idempotency-key') ?? null
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) throw validationError({ idempotencyKey: 'validation.idempotencyKey' })
  const body = await parseBody(event, Body)
  try {
    const created = await inGroupCommit(() => receiveCounterCaseOnce(useConnection(), { ...body, clerk: user, ip: clientIp(event) }, key))
    setResponseStatus(event, created.replayed ? 200 : 201)
    return { caseNo: created.caseNo, channel: created.channel }
  }
  catch (e) {
    const info = httpErrorInfo(e)
    throw info ? createError(info) : e
  }
})
