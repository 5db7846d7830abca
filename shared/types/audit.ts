/**
 * The audit log as `GET /api/audit` pages it for auditors: one declaration for the server that
 * builds it (server/services/audit-log.ts, server/api/audit/index.get.ts) and the page that reads it
 * (composables/useAccountAudit.ts).
 */
import type { Page } from '../utils/query'

export interface AuditListItem {
  id: number
  at: string
  actorUsername: string | null
  actorRole: string | null
  action: string
  subject: string | null
  detail: Record<string, unknown> | null
  ip: string | null
}

/**
 * A page of the log; `upTo`: the newest row id when the first page was read (null while the log is
 * empty), for the later pages of one reading to ask for, so they list no newer rows.
 */
export type AuditLogPage = Page<AuditListItem> & { upTo: number | null }
