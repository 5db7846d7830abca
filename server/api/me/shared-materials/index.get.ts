import { listSharedMaterials } from '../../../services/shared-materials'

/** My reusable e-licences (shared materials, Article 9): valid ones only, mine, and my organisation's when applying for it. */
export default defineApiHandler(['citizen'], (event, user) => {
  return listSharedMaterials(useConnection(), { ...user, actingFor: actingForOf(event, user.id) })
})
