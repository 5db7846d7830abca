import { revealCaseIdNumber } from '../../../services/case-reveal'

/** The applicant's full ID number, for a clerk of the case's department; every reveal is audited. */
export default defineApiHandler(['clerk'], (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const revealed = inWriteTransaction(() => revealCaseIdNumber(useConnection(), caseNo, user, clientIp(event)))
  if (!revealed) throw notFound()
  return revealed
})
