/**
 * The period and department a report page shows (the online-rate dashboard, the satisfaction
 * statistics), kept in the URL query so a view can be bookmarked and shared. Both pages read it,
 * and write back what ReportFilters applies, the same way. (Supervision keeps its own: it has no
 * department and pages its lists in the same query.)
 */

/** The filter's fields as they stand in the URL; an empty or repeated one is left out. */
export type ReportUrlQuery = Partial<Record<'from' | 'to' | 'dept', string>>

export function useReportQuery() {
  const route = useRoute()
  const router = useRouter()
  const query = computed(() => {
    const q: ReportUrlQuery = {}
    for (const k of ['from', 'to', 'dept'] as const) {
      const v = route.query[k]
      if (typeof v === 'string' && v) q[k] = v
    }
    return q
  })
  /** ReportFilters' fields as the new query: an empty one is dropped, so the server's default applies. */
  function apply(q: { from: string, to: string, dept: string }) {
    const next: Record<string, string> = {}
    for (const [k, v] of Object.entries(q)) if (v) next[k] = v
    router.push({ query: next })
  }
  return { query, apply }
}
