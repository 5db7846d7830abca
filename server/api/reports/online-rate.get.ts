import { z } from 'zod'
import { CSV_BOM } from '../../../shared/utils/csv'
import { isIsoDate } from '../../../shared/utils/working-days'
import { writeAudit } from '../../services/audit'
import { findDepartment } from '../../services/catalogue'
import { reportPeriod } from '../../services/report-period'
import { CITY_NAME_EN, onlineRateReport, reportCsv } from '../../services/reports'

const day = single.refine(isIsoDate, 'report.errors.date')

const Query = z.object({
  from: day.optional(),
  to: day.optional(),
  dept: single.regex(/^[A-Z0-9]{1,16}$/, 'report.errors.dept').optional(),
  format: z.enum(['json', 'csv'], { error: 'report.errors.format' }).optional().default('json'),
})

const badQuery = (field: string, message: string) =>
  createError({ statusCode: 400, message: `Invalid query parameter: ${field}`, data: { fieldErrors: { [field]: message } } })

/** Managers see the city and any department; a clerk sees their own department only. */
export default defineApiHandler(['manager', 'clerk'], (event, user) => {
  const q = parseQuery(event, Query)
  // one instant for the default period and the figures counted today (asOf)
  const now = new Date()
  const { from, to } = reportPeriod(q, now)
  if (from > to) throw badQuery('from', 'report.errors.fromAfterTo')
  const conn = useConnection()
  if (q.dept && !findDepartment(conn, q.dept)) throw badQuery('dept', 'report.errors.dept')
  let dept = q.dept ?? null
  if (user.role === 'clerk') {
    if (!user.departmentCode || (dept && dept !== user.departmentCode)) {
      writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'access.denied', subject: 'GET /api/reports/online-rate', detail: { dept }, ip: clientIp(event) })
      throw createError({ statusCode: 403, message: 'A clerk sees the report of their own department only' })
    }
    dept = user.departmentCode
  }
  const report = onlineRateReport(conn, { from, to }, dept, now)
  if (q.format === 'json') return report
  // both names, so the CSV reads the same downloaded from the English page (nameEn, the last column)
  const total = dept ? report.byDepartment[0] : undefined
  const name = dept ? total?.name ?? dept : '全市'
  const nameEn = dept ? total?.nameEn ?? dept : CITY_NAME_EN
  setResponseHeader(event, 'content-type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'content-disposition', `attachment; filename="online-rate-${from}-${to}${dept ? `-${dept}` : ''}.csv"`)
  return CSV_BOM + reportCsv(report, name, nameEn)
})
