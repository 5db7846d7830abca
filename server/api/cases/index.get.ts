import { z } from 'zod'
import { listCases } from '../../services/case-queries'
import { STATUSES } from '../../../shared/utils/workflow'

const Query = paginationSchema.extend({
  // draft: a status of the contract's, which no case has (a draft is an application): an empty list
  status: z.enum(['open', ...STATUSES], { error: 'validation.query.status' }).optional(),
  q: single.trim().refine(s => s === '' || isCaseNoPrefix(s), 'validation.query.caseNo').optional(),
})

/**
 * A citizen's cases, a clerk's department queue (with counts per status), every case for a manager;
 * for an administrator or auditor, whose work holds no case, none (the contract's "signed in").
 */
export default defineApiHandler('signedIn', (event, user) => {
  const query = parseQuery(event, Query)
  return listCases(useConnection(), user, {
    status: query.status,
    q: query.q || undefined,
    page: query.page,
    pageSize: query.pageSize,
  })
})
