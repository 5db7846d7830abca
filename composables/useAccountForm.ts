/**
 * The state every account form keeps (sign-in, registration, the sections of the account page):
 * vee-validate checking on submit only, a failure of the whole form, and the error summary that
 * gathers both. The markup that goes with it is AccountForm and AccountField.
 */
import { useForm } from 'vee-validate'
import type { FormOptions, GenericObject, Path, TypedSchema } from 'vee-validate'
import type { ErrorSummaryItem } from '../components/Form/ErrorSummary.vue'
import { fieldId, summaryItems } from './accountForms'

/**
 * Field options for validating on submit only (GOV.UK): messages that come and go while a person
 * types interrupt screen-reader users.
 */
export const ON_SUBMIT_ONLY = { validateOnBlur: false, validateOnChange: false, validateOnInput: false, validateOnModelUpdate: false } as const

export interface AccountFormOptions<TValues extends GenericObject, TOutput extends GenericObject> {
  schema: TypedSchema<TValues, TOutput>
  initialValues: NonNullable<FormOptions<TValues, TOutput>['initialValues']>
  /** The fields in the order the form shows them; a failure of the whole form links to the first. */
  order: readonly string[]
  /** The id of a field's input when it is not `fieldId(path)`: two forms on one page keep apart. */
  idOf?: (path: string) => string
}

/**
 * A vee-validate form with what the account forms add to it: `field` (a model checked on submit
 * only), `formError`, the `summary` to hand AccountForm, and `submitHandler`.
 */
export function useAccountForm<TValues extends GenericObject, TOutput extends GenericObject>(options: AccountFormOptions<TValues, TOutput>) {
  const { t } = useI18n()
  const { order, idOf = fieldId } = options
  const form = useForm<TValues, TOutput>({ validationSchema: options.schema, initialValues: options.initialValues })
  /** A problem of the whole form (wrong password, locked, service down), shown in the summary. */
  const formError = ref<string | null>(null)

  const summary = computed((): ErrorSummaryItem[] => {
    if (formError.value) return [{ key: 'form', message: formError.value, href: `#${idOf(order[0]!)}` }]
    if (!form.submitCount.value) return []
    const errors: Partial<Record<string, string>> = form.errors.value
    return summaryItems(errors, order, t).map(i => ({ ...i, href: `#${idOf(order.includes(i.key) ? i.key : order[0]!)}` }))
  })

  const field = <P extends Path<TValues>>(path: P) => form.defineField(path, ON_SUBMIT_ONLY)[0]

  /**
   * `handleSubmit` that first clears what the last submit said (`formError`, and through `clear`
   * the form's own messages), whether the values turn out valid or not.
   */
  function submitHandler(handler: (values: TOutput) => Promise<void>, clear?: () => void) {
    const reset = () => {
      formError.value = null
      clear?.()
    }
    return form.handleSubmit(async (values) => {
      reset()
      await handler(values)
    }, reset)
  }

  return { ...form, field, formError, summary, submitHandler }
}
