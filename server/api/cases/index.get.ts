import { z } from 'zod'
import { listCases } from '../../services/case-queries'
import type { Status } from '../../../shared/utils/workflow'

const Query = paginationSchema.extend({
  status: z.enum(['open', 'submitted', 'supplement', 'accepted', 'suspended', 'approved', 'rejected', 'not_accepted', 'withdrawn'], { error: 'validation.query.status' }).optional(),
  q: single.trim().refine(s => s === '' || isCaseNoPrefix(s), 'validation.query.caseNo').optional(),
})

/** A citizen's cases, a clerk's department queue (with counts per status), every case for a manager. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], (event, user) => {
  const query = parseQuery(event, Query)
  return listCases(useConnection(), user, {
    status: query.status as Status | 'open' | undefined,
    q: query.q || undefined,
    page: query.page,
    pageSize: query.pageSize,
  })
})
