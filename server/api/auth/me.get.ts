import { findDepartment } from '../../services/catalogue'

/** The signed-in person as the pages show them: ID and mobile numbers masked, the clerk's department named. */
export default defineApiHandler('signedIn', (_event, user) => ({
  username: user.username,
  role: user.role,
  name: user.name,
  idNumberMasked: user.idNumber ? maskIdNumber(user.idNumber) : null,
  mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
  department: user.departmentCode ? findDepartment(useConnection(), user.departmentCode) : null,
}))
