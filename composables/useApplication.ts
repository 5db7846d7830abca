/**
 * The application journey's calls to the API, in one place for the apply, review and drafts
 * pages. Errors keep the server's `data.fieldErrors` so pages can map them onto fields.
 */
import type { OrganizationCheck } from '~~/shared/types/organization-check'
import type { FormDefinition } from '~~/shared/types/catalogue'
import { readApiError } from '../utils/api-error'

export interface ClientDraft {
  id: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  answers: Record<string, unknown>
  status: 'draft' | 'submitted'
  formVersion: number
  organizationId: number | null
  caseNo: string | null
  updatedAt: string
  form: FormDefinition
}

export interface DraftListItem {
  id: string, serviceCode: string, serviceName: string, serviceNameEn: string
  status: 'draft' | 'submitted', caseNo: string | null, organizationId: number | null, createdAt: string, updatedAt: string
}

/** The latest unsubmitted draft of an item for one applicant, and how many there are. */
export interface SavedDrafts { latest: DraftListItem | null, count: number }

/** One of the person's organisations, with what the legal-entity base data says of it (the server's OrganizationView). */
export interface OrganizationChoice { id: number, name: string, uscc: string, check?: OrganizationCheck }

export interface SubmitResult { caseNo: string, status: 'submitted', deadline: string }

/**
 * The status and field errors of a failed $fetch, whatever else it carried. Status 0 when no
 * answer came: the pages keep it in `failedWith` (a number) and review.vue says 0 is "offline".
 */
export function apiProblem(error: unknown): { status: number, fieldErrors: Record<string, string>, reason?: string } {
  const { status, fieldErrors, reason } = readApiError(error)
  return { status: status ?? 0, fieldErrors, ...(reason !== undefined && { reason }) }
}

/** Plain JSON of reactive answers (no proxies, no undefined). */
const plain = (answers: Record<string, unknown>) => JSON.parse(JSON.stringify(answers)) as Record<string, unknown>

export function useApplicationApi() {
  return {
    load: (id: string) => $fetch<ClientDraft>(`/api/applications/${encodeURIComponent(id)}`),
    prefill: (serviceCode: string, organizationId: number | null) =>
      $fetch<{ answers: Record<string, unknown> }>('/api/applications/prefill', { query: { serviceCode, organizationId: organizationId ?? undefined } }),
    create: (serviceCode: string, answers: Record<string, unknown>, organizationId: number | null) =>
      $fetch<ClientDraft>('/api/applications', { method: 'POST', body: { serviceCode, answers: plain(answers), organizationId } }),
    /**
     * `basedOn`: the draft's updatedAt as the page has it; 409 when another tab saved it since.
     * `keepalive`: the request outlives the page (sent as the tab is hidden or closed).
     */
    save: (id: string, answers: Record<string, unknown>, basedOn: string, keepalive = false) =>
      $fetch<ClientDraft>(`/api/applications/${encodeURIComponent(id)}`, { method: 'PUT', body: { answers: plain(answers), basedOn }, keepalive }),
    /** The person's drafts of the item for the same applicant (themself: organizationId null). */
    savedDrafts: (serviceCode: string, organizationId: number | null) =>
      $fetch<{ items: DraftListItem[], total: number }>('/api/applications', {
        query: { status: 'draft', serviceCode, organizationId: organizationId ?? 'none', pageSize: 1 },
      }).then((r): SavedDrafts => ({ latest: r.items[0] ?? null, count: r.total })),
    submit: (id: string) => $fetch<SubmitResult>(`/api/applications/${encodeURIComponent(id)}/submit`, { method: 'POST' }),
    // A plain string: Nitro's typed routes would match `/api/applications/prefill` (GET only) here.
    discard: (id: string) => $fetch<null>(String(`/api/applications/${encodeURIComponent(id)}`), { method: 'DELETE' }),
    /** The person's organisations. A failure is thrown, not read as "none": that would tell a company's representative to add the company they have. */
    organizations: () => $fetch<OrganizationChoice[] | { items: OrganizationChoice[] }>('/api/me/organizations')
      .then(r => Array.isArray(r) ? r : r.items ?? []),
  }
}

/** My drafts, for the "my applications" page. */
export function useMyDrafts() {
  return useFetch<{ items: DraftListItem[], total: number, retentionDays: number }>('/api/applications', { query: { status: 'draft', pageSize: 100 }, key: 'my-drafts' })
}

/** A field label or option label in the page's language. */
export function useLocalText() {
  const { locale } = useI18n()
  return (text: { zh: string, en: string }) => (locale.value === 'en' && text.en ? text.en : text.zh)
}
