import type { FormField } from '~~/shared/types/catalogue'
import type { Action, Status } from '~~/shared/utils/workflow'
import type { DeadlineStatus } from '~~/shared/utils/working-days'

export interface CaseListItem {
  caseNo: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  status: Status
  channel: 'online' | 'counter'
  submittedAt: string
  deadline: string
  overdue: boolean
  deadlineStatus: DeadlineStatus
  applicantMasked?: string
}

export interface CaseList { items: CaseListItem[], total: number, page: number, pageSize: number, counts?: Partial<Record<Status, number>> }

export interface CaseEvent { at: string, action: string, from: string | null, to: string, actorRole: string, comment: string | null }

export interface CaseDetailView {
  caseNo: string
  status: Status
  version: number
  channel: 'online' | 'counter'
  processType: 'instant' | 'promised'
  receivedDate: string
  submittedAt: string
  deadline: string
  deadlineStatus: DeadlineStatus
  overdue: boolean
  completedDate: string | null
  suspendedSince: string | null
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  applicant: { name: string, idNumberMasked: string, mobileMasked: string | null }
  answers: Record<string, unknown>
  form: { version: 1, fields: FormField[] } | null
  serviceMaterials: { name: string, required: boolean }[]
  materials: { uploadId: string, name: string, size: number, mime: string, fieldKey: string, source: string }[]
  events: CaseEvent[]
  supplementNotice: { fields: string[], materials: string[], comment: string } | null
  allowedActions: Action[]
  result: { code: string } | null
}

/** One case, refreshed after every action; the key follows the case number. */
export function useCaseDetail(caseNo: Ref<string>) {
  return useFetch<CaseDetailView>(() => `/api/cases/${encodeURIComponent(caseNo.value)}`, { key: computed(() => `case:${caseNo.value}`) })
}

/** A page of cases for the signed-in person (their own, their department's, or all). */
export function useCaseList(query: Ref<Record<string, string | number | undefined>>) {
  return useFetch<CaseList>('/api/cases', { query, key: computed(() => `cases:${JSON.stringify(query.value)}`) })
}

/** Formatting shared by the case pages: instants in Shenzhen time, messages from API error keys. */
export function useCaseFormat() {
  const { t, te, locale } = useI18n()
  const formatInstant = (iso: string) => new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso))
  const message = (key: string) => (te(key) ? t(key) : t('case.common.genericError'))
  const label = (f: FormField) => (locale.value === 'en' ? f.label.en : f.label.zh)
  const serviceName = (c: { serviceName: string, serviceNameEn: string }) => (locale.value === 'en' && c.serviceNameEn ? c.serviceNameEn : c.serviceName)
  return { formatInstant, message, label, serviceName }
}

/** The fieldErrors of a failed API call, if it was a 400 with some. */
export function caseFieldErrors(error: unknown): Record<string, string> {
  const data = (error as { data?: { data?: { fieldErrors?: Record<string, string> } } })?.data?.data
  return data?.fieldErrors ?? {}
}

export function caseStatusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number, status?: number })?.statusCode ?? (error as { status?: number })?.status
}
