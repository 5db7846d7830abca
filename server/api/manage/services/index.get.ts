import { z } from 'zod'
import { listManagedServices } from '../../../services/catalogue-admin'

const Query = paginationSchema.extend({
  q: searchTextSchema.optional(),
  dept: single.regex(/^[A-Z0-9]{1,16}$/, 'validation.query.dept').optional(),
  status: z.enum(['draft', 'published', 'withdrawn'], { error: 'validation.query.status' }).optional(),
})

/** The items an administrator (all) or a department's editor (their own) manages, any status. */
export default defineApiHandler(['admin', 'clerk'], (event, user) => {
  const query = parseQuery(event, Query)
  return listManagedServices(useConnection(), user, { ...query, q: query.q?.trim() || undefined })
})
