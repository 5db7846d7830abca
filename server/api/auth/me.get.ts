import { departments } from '../../../db/schema'
import { eq } from 'drizzle-orm'

export default defineApiHandler('signedIn', (_event, user) => {
  const dept = user.departmentCode
    ? useDb().select({ code: departments.code, name: departments.name, nameEn: departments.nameEn }).from(departments).where(eq(departments.code, user.departmentCode)).get() ?? null
    : null
  return {
    username: user.username,
    role: user.role,
    name: user.name,
    idNumberMasked: user.idNumber ? maskIdNumber(user.idNumber) : null,
    mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
    department: dept,
  }
})
