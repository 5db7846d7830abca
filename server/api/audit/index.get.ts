import { paginationSchema, single } from '../../../shared/utils/query'
import { isIsoDate } from '../../../shared/utils/working-days'
import { listAudit, writeAudit } from '../../services/audit'

const day = single.refine(isIsoDate, 'validation.query.date').optional()
const Query = paginationSchema.extend({
  action: single.regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'validation.query.action').optional(),
  actor: single.regex(/^[a-zA-Z0-9_.-]{1,32}$/, 'validation.query.actor').optional(),
  from: day,
  to: day,
}).refine(q => !q.from || !q.to || q.from <= q.to, { message: 'validation.query.range', path: ['from'] })

/** The audit log for auditors, newest first, filtered by action, actor and days. */
export default defineApiHandler(['auditor'], (event, user) => {
  const query = parseQuery(event, Query)
  const conn = useConnection()
  // The auditor's own reading is recorded too (等保: the audit administrator is audited).
  inWriteTransaction(() => writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'audit.read', detail: { action: query.action ?? null, actor: query.actor ?? null, from: query.from ?? null, to: query.to ?? null }, ip: clientIp(event) }))
  return listAudit(conn, query)
})
