/**
 * Electronic results (电子证照). An approved case whose item names a result gets one at once:
 * a record with its holder, number, validity and a verification code that the QR code carries.
 * Anyone may verify a code (masked holder only); the holder, the issuing department and managers
 * see the details; only a clerk of the issuing department may revoke. A case made for an
 * organisation yields the organisation's result: the person who applied manages it but does not hold it.
 * Issuing one on approval: result-issue.ts.
 */
import type { Connection } from '../../db/client'
import type { HolderKind, PublicVerification, ResultDetails, ResultStatus } from '../../shared/types/result'
import { maskIdNumber, maskName } from '../../shared/utils/mask'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { redactForLog } from '../utils/log-redaction'
import { writeAudit } from './audit'
import { samePerson, soleAccountOf } from './applicant-match'
import { caseSmsMobile, queueSms } from './notifications'
import { isOwnCase } from './recusal'

/** The caller as the results rules need it (a SessionUser fits). */
export interface ResultActor {
  id: number, role: string, departmentCode: string | null, idNumber?: string | null, name?: string | null, mobile?: string | null
  /**
   * Whom an application being filled in is for: null the person themselves, else the id of their
   * organisation. Unset (their own list of results): every result they hold or manage.
   */
  actingFor?: number | null
}

export type { PublicVerification, ResultDetails, ResultStatus }

/** A verification code: 16 characters of the alphabet newVerificationCode (result-issue.ts) draws from. Anything else names nothing (404 early). */
export const RESULT_CODE = /^[A-HJKMNP-Z2-9]{16}$/

interface ResultRow {
  code: string, caseNo: string, serviceCode: string, serviceName: string, serviceNameEn: string, resultName: string | null, resultNameEn: string | null
  departmentCode: string, departmentName: string, departmentNameEn: string
  /** the department that handles the item now (null for an item no longer in the catalogue) */
  handlingDepartmentCode: string | null
  holderId: number | null, holderKind: HolderKind, holderOrgId: number | null, holderName: string, holderIdNumber: string, holderMobile: string | null, number: string, issuedAt: string
  /** the case's applicant (for an organisation's licence, the person who applied for it): recusal */
  applicantIdNumber: string
  validUntil: string | null, revokedAt: string | null, revokeReason: string | null, supersededBy: string | null, uploadId: string | null
}

// The item's names, the result's name and the issuing department as issued (kept on the result),
// never the catalogue's now: an item moved to another department stays issued by the first.
const SELECT_RESULT = `SELECT r.code, r.case_no AS caseNo, r.service_code AS serviceCode, r.service_name AS serviceName, r.service_name_en AS serviceNameEn,
    nullif(r.result_name, '') AS resultName, nullif(r.result_name_en, '') AS resultNameEn, r.department_code AS departmentCode, d.name AS departmentName, d.name_en AS departmentNameEn,
    r.holder_id AS holderId, r.holder_kind AS holderKind, r.holder_org_id AS holderOrgId, r.holder_name AS holderName, r.holder_id_number AS holderIdNumber, c.applicant_mobile AS holderMobile, c.applicant_id_number AS applicantIdNumber,
    r.number, r.issued_at AS issuedAt, r.valid_until AS validUntil, r.revoked_at AS revokedAt, r.revoke_reason AS revokeReason, r.superseded_by AS supersededBy, r.upload_id AS uploadId,
    s.department_code AS handlingDepartmentCode
  FROM results r JOIN departments d ON d.code = r.department_code
    JOIN cases c ON c.case_no = r.case_no LEFT JOIN services s ON s.code = r.service_code`

function loadResult(conn: Connection, code: string): ResultRow | undefined {
  if (!RESULT_CODE.test(code)) return undefined
  return conn.sqlite.prepare(`${SELECT_RESULT} WHERE r.code = ?`).get(code) as ResultRow | undefined
}

/** Revoked wins over expired; a result is expired from the day after its last valid day. */
export function resultStatus(r: { revokedAt: string | null, validUntil: string | null }, today: string): ResultStatus {
  if (r.revokedAt) return 'revoked'
  if (r.validUntil && r.validUntil < today) return 'expired'
  return 'valid'
}

/**
 * The holder: the account that applied, or (a counter case without an account) the only open
 * account of the same person: ID number, name and mobile (samePerson), not the ID number alone,
 * and only once that account has verified the mobile (soleAccountOf). Asked at each look, so a
 * person who verifies later then holds the licences of their unlinked counter cases.
 */
export function isHolder(conn: Connection, r: { holderId: number | null, holderIdNumber: string, holderName: string, holderMobile: string | null }, user: ResultActor): boolean {
  if (user.role !== 'citizen') return false
  if (r.holderId !== null) return r.holderId === user.id
  const person = { idNumber: r.holderIdNumber, name: r.holderName, mobile: r.holderMobile }
  return samePerson(user, person) && soleAccountOf(conn, person) === user.id
}

/**
 * An organisation's result serves that organisation's applications only, never the person's own;
 * one with no organisation record (a counter case's, see holderOf) serves none.
 */
function fitsApplication(r: ResultRow, actingFor: number | null | undefined): boolean {
  if (actingFor === undefined || r.holderKind === 'person') return true
  return r.holderOrgId !== null && r.holderOrgId === actingFor
}

function maySee(conn: Connection, r: ResultRow, user: ResultActor): boolean {
  if (user.role === 'manager') return true
  if (user.role === 'clerk') return answersFor(conn, r, user)
  return isHolder(conn, r, user)
}

/**
 * A clerk answers for a result (reads it, revokes it) when their department issued it: the issuing
 * organ is the one that may revoke a licence (行政许可法 art. 69), also after its item moved to
 * another department. Once the issuing department has no clerk left (merged or dissolved in a
 * reorganisation, 机构改革), the department that handles the item now takes over the licences
 * already issued, which would otherwise be left with nobody who may revoke them.
 */
function answersFor(conn: Connection, r: ResultRow, user: ResultActor): boolean {
  if (!user.departmentCode) return false
  if (user.departmentCode === r.departmentCode) return true
  return user.departmentCode === r.handlingDepartmentCode && !hasOpenClerk(conn, r.departmentCode)
}

const hasOpenClerk = (conn: Connection, departmentCode: string) => conn.sqlite.prepare(`SELECT 1 FROM users
  WHERE role = 'clerk' AND department_code = ? AND closed_at IS NULL AND disabled_at IS NULL LIMIT 1`).get(departmentCode) !== undefined

/** The last day /api/verify gives a long-term licence: a date, as its clients read the field. */
export const LONG_TERM_UNTIL = '9999-12-31'

/** A holder's number as the licence's pages and PDF show it: a person's ID number masked, an organisation's USCC whole. */
export function holderNumberShown(kind: HolderKind, number: string): string {
  return kind === 'organization' ? number : maskIdNumber(number)
}

/** What anyone may learn from a code (contract: GET /api/verify/:code); null for an unknown code. */
export function verifyResult(conn: Connection, code: string, now = new Date()): PublicVerification | null {
  const r = loadResult(conn, code)
  if (!r) return null
  // An organisation's name is shown whole: it is not personal information (PIPL protects natural
  // persons), the enterprise credit publicity system (企业信息公示暂行条例) publishes it with the
  // USCC anyway, and a verifier must match it to the company before them, which 深圳****公司 cannot do.
  const holderMasked = r.holderKind === 'organization' ? r.holderName : maskName(r.holderName)
  return {
    code: r.code, status: resultStatus(r, shanghaiDateOf(now)), serviceName: r.serviceName, serviceNameEn: r.serviceNameEn,
    resultName: r.resultName, resultNameEn: r.resultNameEn, departmentName: r.departmentName, departmentNameEn: r.departmentNameEn, holderMasked, holderKind: r.holderKind,
    // an organisation's USCC as well, public as its name: how a verifier tells two companies of one name apart
    holderUscc: r.holderKind === 'organization' ? r.holderIdNumber : null,
    // a long-term licence (长期有效) has no last day; the contract's clients read validUntil as a date,
    // so it is the far date e-licence data gives 长期, and longTerm says so
    issuedAt: r.issuedAt, validUntil: r.validUntil ?? LONG_TERM_UNTIL, longTerm: r.validUntil === null, revokedAt: r.revokedAt,
    // as printed on the PDF: with the title, what ties the paper before the verifier to this record
    // (a masked 王* matches any 王). Printed beside the code, so it tells a holder of the paper nothing new.
    number: r.number,
    // that it was revoked because a newer licence replaced it; not which one (the code of the
    // holder's current licence is not for whoever holds the old paper)
    superseded: r.supersededBy !== null,
  }
}

function detailsOf(conn: Connection, r: ResultRow, user: ResultActor, today: string): ResultDetails {
  const status = resultStatus(r, today)
  return {
    code: r.code, number: r.number, caseNo: r.caseNo, status,
    service: { code: r.serviceCode, name: r.serviceName, nameEn: r.serviceNameEn }, resultName: r.resultName, resultNameEn: r.resultNameEn,
    department: { code: r.departmentCode, name: r.departmentName, nameEn: r.departmentNameEn },
    // a person's ID number masked (6 + 4); an organisation's USCC whole, public in the enterprise
    // credit system as its name is, and what a recipient matches the company by
    holder: { kind: r.holderKind, name: r.holderName, idNumberMasked: holderNumberShown(r.holderKind, r.holderIdNumber) },
    issuedAt: r.issuedAt, validUntil: r.validUntil, revokedAt: r.revokedAt, revokeReason: r.revokeReason, supersededBy: r.supersededBy,
    canRevoke: status !== 'revoked' && user.role === 'clerk' && answersFor(conn, r, user) && !isOwnCase(conn, user, r.applicantIdNumber),
  }
}

/** The whole record for its holder, the issuing department (answersFor) and managers; null otherwise (a 404). */
export function findResultFor(conn: Connection, code: string, user: ResultActor, now = new Date()): ResultDetails | null {
  const r = loadResult(conn, code)
  if (!r || !maySee(conn, r, user)) return null
  return detailsOf(conn, r, user, shanghaiDateOf(now))
}

/** The holder's own results and their organisations' (narrowed by `user.actingFor`), newest first. */
export function listMyResults(conn: Connection, user: ResultActor, now = new Date()): ResultDetails[] {
  const rows = conn.sqlite.prepare(`${SELECT_RESULT}
    WHERE r.code IN (SELECT code FROM results WHERE holder_id = ?
      UNION ALL SELECT code FROM results INDEXED BY results_unlinked_holder_idx WHERE holder_id IS NULL AND holder_id_number IN (?, ?))
    ORDER BY r.issued_at DESC, r.code`)
    // Each through its own index: the account's licences, and the licences of counter cases with no
    // account linked, by the ID number (stored upper-cased; the lower-case x asked for too). As one
    // OR, or with upper() on the column, the planner read every unlinked licence, or every licence.
    .all(user.id, (user.idNumber ?? '').toUpperCase(), (user.idNumber ?? '').toLowerCase()) as ResultRow[]
  const today = shanghaiDateOf(now)
  return rows.filter(r => isHolder(conn, r, user) && fitsApplication(r, user.actingFor)).map(r => detailsOf(conn, r, user, today))
}

/** A result the caller holds (for the shared-materials library), with its stored PDF copy if any. */
export function findHeldResult(conn: Connection, code: string, user: ResultActor): ResultRow | null {
  const r = loadResult(conn, code)
  return r && isHolder(conn, r, user) && fitsApplication(r, user.actingFor) ? r : null
}

/** Refusals of this area's services (404 not theirs, 409 not now); handlers map them with `refusalOf`. */
export class ResultError extends Error {
  constructor(readonly statusCode: 404 | 409, message: string) {
    super(message)
    this.name = 'ResultError'
  }
}

export class ResultConflict extends ResultError {
  constructor(message: string) {
    super(409, message)
  }
}

/** The HTTP status and message of a refusal, or null for any other error (which stays a 500). */
export function refusalOf(e: unknown): { statusCode: number, message: string } | null {
  return e instanceof ResultError ? { statusCode: e.statusCode, message: e.message } : null
}

/**
 * Revokes a result: a clerk who answers for it (answersFor: the issuing department, or its successor
 * for the item once it has no clerk), else null (not theirs to see, a 404).
 * Throws ResultConflict when it is already revoked. Call inside a write transaction.
 */
export function revokeResult(conn: Connection, code: string, user: ResultActor, reason: string, ip: string | null, now = new Date()): ResultDetails | null {
  const r = loadResult(conn, code)
  if (!r || !maySee(conn, r, user)) return null
  if (user.role !== 'clerk') return null
  if (r.revokedAt) throw new ResultConflict('This result has already been revoked')
  // 回避: not a licence the clerk applied for; a colleague of the department revokes it
  if (isOwnCase(conn, user, r.applicantIdNumber)) throw new ResultConflict('Recusal (回避): you applied for this result, which another clerk of the department revokes')
  const at = now.toISOString()
  conn.sqlite.prepare('UPDATE results SET revoked_at = ?, revoke_reason = ?, revoked_by = ? WHERE code = ? AND revoked_at IS NULL')
    .run(at, reason, user.id, code)
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'result.revoke', subject: code, detail: { caseNo: r.caseNo, reason: redactForLog(reason, Infinity) }, ip })
  const params = JSON.stringify({ caseNo: r.caseNo, code, reason })
  if (r.holderId) {
    conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)')
      .run(r.holderId, r.caseNo, at, 'resultRevoked', params)
  }
  // and an SMS to the mobile the application gave, as for every step of the case: a holder who
  // applied at the counter has no account to read the message in
  const mobile = caseSmsMobile(conn, r.caseNo)
  if (mobile) {
    queueSms(conn, `result:${code}:revoke:sms`, mobile, 'result.revoked', params, at)
  }
  return detailsOf(conn, { ...r, revokedAt: at, revokeReason: reason }, user, shanghaiDateOf(now))
}

/**
 * The page that confirms a result: under PORTAL_BASE_URL when set. Without it, `requestOrigin`
 * (from the request's Host header, which the client writes) may serve what is shown to the caller
 * there and then; anything stored (the PDF copy an application carries to a clerk) passes none and
 * gets the path alone, so a forged Host cannot put another site's address into a record.
 */
export function verificationUrl(code: string, requestOrigin?: string): string {
  const base = (process.env.PORTAL_BASE_URL || requestOrigin || '').replace(/\/+$/, '')
  return `${base}/verify/${code}`
}
