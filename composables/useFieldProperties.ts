/**
 * Editing one form field's own properties in place: its type, hint, limits, section and prefill.
 * Optional properties are removed rather than left empty, so the saved definition is exactly
 * what the contract describes.
 */
import type { FieldType, FormField } from '~~/shared/types/catalogue'

type Optional = 'min' | 'max' | 'maxLength' | 'hint' | 'section' | 'prefill' | 'showIf' | 'options'

/** Removes an optional property of a field (rather than leaving it empty). */
export function dropFieldProperty(field: FormField, key: Optional) {
  Reflect.deleteProperty(field, key)
}

export function useFieldProperties(f: FormField) {
  const drop = (key: Optional) => dropFieldProperty(f, key)

  function setNumber(key: 'min' | 'max' | 'maxLength', v: string | number | null) {
    if (v === '' || v === null || Number.isNaN(Number(v))) drop(key)
    else f[key] = Number(v)
  }

  const isChoice = (type: FieldType) => type === 'select' || type === 'radio'
  function changeType(type: FieldType) {
    f.type = type
    if (isChoice(type) && !f.options) f.options = yesNoOptions()
    if (!isChoice(type)) drop('options')
    if (type !== 'number') { drop('min'); drop('max') }
    if (type !== 'text' && type !== 'textarea') drop('maxLength')
  }

  const hintZh = computed({ get: () => f.hint?.zh ?? '', set: (v: string) => setHint('zh', v) })
  const hintEn = computed({ get: () => f.hint?.en ?? '', set: (v: string) => setHint('en', v) })
  function setHint(lang: 'zh' | 'en', v: string) {
    const hint = { zh: f.hint?.zh ?? '', en: f.hint?.en ?? '', [lang]: v }
    if (!hint.zh && !hint.en) drop('hint')
    else f.hint = hint
  }

  const section = computed({ get: () => f.section ?? '', set: (v: string) => (v ? (f.section = v) : drop('section')) })
  const prefill = computed({ get: () => f.prefill ?? '', set: (v: string) => (v ? (f.prefill = v as FormField['prefill']) : drop('prefill')) })

  return { setNumber, changeType, hintZh, hintEn, section, prefill }
}
