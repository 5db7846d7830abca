/**
 * Whether a portal account is the person a counter case names. Registration does not check an
 * ID number against the public-security registry (real-name verification, 实名认证, is a service
 * outside this build), so an ID number alone, which anyone can type when registering, proves
 * nothing: the name and the mobile number the clerk took from the person at the counter must be
 * the account's too before the account sees that person's cases and results.
 */
export interface PersonOnRecord { idNumber?: string | null, name?: string | null, mobile?: string | null }

export function samePerson(account: PersonOnRecord, applicant: PersonOnRecord): boolean {
  if (!account.idNumber || !account.name || !account.mobile) return false
  return account.idNumber.toUpperCase() === applicant.idNumber?.toUpperCase()
    && account.name.trim() === applicant.name?.trim()
    && account.mobile === applicant.mobile
}
