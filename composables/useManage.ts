/**
 * Data and helpers of the catalogue management pages (issue 8): the items an editor manages,
 * one item with its drafts and history, and the bridge from the shared guide schema to
 * vee-validate (this vee-validate reads typed schemas, so zod is wrapped once here).
 */
import type { TypedSchema } from 'vee-validate'
import type { z } from 'zod'
import type { FormDefinition, ServiceGuide } from '~~/shared/types/catalogue'
import type { GuideInput, GuideProblem } from '~~/shared/utils/guide-schema'
import type { Page } from '~~/shared/utils/query'

export type ItemStatus = 'draft' | 'published' | 'withdrawn'

export interface ManagedListItem {
  code: string, name: string, nameEn: string, department: { code: string, name: string }
  status: ItemStatus, version: number, hasDraft: boolean, hasFormDraft: boolean, hasForm: boolean, updatedAt: string
}

export interface VersionEntry {
  kind: 'guide' | 'form', version: number, status: 'draft' | 'published' | 'superseded'
  createdBy: string | null, createdAt: string | null, publishedBy: string | null, publishedAt: string | null
}

export interface ManagedService {
  code: string, status: ItemStatus, version: number, departmentCode: string
  current: ServiceGuide
  draft: { version: number, guide: GuideInput } | null
  formDraft: { id: number, version: number, definition: FormDefinition, problems: { path: string, message: string }[] } | null
  publishedForm: { id: number, version: number } | null
  history: VersionEntry[]
}

export function useManagedServices(query: Ref<Record<string, string | undefined>>) {
  return useFetch<Page<ManagedListItem>>('/api/manage/services', { query, key: computed(() => `manage:services:${JSON.stringify(query.value)}`) })
}

export function useManagedService(code: Ref<string>) {
  return useFetch<ManagedService>(() => `/api/manage/services/${encodeURIComponent(code.value)}`, { key: computed(() => `manage:service:${code.value}`) })
}

/** The guide as the editor holds it: the seed's shape, department by code, no derived fields. */
export function editableGuide(g: ServiceGuide | GuideInput): GuideInput {
  const { onlineAvailable: _a, department, ...rest } = g as ServiceGuide
  return structuredClone({ ...rest, department: typeof department === 'string' ? department : department.code }) as GuideInput
}

/** A zod schema as a vee-validate typed schema; errors keyed like the editor's inputs (`materials[2].copies`). */
export function typedSchemaOf<T>(schema: z.ZodType<T>): TypedSchema<unknown, T> {
  return {
    __type: 'VVTypedSchema',
    async parse(values: unknown) {
      const result = schema.safeParse(values)
      if (result.success) return { value: result.data, errors: [] }
      const byPath = new Map<string, string[]>()
      for (const issue of result.error.issues) {
        const path = fieldPath(issue.path.map(p => (typeof p === 'number' ? p : String(p))))
        byPath.set(path, [...(byPath.get(path) ?? []), issue.message])
      }
      return { errors: [...byPath].map(([path, errors]) => ({ path, errors })) }
    },
  }
}

/** A problem's message in the page's language: rule keys are translated, the form's own sentences shown as they are. */
export function useProblemText() {
  const { t, te } = useI18n()
  return (message: string) => (te(message) ? t(message) : message)
}

/** An id for the input of a field path, usable in `href="#…"` and `aria-describedby`. */
export function inputId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`
}

/** The 400 body of a refused guide or form, as `{ field: message }`. */
export function problemsOfError(e: unknown): GuideProblem[] | null {
  const data = (e as { data?: { data?: { problems?: GuideProblem[] }, problems?: GuideProblem[] } })?.data
  return data?.data?.problems ?? data?.problems ?? null
}
