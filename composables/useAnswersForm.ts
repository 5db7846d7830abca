/**
 * The apply page's vee-validate form over a FormDefinition's answers: the shared answers schema
 * (toAnswersTypedSchema) once the draft's form is known, and answers put in without registering
 * fields, so that each error stays under its own answer's key.
 */
import { useForm } from 'vee-validate'
import type { TypedSchema } from 'vee-validate'
import { shallowRef } from 'vue'
import type { FormDefinition } from '../shared/types/catalogue'
import type { Answers } from '../shared/utils/form-schema'
import { toAnswersTypedSchema } from './useApplicationSchema'

// vee-validate decides at setup whether the form has a schema, so it starts with one that accepts
// everything, and the form's own is swapped in once the draft (and its form version) has loaded
const ACCEPT_ALL: TypedSchema<Answers, Answers> = { __type: 'VVTypedSchema', parse: async values => ({ value: values, errors: [] }) }

/** useForm for a form's answers; call from a component's setup. */
export function useAnswersForm() {
  const schema = shallowRef<TypedSchema<Answers, Answers>>(ACCEPT_ALL)
  const form = useForm<Answers>({ validationSchema: schema })

  /** Validates with this form's schema from now on. */
  function setDefinition(def: FormDefinition) {
    schema.value = toAnswersTypedSchema(def)
  }

  /**
   * Puts changed answers into the form. Not with setFieldValue: that registers the answer's key as
   * a field (a "path state"), and vee-validate 4.15's validate() files the error of a key that is
   * not registered under the longest registered key it begins with (findHoistedPath, made for
   * nested objects). Once 开具用途 `purpose` had been chosen, the missing 其他用途说明
   * `purposeDetail` was reported as "开具用途：请选择一项"; after a reload nothing was registered
   * and the error was right. setValues merges the values and registers nothing, so each error is
   * filed under its own key, as the schema reports it. Lists (a file field's uploads) are copied,
   * as setFieldValue copied them.
   */
  function setAnswers(changed: Answers) {
    const copied = Object.fromEntries(Object.entries(changed).map(([key, v]) => [key, Array.isArray(v) ? [...v] : v]))
    form.setValues(copied, false)
  }

  /**
   * Replaces the answers (a draft loaded, another tab's answers chosen): resetForm only merges, so
   * an answer typed here that the new ones lack is cleared explicitly rather than kept.
   */
  function replaceAnswers(answers: Answers) {
    const cleared = Object.fromEntries(Object.keys(form.values).map(key => [key, undefined]))
    form.resetForm({ values: { ...cleared, ...answers } })
  }

  return { ...form, setDefinition, setAnswers, replaceAnswers }
}
