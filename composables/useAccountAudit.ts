/** The auditor's view of the audit log: one page of rows for the filters in the URL. */

export interface AuditRow {
  id: number
  at: string
  actorUsername: string | null
  actorRole: string | null
  action: string
  subject: string | null
  detail: Record<string, unknown> | null
  ip: string | null
}

export interface AuditQuery { action?: string, actor?: string, from?: string, to?: string, page?: string }

export function useAuditLog(query: Ref<AuditQuery>) {
  return useFetch<{ items: AuditRow[], total: number, page: number, pageSize: number }>('/api/audit', {
    key: 'audit-log',
    query,
    watch: [query],
  })
}

/** Action families worth offering as suggestions in the filter. */
export const AUDIT_ACTIONS = [
  'auth', 'auth.login', 'auth.login.failed', 'auth.locked', 'auth.logout', 'access.denied', 'pii.reveal', 'case.read', 'upload.read', 'result.read',
  'account', 'account.register', 'account.password.change', 'account.password.reset', 'account.role.change', 'audit', 'case', 'catalogue', 'result', 'upload',
] as const
