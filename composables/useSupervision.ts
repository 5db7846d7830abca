/**
 * The supervision page's question (pages/manage/supervision.vue), kept in the URL query so a view
 * can be shared: the page of each of its four lists of cases, which page separately, and the period
 * of the departments' figures, like the reports page's (useReportQuery, which has no lists to page).
 */
import type { SupervisedPage } from '~~/shared/types/supervision'
import type { SupervisionWithRectifications } from '~~/shared/types/supervision-rectifications'

/** How a list's last column reads: the working days left or late, how long suspended, how long past the period to correct. */
export type SupervisionListKind = 'running' | 'paused' | 'lapsed'

/** One list of the page: its heading's id, its page's name in the query, its words and its cases. */
export interface SupervisionList {
  id: string
  param: string
  heading: string
  none: string
  note?: string
  list: SupervisedPage
  kind: SupervisionListKind
}

const PAGE_SIZE = 20
const pageIn = (v: unknown) => Math.max(1, Number.parseInt(typeof v === 'string' ? v : '', 10) || 1)
const str = (v: unknown) => (typeof v === 'string' ? v : '')

/** The lists' pages and the period as the URL has them, and `applyPeriod` for what ReportFilters applies. */
export function useSupervisionQuery() {
  const route = useRoute()
  const router = useRouter()
  const pages = computed(() => ({
    overduePage: pageIn(route.query.overduePage),
    nearPage: pageIn(route.query.nearPage),
    pausedPage: pageIn(route.query.pausedPage),
    lapsedPage: pageIn(route.query.lapsedPage),
  }))
  // the period of the departments' figures, in the URL like the reports page's, so a view can be shared
  const period = computed(() => ({ from: str(route.query.from), to: str(route.query.to) }))
  function applyPeriod(q: { from: string, to: string }) {
    // the lists start again on their first page: a new period is a new question
    const next: Record<string, string> = {}
    if (q.from) next.from = q.from
    if (q.to) next.to = q.to
    router.push({ query: next })
  }
  return { pages, period, applyPeriod }
}

/** `GET /api/supervision` for those pages and that period. */
export function useSupervision(pages: Ref<Record<'overduePage' | 'nearPage' | 'pausedPage' | 'lapsedPage', number>>, period: Ref<{ from: string, to: string }>) {
  return useFetch<SupervisionWithRectifications>('/api/supervision', {
    query: computed(() => ({
      ...pages.value, pageSize: PAGE_SIZE,
      ...(period.value.from ? { from: period.value.from } : {}), ...(period.value.to ? { to: period.value.to } : {}),
    })),
    key: computed(() => `supervision:${pages.value.overduePage}:${pages.value.nearPage}:${pages.value.pausedPage}:${pages.value.lapsedPage}:${period.value.from}:${period.value.to}`),
  })
}
