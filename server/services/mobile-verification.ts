/**
 * 手机号核验: a signed-in citizen proves that the mobile on record is theirs with a 6-digit code sent
 * to it by SMS. Registration takes whatever mobile is typed, and name, ID number and mobile often
 * leak together: counter cases, their scans and licences go only to a verified account
 * (applicant-match.ts), so someone registering with another's details gets none of theirs.
 *
 * The codes are kept as the password reset's are (sms-codes.ts: an HMAC under a per-row salt, 10
 * minutes, 5 wrong tries, 3 an hour, and at most 5 an hour and 10 a day to one number), in
 * mobile_codes. Unlike the reset, the caller is signed in and asks about their own account, so the
 * answers may say what happened (sent, already verified, no mobile, the caps). A successful
 * password reset also verifies (markMobileVerified).
 * The mobile on record never changes after registration; closing erases it with the codes.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { writeAudit } from './audit'
import { CODE_MINUTES, codeCap, codeMatches, countWrongCode, forgetCodes, forgetOldCodes, isExpired, issueCode, liveCode, liveCodeExpiry, queueCodeSms, useCode } from './sms-codes'

interface Actor { id: number, role: string }

export type MobileCodeRequest
  = | { ok: true, minutes: number }
    | { ok: false, reason: 'alreadyVerified' | 'noMobile' | 'idNumberVerified' }
    | { ok: false, reason: 'hourlyLimit', retryAt: string }

export type MobileCodeConfirm
  = | { ok: true, verifiedAt: string }
    | { ok: false, reason: 'alreadyVerified' | 'noMobile' | 'idNumberVerified' | 'invalid' }

/** What a 409 says for each refusal (data.reason carries the key for the page). */
export const MOBILE_REFUSALS = {
  alreadyVerified: 'The mobile is already verified',
  noMobile: 'The account has no mobile to verify',
  idNumberVerified: 'Another account with this ID number has verified its mobile',
} as const

interface MobileState { mobile: string | null, verifiedAt: string | null, verifiedElsewhere: number }

/** The account's mobile and when it was verified; read inside the write transaction that depends on it. */
function stateOf(conn: Connection, userId: number): MobileState {
  // verifiedElsewhere: another open account with this ID number has verified its mobile first
  const row = conn.sqlite.prepare(`SELECT u.mobile, u.mobile_verified_at AS verifiedAt, EXISTS (SELECT 1 FROM users o WHERE o.id_number = u.id_number
      AND o.id <> u.id AND o.closed_at IS NULL AND o.mobile_verified_at IS NOT NULL) AS verifiedElsewhere
    FROM users u WHERE u.id = ? AND u.closed_at IS NULL`).get(userId) as MobileState | undefined
  return row ?? { mobile: null, verifiedAt: null, verifiedElsewhere: 0 }
}

/** Whether the account's mobile is verified (GET /api/auth/me, the profile). */
export function isMobileVerified(conn: Connection, userId: number): boolean {
  return stateOf(conn, userId).verifiedAt !== null
}

/** A code sent and still good: until when it works, and when another may be asked (null: now). */
export interface MobileCodePending { expiresAt: string, nextCodeAt: string | null }

/**
 * Why no code is needed or possible: already verified, nothing to verify (staff, a closed account),
 * or the ID number's holder is another account that verified first: one verified account per ID
 * number, so the person it is (the one with the mobile) keeps the counter's cases.
 */
const refusal = (s: MobileState) => (s.verifiedAt
  ? 'alreadyVerified' as const
  : !s.mobile ? 'noMobile' as const : s.verifiedElsewhere ? 'idNumberVerified' as const : null)

/**
 * Sends a code to the mobile on record, in one write transaction: unless the mobile is already
 * verified or missing, or a cap holds (3 codes for the account in the last hour, 5 to its number in
 * the last hour or 10 in the last day among the codes of owners who have not proved the number
 * theirs: sms-codes.ts), earlier live codes are voided, a new one is stored (its
 * HMAC only) and an SMS with it is queued. Audited without the code or the mobile.
 *
 * Either cap answers `hourlyLimit` with the time to try again: which one holds is only audited.
 * The number's codes may have been asked by the password reset, which must never tell whether the
 * number has an account; this answer does not either.
 */
export function requestMobileCode(conn: Connection, actor: Actor, ip: string | null, now = new Date()): MobileCodeRequest {
  return writeTransaction(conn, (): MobileCodeRequest => {
    const audit = (action: string, detail?: Record<string, unknown>) =>
      writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action, subject: `user:${actor.id}`, detail: detail ?? null, ip })
    const refused = refusal(stateOf(conn, actor.id))
    if (refused) {
      audit('account.mobile.refused', { reason: refused })
      return { ok: false, reason: refused }
    }
    const cap = codeCap(conn, 'mobile_codes', actor.id, now)
    if (cap) {
      audit('account.mobile.refused', { reason: cap.reason })
      return { ok: false, reason: 'hourlyLimit', retryAt: cap.retryAt }
    }
    const at = now.toISOString()
    const { code, rowId } = issueCode(conn, 'mobile_codes', actor.id, now)
    queueCodeSms(conn, 'mobile_codes', actor.id, `account:${actor.id}:mobile:${rowId}:sms`, 'account.mobileVerify', { code, minutes: CODE_MINUTES }, at)
    audit('account.mobile.request')
    return { ok: true, minutes: CODE_MINUTES }
  })
}

/**
 * The code that can still verify the account's mobile, if any: one sent, not used, voided (by a
 * newer one or the fifth wrong try) or expired, while the mobile still needs verifying. The mobile
 * on record never changes, so a live code is always one sent to it. A phone's browser often
 * reloads the page on return from the SMS app: with this the page shows the code's box again
 * instead of only "send a code", whose use would void the code just received. With when another
 * code may be asked (the caps of requestMobileCode; the hour's third code, say), never the code.
 */
export function pendingMobileCode(conn: Connection, userId: number, now = new Date()): MobileCodePending | null {
  if (refusal(stateOf(conn, userId))) return null
  const expiresAt = liveCodeExpiry(conn, 'mobile_codes', userId, now)
  if (!expiresAt) return null
  return { expiresAt, nextCodeAt: codeCap(conn, 'mobile_codes', userId, now)?.retryAt ?? null }
}

/**
 * Records that the account's mobile is verified, unless it already was; audited as
 * `account.mobile.verified` with how (`code`, `passwordReset`). Inside a write transaction.
 */
export function markMobileVerified(conn: Connection, actor: Actor, via: 'code' | 'passwordReset', ip: string | null, at: string): void {
  const { changes } = conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = ? WHERE id = ? AND mobile_verified_at IS NULL AND mobile IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM users o WHERE o.id_number = users.id_number AND o.id <> users.id AND o.closed_at IS NULL AND o.mobile_verified_at IS NOT NULL)`).run(at, actor.id)
  if (changes) writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.mobile.verified', subject: `user:${actor.id}`, detail: { via }, ip })
}

/**
 * Checks a code against the account's newest live one, in one write transaction. A wrong code
 * counts a try (the fifth voids it); no code, an expired or voided one are the same refusal. On
 * success the code is used and the mobile verified from now on.
 */
export function confirmMobileCode(conn: Connection, actor: Actor, code: string, ip: string | null, now = new Date()): MobileCodeConfirm {
  return writeTransaction(conn, (): MobileCodeConfirm => {
    const failed = (reason: string): MobileCodeConfirm => {
      writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.mobile.failed', subject: `user:${actor.id}`, detail: { reason }, ip })
      return { ok: false, reason: 'invalid' }
    }
    const refused = refusal(stateOf(conn, actor.id))
    if (refused) return { ok: false, reason: refused }
    const row = liveCode(conn, 'mobile_codes', actor.id)
    if (!row) return failed('noCode')
    if (isExpired(row, now)) return failed('expired')
    const at = now.toISOString()
    if (!codeMatches(code, row)) {
      countWrongCode(conn, 'mobile_codes', row.id, at)
      return failed('wrongCode')
    }
    useCode(conn, 'mobile_codes', row.id, at)
    markMobileVerified(conn, actor, 'code', ip, at)
    return { ok: true, verifiedAt: at }
  })
}

/** Deletes an account's verification codes; inside the write transaction that closes it. */
export const forgetMobileCodes = (conn: Connection, userId: number): number => forgetCodes(conn, 'mobile_codes', userId)

/** Deletes verification codes made more than a day ago (CODE_ROW_HOURS); returns how many went. */
export const forgetOldMobileCodes = (conn: Connection, now = new Date()): number => forgetOldCodes(conn, 'mobile_codes', now)
