import { z } from 'zod'
import { listRectifications } from '../../services/rectifications'

const Query = paginationSchema.extend({
  status: z.enum(['open', 'answered'], { error: 'validation.query.status' }).optional(),
})

/** Rectification items of bad ratings: a clerk's own department, every department for a manager. */
export default defineApiHandler(['clerk', 'manager'], (event, user) => {
  const query = parseQuery(event, Query)
  return listRectifications(useConnection(), user, query)
})
