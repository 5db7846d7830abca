import { listSharedMaterials } from '../../../services/shared-materials'

/** My reusable e-licences (shared materials, Article 9): valid ones only. */
export default defineApiHandler(['citizen'], (_event, user) => {
  return listSharedMaterials(useConnection(), user)
})
