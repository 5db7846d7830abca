import { z } from 'zod'
import { getOwnApplication } from '../../../services/applications'
import { listSharedMaterials } from '../../../services/shared-materials'

// the application being filled in (the apply page's `?draft=`): it decides whether an
// organisation's e-licences are offered, those of the organisation it is made for only
const Query = z.object({ application: single.regex(/^[A-Za-z0-9_-]{8,64}$/).optional() })

/** My reusable e-licences (shared materials, Article 9): valid ones only, mine, and my organisation's when applying for it. */
export default defineApiHandler(['citizen'], (event, user) => {
  const { application } = parseQuery(event, Query)
  let actingFor: number | null = null
  if (application) {
    const draft = getOwnApplication(useConnection(), application, user.id)
    if (!draft) throw notFound()
    actingFor = draft.organizationId
  }
  return listSharedMaterials(useConnection(), { ...user, actingFor })
})
