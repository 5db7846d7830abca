import type { ServiceSummary } from '~~/shared/types/catalogue'
import { isLoadFailure } from './useRetryFocus'

/** The API's largest page (paginationSchema in shared/utils/query.ts). */
const PAGE_SIZE = 100
type ServicePage = { items: ServiceSummary[], total: number }

/**
 * The items a clerk may take in at the counter: every item of the clerk's department, however many
 * pages. A department with more than one page of items would otherwise lose the rest from the list
 * without a word. `servicesFailed` leaves out a 401: that is the ended session, which the layout's
 * notice tells of, and "try again" would not help.
 */
export async function useCounterServices() {
  const { user } = useCurrentUser()
  const dept = computed(() => user.value?.department?.code ?? '')
  const asyncData = useAsyncData(() => `counter-services:${dept.value}`, async () => {
    if (!dept.value) return []
    const pageOf = (page: number) => $fetch<ServicePage>('/api/services', { query: { dept: dept.value, pageSize: PAGE_SIZE, page } })
    const first = await pageOf(1)
    const more = Math.ceil(first.total / PAGE_SIZE) - 1
    const rest = await Promise.all(Array.from({ length: Math.max(0, more) }, (_, i) => pageOf(i + 2)))
    return [first, ...rest].flatMap(p => p.items)
  })
  // made before the await: past it the page's instance is no longer current
  const servicesFailed = computed(() => isLoadFailure(asyncData.error.value))
  await asyncData
  return { services: asyncData.data, servicesFailed, reloadServices: asyncData.refresh }
}
