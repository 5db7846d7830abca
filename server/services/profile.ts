/**
 * A person's own profile as the account page shows it: the ID number and mobile masked (the owner
 * knows them already), the mobile's proof, and their organisations with what the city's legal-entity
 * base data says of each.
 */
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import type { OrganizationCheck } from '../../shared/types/organization-check'
import { maskIdNumber, maskMobile } from '../../shared/utils/mask'
import { organizationCheck } from './legal-entities'
import type { MobileCodePending } from './mobile-verification'
import { pendingMobileCode } from './mobile-verification'

export interface Profile {
  username: string
  role: Role
  name: string
  idNumberMasked: string | null
  mobileMasked: string | null
  /** whether the person proved by an SMS code that the mobile is theirs (mobile-verification.ts) */
  mobileVerified: boolean
  /** a code sent to the mobile that still works: until when, and when another may be asked; null when none */
  mobileCodePending: MobileCodePending | null
  email: string | null
  department: { code: string, name: string, nameEn: string } | null
  passwordChangedAt: string | null
  /** with what the city's legal-entity base data says of each, read now (legal-entities.ts) */
  organizations: { id: number, name: string, uscc: string, check: OrganizationCheck }[]
}

/** A person's own profile, with the ID number and mobile masked (the owner knows them already). */
export function getProfile(conn: Connection, userId: number, now = new Date()): Profile | null {
  const u = conn.sqlite.prepare(`SELECT u.username, u.role, u.name, u.id_number AS idNumber, u.mobile, u.mobile_verified_at AS mobileVerifiedAt, u.email, u.password_changed_at AS passwordChangedAt,
      d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn
    FROM users u LEFT JOIN departments d ON d.code = u.department_code WHERE u.id = ?`).get(userId) as {
    username: string, role: Role, name: string, idNumber: string | null, mobile: string | null, mobileVerifiedAt: string | null, email: string | null,
    passwordChangedAt: string | null, deptCode: string | null, deptName: string | null, deptNameEn: string | null
  } | undefined
  if (!u) return null
  const holder = { idNumber: u.idNumber, idNumberProven: u.mobileVerifiedAt !== null }
  const organizations = (conn.sqlite.prepare('SELECT id, name, uscc FROM organizations WHERE user_id = ? ORDER BY id').all(userId) as { id: number, name: string, uscc: string }[])
    .map(o => ({ ...o, check: organizationCheck(conn, o, holder) }))
  return {
    username: u.username, role: u.role, name: u.name,
    idNumberMasked: u.idNumber ? maskIdNumber(u.idNumber) : null,
    mobileMasked: u.mobile ? maskMobile(u.mobile) : null,
    mobileVerified: u.mobileVerifiedAt !== null,
    mobileCodePending: pendingMobileCode(conn, userId, now),
    email: u.email,
    department: u.deptCode ? { code: u.deptCode, name: u.deptName!, nameEn: u.deptNameEn! } : null,
    passwordChangedAt: u.passwordChangedAt,
    organizations,
  }
}
