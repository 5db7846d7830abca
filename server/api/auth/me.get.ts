import { findDepartment } from '../../services/catalogue'
import { unreadMessageCount } from '../../services/case-messages'
import { isDepartmentHead } from '../../services/department-heads'
import { isMobileVerified } from '../../services/mobile-verification'

/**
 * The signed-in person as the pages show them: ID and mobile numbers masked, the clerk's department
 * named, whether the mobile is verified (the pages offer the verification until it is), and how
 * many of their messages are unread (shown beside 我的消息: a supplement notice has a deadline),
 * and for a clerk whether they head the department (their queue links the requests to extend).
 */
export default defineApiHandler('signedIn', (_event, user) => ({
  username: user.username,
  role: user.role,
  name: user.name,
  idNumberMasked: user.idNumber ? maskIdNumber(user.idNumber) : null,
  mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
  mobileVerified: isMobileVerified(useConnection(), user.id),
  unreadMessages: unreadMessageCount(useConnection(), user.id),
  department: user.departmentCode ? findDepartment(useConnection(), user.departmentCode) : null,
  departmentHead: isDepartmentHead(useConnection(), user.id, user.departmentCode),
}))
