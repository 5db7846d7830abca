import { caseDetail, findVisibleCase } from '../../services/case-views'

/** One case for its applicant, its department's clerks and managers (audited: case.read); anyone else: 404. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const conn = useConnection()
  const row = findVisibleCase(conn, caseNo, user)
  if (!row) throw notFound()
  await auditStaffRead(event, user, 'case.read', caseNo)
  return caseDetail(conn, row, user)
})
