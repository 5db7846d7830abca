import { z } from 'zod'
import { renderResultPdf } from '../../../services/result-pdf'
import { findResultFor, RESULT_CODE, verificationUrl } from '../../../services/results'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/** The e-licence as a one-page PDF with its verification QR code; a clerk's or manager's download is audited (result.read). */
export default defineApiHandler(['citizen', 'clerk', 'manager'], async (event, user) => {
  const { code } = parseParams(event, Params)
  const r = findResultFor(useConnection(), code, user)
  if (!r) throw notFound()
  await auditStaffRead(event, user, 'result.read', code, { format: 'pdf' })
  const pdf = renderResultPdf({
    code: r.code, number: r.number, caseNo: r.caseNo, serviceCode: r.service.code, serviceName: r.service.name, serviceNameEn: r.service.nameEn,
    resultName: r.resultName, resultNameEn: r.resultNameEn, departmentName: r.department.name, departmentNameEn: r.department.nameEn,
    holderName: r.holder.name, holderIdNumberMasked: r.holder.idNumberMasked, holderKind: r.holder.kind, issuedDate: shanghaiDateOf(new Date(r.issuedAt)), validUntil: r.validUntil,
    status: r.status, superseded: r.supersededBy !== null, verifyUrl: verificationUrl(code, getRequestURL(event).origin),
  })
  setResponseHeaders(event, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="e-licence-${r.number}.pdf"` })
  return pdf
})
