/**
 * The audit log's question (pages/manage/audit.vue), kept in the URL query so a view can be
 * shared: the filters, the page, and the snapshot the pages are read at.
 */
import type { AuditQuery } from '~/composables/useAccountAudit'
import type { AuditLogPage } from '~~/shared/types/audit'

/** The filter form's fields, as typed. */
export interface AuditFilters { action: string, actor: string, from: string, to: string }

// upTo: the newest row when the first page was read, so turning pages repeats no row (see the API)
const KEYS = ['action', 'actor', 'from', 'to', 'page', 'upTo'] as const

/** The query as the URL has it, and `applyFilters` for what the filter form applies. */
export function useAuditLogQuery() {
  const route = useRoute()
  const router = useRouter()
  const query = computed(() => {
    const q: AuditQuery = {}
    for (const k of KEYS) {
      const v = route.query[k]
      if (typeof v === 'string' && v) q[k] = v
    }
    return q
  })
  function applyFilters(filters: AuditFilters) {
    const next: Record<string, string> = {}
    for (const [k, v] of Object.entries(filters)) if (v.trim()) next[k] = v.trim()
    router.push({ query: next })
  }
  return { query, applyFilters }
}

/** The log's pages: how many, whether the URL asks for one past the last, and the query of another. */
export function useAuditLogPages(data: Ref<AuditLogPage | null | undefined>, query: Ref<AuditQuery>) {
  const router = useRouter()
  const pageCount = computed(() => data.value ? Math.max(1, Math.ceil(data.value.total / data.value.pageSize)) : 1)
  /** A ?page= beyond the end: there are records, none on this page. */
  const pastLast = computed(() => !!data.value && data.value.total > 0 && data.value.items.length === 0 && data.value.page > pageCount.value)
  const snapshot = computed(() => data.value?.upTo)
  const pageQuery = (page: number) => ({ ...query.value, page: String(page), ...(snapshot.value ? { upTo: String(snapshot.value) } : {}) })
  function goToPage(page: number) {
    router.push({ query: pageQuery(page) })
  }
  return { pageCount, pastLast, pageQuery, goToPage }
}
