/** The auditor's view of the audit log: one page of rows for the filters in the URL. */
import type { AuditLogPage } from '~~/shared/types/audit'

/** `upTo`: the page's snapshot (AuditLogPage.upTo), once a first page has been read */
export interface AuditQuery { action?: string, actor?: string, from?: string, to?: string, page?: string, upTo?: string }

export function useAuditLog(query: Ref<AuditQuery>) {
  return useFetch<AuditLogPage>('/api/audit', {
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
