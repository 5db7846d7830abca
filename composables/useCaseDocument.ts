import type { CaseDocument } from '~~/shared/types/case'
import { documentTitleKey } from '~/components/Case/DecisionDocument.vue'

/**
 * The written document (文书) the address names (its `caseNo` and `id`), for the applicant's and the
 * department's document pages: fetched, the page titled by its kind, and a 404 or a failure shown as
 * the error page. A 401 is a session that ended: the layout's notice offers to sign in again, so the
 * page keeps its heading (the document is then null) instead of claiming a server failure, as the
 * case page does.
 */
export async function useCaseDocument(): Promise<Ref<CaseDocument | undefined>> {
  const { t } = useI18n()
  const route = useRoute()
  const caseNo = computed(() => String(route.params.caseNo))
  const id = computed(() => String(route.params.id))
  const request = useFetch<CaseDocument>(() => `/api/cases/${encodeURIComponent(caseNo.value)}/documents/${encodeURIComponent(id.value)}`, { key: computed(() => `case-document:${caseNo.value}:${id.value}`) })
  // before the wait: a composable's component is known only until its first await
  useHead({ title: () => (request.data.value ? t(documentTitleKey(request.data.value.kind, request.data.value.service.type)) : t('document.heading')) })
  const { data, error } = await request
  if (error.value && caseStatusCode(error.value) !== 401) {
    const notFound = error.value.statusCode === 404
    throw createError({ statusCode: notFound ? 404 : 500, statusMessage: notFound ? 'Not Found' : 'Server Error', fatal: true })
  }
  return data as Ref<CaseDocument | undefined>
}
