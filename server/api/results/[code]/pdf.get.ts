import { z } from 'zod'
import { renderResultPdf } from '../../../services/result-pdf'
import { findResultFor, RESULT_CODE, verificationUrl } from '../../../services/results'

const Params = z.object({ code: z.string().regex(RESULT_CODE) })

/** The e-licence as a one-page PDF with its verification QR code. */
export default defineApiHandler(['citizen', 'clerk', 'manager'], (event, user) => {
  const { code } = parseParams(event, Params)
  const r = findResultFor(useConnection(), code, user)
  if (!r) throw notFound()
  const pdf = renderResultPdf({
    code: r.code, number: r.number, caseNo: r.caseNo, serviceCode: r.service.code, serviceNameEn: r.service.nameEn,
    holderIdNumberMasked: r.holder.idNumberMasked, holderKind: r.holder.kind, issuedDate: shanghaiDateOf(new Date(r.issuedAt)), validUntil: r.validUntil,
    status: r.status, verifyUrl: verificationUrl(code, getRequestURL(event).origin),
  })
  setResponseHeaders(event, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="e-licence-${r.number}.pdf"` })
  return pdf
})
