import { z } from 'zod'
import { listOwnApplications } from '../../services/applications'

const Query = paginationSchema.extend({
  status: z.enum(['draft', 'submitted'], { error: 'validation.query.status' }).optional(),
})

/** My applications (`?status=draft`: drafts to resume), most recently touched first. */
export default defineApiHandler(['citizen'], (event, user) => {
  const query = parseQuery(event, Query)
  return listOwnApplications(useConnection(), user.id, query)
})
