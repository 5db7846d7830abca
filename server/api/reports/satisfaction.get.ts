import { z } from 'zod'
import { defaultPeriod, satisfactionReport } from '../../services/satisfaction'

const date = single.refine(isIsoDate, 'validation.query.date')
const Query = z.object({
  from: date.optional(),
  to: date.optional(),
  dept: single.regex(/^[A-Z0-9]{1,16}$/, 'validation.query.dept').optional(),
}).refine(q => !q.from || !q.to || q.from <= q.to, { message: 'validation.query.range', path: ['to'] })

/** Satisfaction statistics per service and department: managers city-wide, a clerk for their own department. */
export default defineApiHandler(['clerk', 'manager'], (event, user) => {
  const query = parseQuery(event, Query)
  if (user.role === 'clerk' && query.dept && query.dept !== user.departmentCode) throw notFound()
  const dept = user.role === 'clerk' ? user.departmentCode : query.dept ?? null
  const period = defaultPeriod()
  const report = satisfactionReport(useConnection(), { from: query.from ?? period.from, to: query.to ?? period.to, dept })
  if (!report) throw notFound()
  return report
})
