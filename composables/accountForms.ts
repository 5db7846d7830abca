/**
 * Glue between the shared zod schemas (shared/utils/validators.ts), vee-validate and the API's
 * errors, for the account pages. vee-validate 4.15 does not read Standard Schema, and
 * @vee-validate/zod is not installed, so `toTypedSchema` runs the zod schema itself and hands
 * vee-validate the first message key per field, exactly as the server's fieldErrors do.
 */
import type { TypedSchema, TypedSchemaError } from 'vee-validate'
import type { z } from 'zod'
import { firstErrorPerKey } from '../shared/utils/validators'
import type { ErrorSummaryItem } from '../components/Form/ErrorSummary.vue'
import { readApiError } from '../utils/api-error'

/** A vee-validate schema from a zod schema; `prepare` shapes the form's values first (e.g. drops an unticked part). */
export function toTypedSchema<S extends z.ZodType, V = z.input<S>>(schema: S, prepare?: (values: V) => unknown): TypedSchema<V, z.output<S>> {
  return {
    __type: 'VVTypedSchema',
    async parse(values) {
      const result = await schema.safeParseAsync(prepare ? prepare(values) : values)
      if (result.success) return { value: result.data, errors: [] }
      return { errors: Object.entries(firstErrorPerKey(result.error)).map(([path, m]): TypedSchemaError => ({ path, errors: [m] })) }
    },
  }
}

/** The body of an API error as the contract defines it. */
export interface ApiErrorBody {
  statusCode?: number
  message?: string
  data?: { fieldErrors?: Record<string, string>, retryAt?: string, retryAfterSeconds?: number, reason?: string }
}

/**
 * The message key for a failure that is no field's and no lock: the server busy checking other
 * passwords (503 account.busy: wait a few seconds, nothing was counted), else unavailable.
 */
export function unavailableKey(status: number, body: ApiErrorBody): string {
  return status === 503 && body.data?.reason === 'account.busy' ? 'account.busy' : 'account.unavailable'
}

/**
 * Status and body of a failed `$fetch`, whatever threw. A network failure has status 0, which
 * unavailableKey takes for "unavailable"; the body is `{}` when there was none to read.
 */
export function apiErrorOf(e: unknown): { status: number, body: ApiErrorBody } {
  const { status, body } = readApiError(e)
  return { status: status ?? 0, body: (body ?? {}) as ApiErrorBody }
}

/** `organization.name` → `field-organization-name`: the id of the input a message belongs to. */
export const fieldId = (path: string) => `field-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`

/** The message key of each account field's label, as the forms show it. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  'username': 'account.fields.username',
  'password': 'account.fields.password',
  'name': 'account.fields.name',
  'idNumber': 'account.fields.idNumber',
  'mobile': 'account.fields.mobile',
  'organization.name': 'account.fields.organizationName',
  'organization.uscc': 'account.fields.uscc',
  'uscc': 'account.fields.uscc',
  'currentPassword': 'account.password.current',
  'newPassword': 'account.password.new',
}

/** The label key of a field; the organisations form (top-level `uscc`) has its own `name`. */
function labelKeyOf(key: string, order: readonly string[]): string | undefined {
  if (key === 'name' && order.includes('uscc')) return 'account.fields.organizationName'
  return FIELD_LABELS[key]
}

/**
 * Error-summary items for the fields that have an error, in the order the form shows them;
 * messages are i18n keys, translated here. `_` (an error of the whole form) links to the first field.
 * Each message starts with its field's label ("Username: Enter this information"): four links all
 * reading "Enter this information" told a screen-reader user nothing about where they lead.
 */
export function summaryItems(errors: Partial<Record<string, string>>, order: readonly string[], t: (key: string, named?: Record<string, unknown>) => string): ErrorSummaryItem[] {
  const keys = Object.keys(errors).filter(k => errors[k])
  keys.sort((a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1))
  return keys.map((k) => {
    const labelKey = labelKeyOf(k, order)
    const message = labelKey ? t('text.labelled', { label: t(labelKey), message: t(errors[k]!) }) : t(errors[k]!)
    return { key: k, message, href: `#${fieldId(order.includes(k) ? k : order[0]!)}` }
  })
}

/** Only a path on this site may be a `?redirect=` target (`//evil.example` is another host). */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null
  // eslint-disable-next-line no-control-regex -- control characters have no place in a path
  return /[\u0000-\u001F\u007F]/.test(value) ? null : value
}

/**
 * `target` (a path of this site, with or without /en) in the language `locale`: the sign-in page
 * switched to English after being sent there from a Chinese form must return to the English form.
 */
export function inLanguage(target: string, locale: string): string {
  let bare = target.replace(/^\/en(?=[/?#]|$)/, '')
  if (!bare.startsWith('/')) bare = `/${bare}`
  if (locale !== 'en') return bare
  return bare === '/' ? '/en' : bare.startsWith('/?') || bare.startsWith('/#') ? `/en${bare.slice(1)}` : `/en${bare}`
}

/** Where a role starts after signing in. */
export function homeOfRole(role: string): string {
  switch (role) {
    case 'clerk': return '/clerk'
    case 'manager': return '/manage/reports'
    case 'admin': return '/manage/catalogue'
    case 'auditor': return '/manage/audit'
    default: return '/me'
  }
}
