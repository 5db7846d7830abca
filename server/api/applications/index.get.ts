import { z } from 'zod'
import { listOwnApplications } from '../../services/applications'
import { draftRetentionDays } from '../../services/drafts-cleanup'

const Query = paginationSchema.extend({
  status: z.enum(['draft', 'submitted'], { error: 'validation.query.status' }).optional(),
})

/**
 * My applications (`?status=draft`: drafts to resume), most recently touched first, and how many
 * days an untouched draft is kept (DRAFT_RETENTION_DAYS), which the drafts page tells the person.
 */
export default defineApiHandler(['citizen'], (event, user) => {
  const query = parseQuery(event, Query)
  return { ...listOwnApplications(useConnection(), user.id, query), retentionDays: draftRetentionDays() }
})
