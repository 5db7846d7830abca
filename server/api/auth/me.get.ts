import { findDepartment } from '../../services/catalogue'
import { isMobileVerified } from '../../services/mobile-verification'

/**
 * The signed-in person as the pages show them: ID and mobile numbers masked, the clerk's department
 * named, and whether the mobile is verified (the pages offer the verification until it is).
 */
export default defineApiHandler('signedIn', (_event, user) => ({
  username: user.username,
  role: user.role,
  name: user.name,
  idNumberMasked: user.idNumber ? maskIdNumber(user.idNumber) : null,
  mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
  mobileVerified: isMobileVerified(useConnection(), user.id),
  department: user.departmentCode ? findDepartment(useConnection(), user.departmentCode) : null,
}))
