import { z } from 'zod'
import { reportPeriod } from '../../services/report-period'
import { satisfactionReport } from '../../services/satisfaction'
import { writeAudit } from '../../services/audit'
import { findDepartment } from '../../services/catalogue'

const date = single.refine(isIsoDate, 'validation.query.date')
const Query = z.object({
  from: date.optional(),
  to: date.optional(),
  dept: single.regex(/^[A-Z0-9]{1,16}$/, 'validation.query.dept').optional(),
}).refine(q => !q.from || !q.to || q.from <= q.to, { message: 'validation.query.range', path: ['to'] })

/** Satisfaction statistics per service and department: managers city-wide, a clerk for their own department. */
export default defineApiHandler(['clerk', 'manager'], (event, user) => {
  const query = parseQuery(event, Query)
  // a well-formed code that names no department is a bad query, as in the online-rate report
  if (query.dept && !findDepartment(useConnection(), query.dept)) {
    throw createError({ statusCode: 400, message: 'Invalid query parameter: dept', data: { fieldErrors: { dept: 'report.errors.dept' } } })
  }
  // as the online-rate report: departments are public, another one's figures are refused (and audited)
  if (user.role === 'clerk' && query.dept && query.dept !== user.departmentCode) {
    writeAudit(useConnection(), { actorId: user.id, actorRole: user.role, action: 'access.denied', subject: 'GET /api/reports/satisfaction', detail: { dept: query.dept }, ip: clientIp(event) })
    throw createError({ statusCode: 403, message: 'A clerk sees the report of their own department only' })
  }
  const dept = user.role === 'clerk' ? user.departmentCode : query.dept ?? null
  // the dashboard's and supervision's default, so the three pages count the same days
  const { from, to } = reportPeriod(query)
  // the refinement above only sees the dates given; a lone `from` after the default end is as wrong
  if (from > to) throw createError({ statusCode: 400, message: 'Invalid query parameter: to', data: { fieldErrors: { to: 'validation.query.range' } } })
  const report = satisfactionReport(useConnection(), { from, to, dept })
  if (!report) throw notFound()
  return report
})
