import { z } from 'zod'
import { caseDocument } from '../../../../services/case-documents'
import { findVisibleCase } from '../../../../services/case-views'

const Params = z.object({
  caseNo: caseNoParam,
  id: z.string().regex(/^[1-9]\d{0,15}$/).transform(Number),
})

/**
 * One written document of a case (文书: 受理通知书, 补正材料通知书, 决定书 …), by the id of the event
 * that issued it, for whoever may read the case: its applicant, its department's clerks (who print
 * it for an applicant served at the counter) and managers. A case or event not theirs is a 404. It
 * names the applicant, so a staff read is audited like the case's (case.read, with the document).
 */
export default defineApiHandler(['citizen', 'clerk', 'manager'], async (event, user) => {
  const { caseNo, id } = parseParams(event, Params)
  const conn = useConnection()
  const row = findVisibleCase(conn, caseNo, user)
  const document = row && caseDocument(conn, row, id, user)
  if (!document) throw notFound()
  await auditStaffRead(event, user, 'case.read', caseNo, { view: 'document', document: document.number })
  return document
})
