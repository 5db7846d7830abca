import { z } from 'zod'
import { httpErrorOf } from '../../../services/application-errors'
import { submitApplication } from '../../../services/applications'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })

/**
 * Submits a draft: 201 `{ caseNo, status, deadline }`, or 400 with fieldErrors. A repeated submit
 * (double click, retry) answers 200 with the same case.
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  const { id } = parseParams(event, Params)
  try {
    const result = await inGroupCommit(() => submitApplication(useConnection(), user, id, clientIp(event)))
    setResponseStatus(event, result.replayed ? 200 : 201)
    return { caseNo: result.caseNo, status: result.status, deadline: result.deadline }
  }
  catch (error) {
    throw createError(httpErrorOf(error))
  }
})
