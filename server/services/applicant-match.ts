/**
 * Whether a portal account is the person a counter case names. Registration does not check an
 * ID number against the public-security registry (real-name verification, 实名认证, is a service
 * outside this build), so an ID number alone, which anyone can type when registering, proves
 * nothing: the name and the mobile number the clerk took from the person at the counter must be
 * the account's too before the account sees that person's cases and results. Those three leak
 * together, and registration takes any mobile typed, so the account must also have proved the
 * mobile is its own by a code sent to it (users.mobile_verified_at, mobile-verification.ts).
 */
import type { Connection } from '../../db/client'
import { normalMobile } from '../../shared/utils/contact'
import { normalizeIdNumber } from '../../shared/utils/id-number'

export interface PersonOnRecord { idNumber?: string | null, name?: string | null, mobile?: string | null }

export function samePerson(account: PersonOnRecord, applicant: PersonOnRecord): boolean {
  if (!account.idNumber || !account.name || !account.mobile) return false
  return account.idNumber.toUpperCase() === applicant.idNumber?.toUpperCase()
    && account.name.trim() === applicant.name?.trim()
    && account.mobile === applicant.mobile
}

/**
 * The one open citizen account that is this person (samePerson), provided its mobile is verified;
 * null when there is none, more than one, or the one has not verified its mobile: with two, nothing
 * tells the person from someone who registered with their details, so neither gets their counter
 * case (counter.ts) nor its licence (results.ts); unverified, the account may be that someone.
 * Read whenever asked (intake, each look at a licence), so an account verified later sees the
 * licences of counter cases left unlinked (a case stays unlinked: intake linked it to nobody).
 * Only verified matches count: registration lets a second account have an ID number an unverified
 * one holds (that one may be a squatter), and only one of them can verify (mobile-verification.ts),
 * so two verified only exist from before that rule, and then neither is linked.
 * Every account with the ID number is looked at (a LIMIT would let accounts registered first
 * with a typed-in ID number hide a second one that is also the person, and link a twin), found
 * through users_id_number_idx: upper(id_number) would scan every account inside the write lock
 * (110 ms at 500,000 accounts). Registration stores ID numbers upper-cased (idNumberSchema); the
 * lower-case x is asked for too, for any account stored before that.
 */
export function soleAccountOf(conn: Connection, person: PersonOnRecord & { idNumber: string }): number | null {
  const idNumber = person.idNumber.toUpperCase()
  const candidates = conn.sqlite.prepare(`SELECT id, id_number AS idNumber, name, mobile, mobile_verified_at AS mobileVerifiedAt FROM users
    WHERE id_number IN (?, ?) AND role = 'citizen' AND closed_at IS NULL AND mobile = ?`)
    .all(idNumber, idNumber.toLowerCase(), person.mobile ?? null) as ({ id: number, mobileVerifiedAt: string | null } & PersonOnRecord)[]
  const matches = candidates.filter(account => samePerson(account, person))
  const verified = matches.filter(account => account.mobileVerifiedAt !== null)
  return verified.length === 1 ? verified[0]!.id : null
}

/**
 * Whether an answer the form fills from the applicant's `source` (name, idNumber, mobile) names the
 * applicant on record: the name trimmed, the ID number as normalizeIdNumber reads it (the X in
 * either case, full-width digits, spaces between the groups), the mobile as its 11
 * digits however it was typed (138 1234 5678, +86…: normalMobile). The one rule of online
 * submissions (application-answers.ts, notTheApplicantErrors) and counter intake (counter.ts).
 */
export function sameApplicantAnswer(source: string, given: string, own: string): boolean {
  if (source === 'mobile') return normalMobile(given) === normalMobile(own)
  // full-width digits or spaces between the groups, as the form's own check reads them
  if (source === 'idNumber') return normalizeIdNumber(given) === normalizeIdNumber(own)
  return given.trim().toUpperCase() === own.trim().toUpperCase()
}
