import { z } from 'zod'
import { httpErrorInfo } from '../services/case-errors'
import { receiveCounterCase } from '../services/counter'

const Body = z.strictObject({
  serviceCode: chosenServiceCodeSchema,
  applicant: z.strictObject({ name: personNameSchema, idNumber: idNumberSchema, mobile: mobileSchema }, { error: 'validation.invalidType' }),
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }).default({}),
}, { error: 'validation.invalidType' })

/**
 * Counter intake (窗口收件) by a clerk, for an item of their own department: 201 with the case
 * number. File fields are not required here: paper materials are checked at the counter.
 */
export default defineApiHandler(['clerk'], async (event, user) => {
  const body = await parseBody(event, Body)
  try {
    const created = await inGroupCommit(() => receiveCounterCase(useConnection(), { ...body, clerk: user, ip: clientIp(event) }))
    setResponseStatus(event, 201)
    return created
  }
  catch (e) {
    const info = httpErrorInfo(e)
    throw info ? createError(info) : e
  }
})
