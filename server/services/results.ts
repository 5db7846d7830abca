/**
 * Electronic results (电子证照). An approved case whose item names a result gets one at once:
 * a record with its holder, number, validity and a verification code that the QR code carries.
 * Anyone may verify a code (masked holder only); the holder, the issuing department and managers
 * see the details; only a clerk of the issuing department may revoke. A case made for an
 * organisation yields the organisation's result: the person who applied manages it but does not hold it.
 */
import { randomBytes } from 'node:crypto'
import type { Connection } from '../../db/client'
import type { ResultValidity } from '../../shared/types/catalogue'
import type { HolderKind, PublicVerification, ResultDetails, ResultStatus } from '../../shared/types/result'
import { maskIdNumber, maskName } from '../../shared/utils/mask'
import { intakeDefinition } from '../../shared/utils/form-schema'
import { normalizeUscc, usccProblem } from '../../shared/utils/uscc'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { resultValiditySchema } from '../../shared/utils/guide-schema'
import { validUntilOf } from '../../shared/utils/result-validity'
import { redactForLog } from '../utils/log-redaction'
import { writeAudit } from './audit'
import { samePerson, soleAccountOf } from './applicant-match'
import { caseAudience } from './case-guide'
import { caseSmsMobile, queueSms } from './notifications'
import { isOwnCase } from './recusal'
import { formVersionDefinition } from './stored-forms'

export interface ApprovedCase {
  caseNo: string, serviceCode: string, applicantId: number | null, applicantName: string, applicantIdNumber: string, organizationId?: number | null
  /** the case's answers (JSON) and form version: an organisation received at the counter is named there */
  answers?: string, formVersionId?: number | null
  /** where the case was received: online, the holder is only who the account says it is */
  channel?: string
}

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

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
/** A verification code: 16 characters of ALPHABET. Anything else names nothing (404 early). */
export const RESULT_CODE = /^[A-HJKMNP-Z2-9]{16}$/

/** Unguessable, unambiguous (no 0/O, 1/I/L), readable aloud: 16 characters from 31 (≈ 79 bits). */
export function newVerificationCode(): string {
  let code = ''
  // 248 = 8 × 31: bytes above it are dropped so that every character is equally likely
  while (code.length < 16) {
    for (const b of randomBytes(24)) {
      if (b < 248 && code.length < 16) code += ALPHABET[b % ALPHABET.length]
    }
  }
  return code
}

/**
 * Call inside the approval's transaction; returns the verification code, or null when the item has
 * no result. `by`: the approving clerk, named in the issue's audit row as in the approval's.
 * Valid until the day the item's guide gives (`resultValidity`, validUntilOf), null for long-term.
 */
export function issueResultOnApproval(conn: Connection, c: ApprovedCase, now = new Date(), by: { id: number, role: string, ip?: string | null } | null = null): string | null {
  const service = conn.sqlite.prepare(`SELECT result_name AS resultName, result_name_en AS resultNameEn, name, name_en AS nameEn,
      json_extract(details, '$.resultReplacesEarlier') IS 1 AS replacesEarlier, details -> '$.resultValidity' AS validity FROM services WHERE code = ?`)
    .get(c.serviceCode) as { resultName: string | null, resultNameEn: string | null, name: string, nameEn: string, replacesEarlier: 0 | 1, validity: string | null } | undefined
  if (!service?.resultName) return null
  // one result per case: a repeated approval (retry) returns the one already issued
  const existing = conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(c.caseNo) as { code: string } | undefined
  if (existing) return existing.code
  const code = newVerificationCode()
  const h = holderOf(conn, c)
  // the item's guide as it is now (approval is when the licence is made), kept on the licence
  const validUntil = validUntilOf(storedValidity(service.validity), shanghaiDateOf(now), h)
  // Kept as issued: the department whose clerk approved the case (the case's, fixed when it was
  // received) and the names of the item and the result now. Moving the item to another department
  // or renaming it later changes neither who issued this licence nor what it is called.
  const { departmentCode } = conn.sqlite.prepare('SELECT department_code AS departmentCode FROM cases WHERE case_no = ?').get(c.caseNo) as { departmentCode: string }
  conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, department_code, result_name, result_name_en, service_name, service_name_en,
      holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at, valid_until)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(code, c.caseNo, c.serviceCode, departmentCode, service.resultName, service.resultNameEn ?? '', service.name, service.nameEn,
    c.applicantId, h.kind, h.orgId, h.name, h.idNumber, `${c.serviceCode}-${c.caseNo.slice(2)}`, now.toISOString(), validUntil)
  writeAudit(conn, { actorId: by?.id, actorRole: by?.role, action: 'result.issue', subject: code, detail: { caseNo: c.caseNo, serviceCode: c.serviceCode }, ip: by?.ip })
  if (service.replacesEarlier) supersedeEarlier(conn, { code, caseNo: c.caseNo, resultName: service.resultName, holder: h, within: supersedable(conn, c, h) }, now, by)
  return code
}

/**
 * The guide's `resultValidity` as stored (JSON text, null when not stated). Every write checked it
 * (guide-schema), but a details column edited by hand is read as not stated, the default, rather
 * than failing the approval it is part of.
 */
function storedValidity(json: string | null): ResultValidity | undefined {
  if (json === null) return undefined
  const parsed = resultValiditySchema.safeParse(JSON.parse(json))
  return parsed.success ? parsed.data : undefined
}

/** Why a replaced licence was revoked, as its record keeps it (pages say it in their language from `supersededBy`). */
export const SUPERSEDED_REASON = '已补领、换领或重新申领新证，本证同时作废。'

/**
 * A licence held once at a time (the item's guide says `resultReplacesEarlier`): the new one
 * revokes the holder's earlier licences of the same title that are still valid, so that a lost
 * 身份证 found again, or the driving licence before its renewal, no longer verifies as valid. The
 * same holder is the same ID number (a person) or USCC (an organisation); an expired or revoked
 * one stays as it is. Recorded as a
 * revocation (the contract's statuses stay valid, revoked and expired) with `superseded_by`, audited
 * as the approving clerk's, and told to the holder's account in the same transaction as the issue.
 * Only within what the new case proves of its holder (`within`, supersedable).
 */
function supersedeEarlier(conn: Connection, fresh: { code: string, caseNo: string, resultName: string, holder: { kind: HolderKind, idNumber: string }, within: Supersedable }, now: Date, by: { id: number, role: string, ip?: string | null } | null): void {
  const found = conn.sqlite.prepare(`SELECT code, case_no AS caseNo, holder_id AS holderId FROM results
    WHERE holder_id_number IN (?, ?) AND result_name = ? AND revoked_at IS NULL AND holder_kind = ? AND code <> ? AND (valid_until IS NULL OR valid_until >= ?)`)
    // both cases of a final x, as listMyResults asks: the number as typed at an older counter intake
    .all(fresh.holder.idNumber.toUpperCase(), fresh.holder.idNumber.toLowerCase(), fresh.resultName, fresh.holder.kind, fresh.code, shanghaiDateOf(now)) as { code: string, caseNo: string, holderId: number | null }[]
  const { within } = fresh
  const earlier = within === 'all' ? found : found.filter(r => (r.holderId !== null && r.holderId === within.accountId) || (r.holderId === null && within.counterOnes))
  const at = now.toISOString()
  const revoke = conn.sqlite.prepare('UPDATE results SET revoked_at = ?, revoke_reason = ?, revoked_by = ?, superseded_by = ? WHERE code = ? AND revoked_at IS NULL')
  const tell = conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)')
  for (const old of earlier) {
    revoke.run(at, SUPERSEDED_REASON, by?.id ?? null, fresh.code, old.code)
    writeAudit(conn, { actorId: by?.id, actorRole: by?.role, action: 'result.supersede', subject: old.code, detail: { caseNo: old.caseNo, supersededBy: fresh.code, byCase: fresh.caseNo }, ip: by?.ip })
    // as a revocation, in the words the messages page has for one; `supersededBy` for a page that
    // links to the new licence. No SMS: the holder has just been told of the new one's approval.
    if (old.holderId) tell.run(old.holderId, old.caseNo, at, 'resultRevoked', JSON.stringify({ caseNo: old.caseNo, code: old.code, reason: SUPERSEDED_REASON, supersededBy: fresh.code }))
  }
}

/**
 * Which of the holder's earlier licences a new one may replace: all of them when the case was
 * received at the counter, where the clerk saw the person's ID card, or the company's papers and
 * its representative's authority; online, only those issued to the same account, and a person's
 * from counter cases too once the account is the proven holder of that ID number (its mobile
 * verified: of several accounts giving one ID number only the first to verify keeps it). An
 * online account proves nothing of a company it adds by its USCC, nor of an ID number typed
 * without a verified mobile: its approved case must not revoke the real holder's licence.
 */
type Supersedable = 'all' | { accountId: number | null, counterOnes: boolean }

function supersedable(conn: Connection, c: ApprovedCase, holder: { kind: HolderKind, idNumber: string }): Supersedable {
  if (c.channel !== 'online') return 'all'
  if (holder.kind !== 'person' || c.applicantId === null) return { accountId: c.applicantId, counterOnes: false }
  const account = conn.sqlite.prepare('SELECT id_number AS idNumber, mobile_verified_at AS verifiedAt FROM users WHERE id = ?')
    .get(c.applicantId) as { idNumber: string | null, verifiedAt: string | null } | undefined
  const proven = !!account?.verifiedAt && account.idNumber?.toUpperCase() === holder.idNumber.toUpperCase()
  return { accountId: c.applicantId, counterOnes: proven }
}

/**
 * Who the result is issued to: the organisation the case was made for (its name and USCC as on its
 * record now, kept on the licence), else the applicant. A counter case names its organisation in
 * the answers only: when the case is linked to an account that keeps that organisation (same
 * USCC), the licence is that record's; otherwise it has no organisation record and serves no
 * application (fitsApplication), never the person's own.
 */
function holderOf(conn: Connection, c: ApprovedCase): { kind: HolderKind, orgId: number | null, name: string, idNumber: string } {
  if (c.organizationId == null) {
    const named = organisationInAnswers(conn, c)
    if (named) {
      const linked = c.applicantId == null
        ? undefined
        : conn.sqlite.prepare('SELECT id FROM organizations WHERE user_id = ? AND uscc = ?').get(c.applicantId, named.uscc) as { id: number } | undefined
      return { kind: 'organization', orgId: linked?.id ?? null, name: named.name, idNumber: named.uscc }
    }
    return { kind: 'person', orgId: null, name: c.applicantName, idNumber: c.applicantIdNumber }
  }
  const org = conn.sqlite.prepare('SELECT name, uscc FROM organizations WHERE id = ?').get(c.organizationId) as { name: string, uscc: string }
  return { kind: 'organization', orgId: c.organizationId, name: org.name, idNumber: org.uscc }
}

/**
 * An item for organisations taken in at the counter has no account's organisation behind it: the
 * organisation is the one its answers name, in the fields the form fills from a profile's
 * organisation name and code (a valid USCC), or, for a form that asks neither (an item without a
 * form too), in those the counter adds to it (intakeDefinition); the person at the counter is its
 * representative. Counter intake requires them for an item for organisations, so such a case
 * always names one. A case taken in with the added fields is the organisation's even if the item
 * is for people as well by the time it is approved; so is one taken in while the item was for
 * organisations only (the audience of the guide version it was received under, caseAudience).
 */
export function organisationInAnswers(conn: Connection, c: Pick<ApprovedCase, 'caseNo' | 'answers' | 'formVersionId'>): { name: string, uscc: string } | null {
  if (!c.answers) return null
  const form = (c.formVersionId == null ? null : formVersionDefinition(conn, c.formVersionId)) ?? { version: 1 as const, fields: [] }
  const answers = JSON.parse(c.answers) as Record<string, unknown>
  const fields = intakeDefinition(form, 'counter', 'organization').fields
  const own = new Set(form.fields.map(f => f.key))
  const takenForOrganisation = fields.some(f => !own.has(f.key) && Object.hasOwn(answers, f.key))
  if (caseAudience(conn, c.caseNo) !== 'organization' && !takenForOrganisation) return null
  const answer = (source: 'orgName' | 'orgCode') => {
    const key = fields.find(f => f.prefill === source)?.key
    const v = key && Object.hasOwn(answers, key) ? answers[key] : undefined
    return typeof v === 'string' && v.trim() ? v.trim() : null
  }
  const name = answer('orgName')
  const uscc = answer('orgCode')
  return name && uscc && usccProblem(uscc) === null ? { name, uscc: normalizeUscc(uscc) } : null
}

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
