import { z } from 'zod'
import { listOwnApplications } from '../../services/applications'
import { draftRetentionDays } from '../../services/drafts-cleanup'

const Query = paginationSchema.extend({
  status: z.enum(['draft', 'submitted'], { error: 'validation.query.status' }).optional(),
  serviceCode: single.pipe(serviceCodeSchema).optional(),
  // `none`: the person's applications for themself, as opposed to one of their organisations'
  organizationId: single.regex(/^(?:none|[1-9]\d{0,9})$/, 'validation.query.organizationId')
    .transform(v => (v === 'none' ? null : Number(v))).optional(),
})

/**
 * My applications (`?status=draft`: drafts to resume), most recently touched first, and how many
 * days an untouched draft is kept (DRAFT_RETENTION_DAYS), which the drafts page tells the person.
 * `serviceCode` and `organizationId` narrow them to one item and one applicant: the apply page
 * asks so, to offer a saved draft instead of starting a second one.
 */
export default defineApiHandler(['citizen'], (event, user) => {
  const query = parseQuery(event, Query)
  return { ...listOwnApplications(useConnection(), user.id, query), retentionDays: draftRetentionDays() }
})
