import { listMaterials } from '../../services/uploads'

/** "My materials": the person's earlier uploads, newest first, to attach again. */
export default defineApiHandler(['citizen', 'clerk'], (event, user) => {
  const { page, pageSize } = parseQuery(event, paginationSchema)
  return listMaterials(useConnection(), user, page, pageSize)
})
