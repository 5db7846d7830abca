import { z } from 'zod'
import { searchServices } from '../../services/catalogue'

const Query = paginationSchema.extend({
  q: searchTextSchema.optional(),
  dept: single.regex(/^[A-Z0-9]{1,16}$/, 'validation.query.dept').optional(),
  // person or organization: the items for them, those for both included; both: those for both only
  audience: z.enum(['person', 'organization', 'both'], { error: 'validation.query.audience' }).optional(),
  theme: single.regex(/^[a-z0-9-]{1,40}$/, 'validation.query.theme').optional(),
  depth: single.regex(/^[1-4]$/, 'validation.query.depth').transform(Number).optional(),
})

export default defineApiHandler('public', (event) => {
  const query = parseQuery(event, Query)
  return searchServices(useConnection(), { ...query, q: query.q?.trim() || undefined, depth: query.depth as 1 | 2 | 3 | 4 | undefined })
})
