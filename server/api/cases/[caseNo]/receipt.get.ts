import { caseReceipt } from '../../../services/counter'

/**
 * The receipt of a case (收件凭证) for the clerk to print and hand over: clerks of the case's
 * department (another department's case is a 404), and managers, who may only read. Citizens have
 * their own receipt page (from GET /api/cases/:caseNo). It names the applicant, so a read is
 * audited like the case's (case.read, with detail.view).
 */
export default defineApiHandler(['clerk', 'manager'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const receipt = caseReceipt(useConnection(), caseNo, user, getRequestURL(event).origin)
  if (!receipt) throw notFound()
  await auditStaffRead(event, user, 'case.read', caseNo, { view: 'receipt' })
  return receipt
})
