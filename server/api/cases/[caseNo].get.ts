import { z } from 'zod'
import { caseDetail, findVisibleCase } from '../../services/case-views'

const Params = z.object({ caseNo: z.string().refine(s => parseCaseNo(s) !== null) })

/** One case for its applicant, its department's clerks and managers (audited: case.read); anyone else: 404. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], async (event, user) => {
  const { caseNo } = parseParams(event, Params)
  const conn = useConnection()
  const row = findVisibleCase(conn, caseNo, user)
  if (!row) throw notFound()
  await auditStaffRead(event, user, 'case.read', caseNo)
  return caseDetail(conn, row, user)
})
