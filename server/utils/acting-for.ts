import { z } from 'zod'
import type { H3Event } from 'h3'
import { getOwnApplication } from '../services/applications'

// the application being filled in (the apply page's `?draft=`)
const Query = z.object({ application: single.regex(/^[A-Za-z0-9_-]{8,64}$/).optional() })

/**
 * Whom a citizen is applying for, from `?application=`: null for themselves (also without the
 * parameter), else the id of the organisation the application is made for. It decides which
 * e-licences may be offered and copied: an organisation's serve that organisation's applications
 * only. Someone else's or an unknown application is a 404.
 */
export function actingForOf(event: H3Event, userId: number): number | null {
  const { application } = parseQuery(event, Query)
  if (!application) return null
  const draft = getOwnApplication(useConnection(), application, userId)
  if (!draft) throw notFound()
  return draft.organizationId
}
