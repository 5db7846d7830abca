import type { AuditLogPage } from '../../../shared/types/audit'
import { paginationSchema, single } from '../../../shared/utils/query'
import { isIsoDate } from '../../../shared/utils/working-days'
import { writeAudit } from '../../services/audit'
import { listAudit, newestAuditId } from '../../services/audit-log'

const day = single.refine(isIsoDate, 'validation.query.date').optional()
const Query = paginationSchema.extend({
  // as the actions are written, capitals included (form.draftDiscard, dailyCounts.rebuild)
  action: single.regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'validation.query.action').optional(),
  actor: single.regex(/^[a-zA-Z0-9_.-]{1,32}$/, 'validation.query.actor').optional(),
  from: day,
  to: day,
  /** the newest row id when the first page was read: later pages list the log as it was then */
  upTo: single.regex(/^[1-9]\d{0,15}$/, 'validation.query.page').transform(Number).optional(),
}).refine(q => !q.from || !q.to || q.from <= q.to, { message: 'validation.query.range', path: ['from'] })

/** The audit log for auditors, newest first, filtered by action, actor and days. */
export default defineApiHandler(['auditor'], (event, user) => {
  const { upTo, ...query } = parseQuery(event, Query)
  const conn = useConnection()
  // later pages list the log as it stood when the first was read (its newest row then): the
  // rows written since, this reading's own among them, would otherwise push page N's last rows
  // onto page N+1
  const asOf = upTo ?? newestAuditId(conn) ?? undefined
  const page: AuditLogPage = { ...listAudit(conn, { ...query, upTo: asOf }), upTo: asOf ?? null }
  // The auditor's own reading is recorded too (等保: the audit administrator is audited), after the
  // page is read, so it does not appear in it; an actor filtered on may be an older username that
  // is a mobile or ID number, masked as the listing masks it
  const actor = query.actor === undefined ? null : redactForLog(String(query.actor))
  if (!answersHeadersOnly(event)) inWriteTransaction(() => writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'audit.read', detail: { action: query.action ?? null, actor, from: query.from ?? null, to: query.to ?? null }, ip: clientIp(event) }))
  return page
})
