/**
 * Data and helpers of the catalogue management pages (issue 8): the items an editor manages,
 * one item with its drafts and history, and the bridge from the shared guide schema to
 * vee-validate (this vee-validate reads typed schemas, so zod is wrapped once here).
 */
import type { TypedSchema } from 'vee-validate'
import type { z } from 'zod'
import type { FormDefinition, FormField, ServiceGuide } from '~~/shared/types/catalogue'
import type { GuideInput, GuideProblem } from '~~/shared/utils/guide-schema'
import type { Page } from '~~/shared/utils/query'
import { readApiError } from '../utils/api-error'

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
  /** `revision`: sent back with a save or publish, which the server refuses (409) once someone else changed the draft */
  draft: { version: number, guide: GuideInput, revision: string } | null
  formDraft: { id: number, version: number, definition: FormDefinition, problems: { path: string, message: string }[], revision: string } | null
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
/**
 * Why a save or publish of a shared draft was refused (409 manage.rule.draftChanged): who saved the
 * draft since and when, or `gone` (published or removed). Read from the item's history.
 */
export type DraftChange = { who: string, at: string | null } | 'gone'

export const isDraftChanged = (e: unknown) => problemsOfError(e)?.some(p => p.message === 'manage.rule.draftChanged') ?? false

export function draftChangeOf(item: ManagedService | null | undefined, kind: VersionEntry['kind'], someoneElse: string): DraftChange {
  const draft = item?.history.find(h => h.kind === kind && h.status === 'draft')
  return draft ? { who: draft.createdBy ?? someoneElse, at: draft.createdAt } : 'gone'
}

/**
 * Why an editor's save, publish, withdrawal or restoration failed, for a failure that carries no
 * guide problems: true words, never "try again later" for what trying again cannot mend (an ended
 * session, an item no longer the editor's, a form over the builder's limits, whose field errors
 * are said as they are).
 */
export function useEditorFailure(): (e: unknown) => string {
  const { t } = useI18n()
  return (e) => {
    const { status, fieldErrors } = readApiError(e)
    if (status === 401) return t('manage.editor.signedOut')
    if (status === 404) return t('manage.editor.gone')
    const reasons = Object.values(fieldErrors)
    if (status === 400 || status === 413) return t('manage.editor.refused', { reasons: reasons.map(k => t(k)).join(t('text.listSeparator')) || t('manage.editor.refusedUnknown') })
    return t('manage.editor.failed')
  }
}

/** The guide problems a refusal lists: under h3's `data`, or at the top of the body. */
export function problemsOfError(e: unknown): GuideProblem[] | null {
  const { data, body } = readApiError(e)
  return (data?.problems ?? body?.problems ?? null) as GuideProblem[] | null
}

/** A row of a repeatable list moved (`from` → `to`, taken out and put back in) or removed. */
export type RowChange = { path: string, from: number, to: number } | { path: string, removed: number }

/** Where row `i` of a list is after `change`; null when it is the row removed. */
function rowIndexAfter(i: number, change: RowChange): number | null {
  if ('removed' in change) return i === change.removed ? null : i > change.removed ? i - 1 : i
  const { from, to } = change
  if (i === from) return to
  if (from < to && i > from && i <= to) return i - 1
  if (to < from && i >= to && i < from) return i + 1
  return i
}

/**
 * The editor's errors after a row of the list at `path` moved or was removed. Errors are keyed by
 * row position (`steps[1].name`, as the schema and the server report them), so without this a
 * message stays at the old position and is shown beside whichever row moved into it.
 */
export function errorsAfterRowChange(errors: Record<string, string>, change: RowChange): Record<string, string> {
  const prefix = `${change.path}[`
  const out: Record<string, string> = {}
  for (const [key, message] of Object.entries(errors)) {
    const row = key.startsWith(prefix) ? /^(\d+)\](.*)$/.exec(key.slice(prefix.length)) : null
    if (!row) {
      out[key] = message
      continue
    }
    const to = rowIndexAfter(Number(row[1]), change)
    if (to !== null) out[`${prefix}${to}]${row[2]}`] = message
  }
  return out
}

/**
 * Where the form builder shows a problem of the definition: one input of a field's or a section's
 * editor (the id's last part, as FieldEditor names its inputs), or a list's add button. Null for
 * a problem of the definition as a whole (`version`), which no input can correct.
 */
export type BuilderTarget = RowInput | ListButton
interface RowInput { row: 'fields' | 'sections', index: number, input: string }
interface ListButton { row: null, input: 'add-field' | 'add-section' }

const isIndex = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s)

/** The option input of `fields.N.options.<rest>`; the type when the field has no option list on screen. */
function optionInput(field: FormField, rest: string[]): string {
  if (!Array.isArray(field.options)) return 'type'
  const [j, part, lang] = rest
  if (!isIndex(j) || !field.options[Number(j)]) return 'options'
  return `option-${j}-${part === 'label' ? (lang === 'en' ? 'en' : 'zh') : 'value'}`
}

/** The input of one field's editor a problem at `fields.i.<prop>.<rest>` is about, among those shown. */
function fieldInput(def: FormDefinition, i: number, prop: string | undefined, rest: string[]): string {
  const f = def.fields[i]!
  switch (prop) {
    case 'type': case 'required': case 'prefill': case 'section':
      return prop
    case 'label': case 'hint':
      return `${prop}-${rest[0] === 'en' ? 'en' : 'zh'}`
    // limits are shown only for the types they apply to: a limit on another type is the type's problem
    case 'min': case 'max':
      return f.type === 'number' ? prop : 'type'
    case 'maxLength':
      return f.type === 'text' || f.type === 'textarea' ? prop : 'type'
    case 'options':
      return optionInput(f, rest)
    case 'showIf':
      return rest[0] === 'equals' && def.fields.slice(0, i).some(e => e.key === f.showIf?.field) ? 'showIf-equals' : 'showIf-field'
    default:
      return 'key'
  }
}

/** The input a problem of the form builder (`fields.3.options.1.value`, as formDefinitionProblems keys it) is about. */
export function builderProblemTarget(def: FormDefinition, path: string): BuilderTarget | null {
  const [list, index, prop, ...rest] = path.split('.')
  if (list !== 'fields' && list !== 'sections') return null
  if (!isIndex(index)) return { row: null, input: list === 'fields' ? 'add-field' : 'add-section' }
  const i = Number(index)
  if (list === 'fields') return def.fields[i] ? { row: 'fields', index: i, input: fieldInput(def, i, prop, rest) } : null
  if (!def.sections?.[i]) return null
  return { row: 'sections', index: i, input: prop === 'title' ? (rest[0] === 'en' ? 'en' : 'zh') : 'key' }
}
