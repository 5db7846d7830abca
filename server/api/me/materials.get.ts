import { draftRetentionDays } from '../../services/drafts-cleanup'
import { listMaterials } from '../../services/uploads'

/**
 * "My materials": the person's earlier uploads, newest first, to attach again, and how many days
 * one that no case or application uses is kept (the page says so: such files are cleaned up).
 */
export default defineApiHandler(['citizen', 'clerk'], (event, user) => {
  const { page, pageSize } = parseQuery(event, paginationSchema)
  return { ...listMaterials(useConnection(), user, page, pageSize), retentionDays: draftRetentionDays() }
})
