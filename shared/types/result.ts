/**
 * An electronic result (电子证照) as the API shows it: declared once for the server that builds it
 * (server/services/results.ts) and the pages that read it (composables/useResult.ts).
 */
export type ResultStatus = 'valid' | 'revoked' | 'expired'

/**
 * Who holds it: the applicant, or the organisation a case was made for (then its name, and its
 * unified social credit code where a person's result has the ID number).
 */
export type HolderKind = 'person' | 'organization'

/** What `GET /api/verify/:code` tells anyone: nothing personal beyond a masked holder name. */
export interface PublicVerification {
  code: string
  status: ResultStatus
  serviceName: string
  serviceNameEn: string
  resultName: string | null
  /** the licence's English title where the item gives one, for English pages (added) */
  resultNameEn: string | null
  departmentName: string
  /** the department's English name, for English pages (added; departmentName is unchanged) */
  departmentNameEn: string
  /** a person's name masked (张**); an organisation's name whole (public in the enterprise credit system) */
  holderMasked: string
  holderKind: HolderKind
  /** an organisation's USCC (public, as its name), null for a person (added) */
  holderUscc: string | null
  /** 长期有效: validUntil is then 9999-12-31 (added) */
  longTerm: boolean
  issuedAt: string
  validUntil: string | null
  revokedAt: string | null
  /** the licence number (证照编号) as printed on the PDF, to compare with the paper (added) */
  number: string
  /**
   * true when it was revoked because a newer licence replaced it (补领, 换领: status stays
   * 'revoked', as the contract has it); which one is not said (added)
   */
  superseded: boolean
}

/** What the holder, the issuing department and managers see. */
export interface ResultDetails {
  code: string
  number: string
  caseNo: string
  status: ResultStatus
  service: { code: string, name: string, nameEn: string }
  resultName: string | null
  resultNameEn: string | null
  department: { code: string, name: string, nameEn: string }
  /** `idNumberMasked`: an organisation's USCC, masked the same way (both are 18 characters) */
  holder: { kind: HolderKind, name: string, idNumberMasked: string }
  issuedAt: string
  validUntil: string | null
  revokedAt: string | null
  revokeReason: string | null
  /** the verification code of the licence that replaced this one (then also revoked), else null */
  supersededBy: string | null
  /** whether the caller may revoke it now */
  canRevoke: boolean
}
