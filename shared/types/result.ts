/**
 * An electronic result (电子证照) as the API shows it: declared once for the server that builds it
 * (server/services/results.ts) and the pages that read it (composables/useResult.ts).
 */
export type ResultStatus = 'valid' | 'revoked' | 'expired'

/** What `GET /api/verify/:code` tells anyone: nothing personal beyond a masked holder name. */
export interface PublicVerification {
  code: string
  status: ResultStatus
  serviceName: string
  serviceNameEn: string
  resultName: string | null
  departmentName: string
  /** the department's English name, for English pages (added; departmentName is unchanged) */
  departmentNameEn: string
  holderMasked: string
  issuedAt: string
  validUntil: string | null
  revokedAt: string | null
}

/** What the holder, the issuing department and managers see. */
export interface ResultDetails {
  code: string
  number: string
  caseNo: string
  status: ResultStatus
  service: { code: string, name: string, nameEn: string }
  resultName: string | null
  department: { code: string, name: string, nameEn: string }
  holder: { name: string, idNumberMasked: string }
  issuedAt: string
  validUntil: string | null
  revokedAt: string | null
  revokeReason: string | null
  /** whether the caller may revoke it now */
  canRevoke: boolean
}
