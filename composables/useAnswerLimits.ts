import type { ComputedRef } from 'vue'
import type { FormField } from '~~/shared/types/catalogue'

/**
 * What a field tells the person before they are refused, for the citizen's form (Form/Field.vue)
 * and the clerk's (Case/FieldInput.vue) alike: a number's allowed range ("below the lowest allowed
 * value" alone leaves them guessing what the lowest is), and a text's length against its limit,
 * counted as the shared schema counts it (code points, trimmed). The inputs have no maxlength,
 * which would count UTF-16 units and cut 生僻字 such as 𠮷 at half the limit.
 */
export function useAnswerLimits(field: () => FormField, value: () => unknown, readonly: () => boolean = () => false): {
  range: ComputedRef<string | null>
  count: ComputedRef<{ length: number, max: number, over: number } | null>
} {
  const { t } = useI18n()
  const range = computed(() => {
    const { type, min, max } = field()
    if (type !== 'number' || readonly() || (min === undefined && max === undefined)) return null
    if (min !== undefined && max !== undefined) return t('form.range.between', { min, max })
    return min !== undefined ? t('form.range.atLeast', { min }) : t('form.range.atMost', { max })
  })
  const count = computed(() => {
    const max = readonly() ? undefined : answerMaxLength(field())
    if (max === undefined) return null
    const length = answerLength(field(), value())
    return { length, max, over: Math.max(0, length - max) }
  })
  return { range, count }
}
