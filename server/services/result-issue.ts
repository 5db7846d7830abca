/**
 * Issuing an electronic result (电子证照) when a case is approved: its verification code, its
 * holder (the organisation a case was made for, else the applicant), its validity, and the
 * earlier licences of the same title it replaces. Reading, verifying and revoking: results.ts.
 */
import { randomBytes } from 'node:crypto'
import type { Connection } from '../../db/client'
import type { ResultValidity } from '../../shared/types/catalogue'
import type { HolderKind } from '../../shared/types/result'
import { intakeDefinition } from '../../shared/utils/form-schema'
import { normalizeUscc, usccProblem } from '../../shared/utils/uscc'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { resultValiditySchema } from '../../shared/utils/guide-schema'
import { validUntilOf } from '../../shared/utils/result-validity'
import { writeAudit } from './audit'
import { caseAudience } from './case-guide'
import { formVersionDefinition } from './stored-forms'

export interface ApprovedCase {
  caseNo: string, serviceCode: string, applicantId: number | null, applicantName: string, applicantIdNumber: string, organizationId?: number | null
  /** the case's answers (JSON) and form version: an organisation received at the counter is named there */
  answers?: string, formVersionId?: number | null
  /** where the case was received: online, the holder is only who the account says it is */
  channel?: string
}

/** The verification code's characters (results.ts, RESULT_CODE, is their pattern). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

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
