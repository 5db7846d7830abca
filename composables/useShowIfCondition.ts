/**
 * A form field's showIf condition, edited in place: an earlier field and the answer that shows
 * this one. Choosing the earlier field sets an answer it can have; the answer is kept in that
 * field's own type (a boolean for a checkbox, a number for a number).
 */
import type { FormField } from '~~/shared/types/catalogue'

function defaultAnswer(ref: FormField): string | number | boolean {
  if (ref.type === 'checkbox') return true
  if (ref.type === 'number') return 0
  return ref.options?.[0]?.value ?? ''
}

export function useShowIfCondition(f: FormField, earlier: () => FormField[]) {
  /** showIf: an earlier field and the answer that shows this one. */
  const showField = computed({
    get: () => f.showIf?.field ?? '',
    set: (key: string) => {
      const ref = earlier().find(e => e.key === key)
      if (!ref) return dropFieldProperty(f, 'showIf')
      f.showIf = { field: key, equals: defaultAnswer(ref) }
    },
  })
  const showRef = computed(() => earlier().find(e => e.key === f.showIf?.field))
  const showEquals = computed({
    get: () => String(f.showIf?.equals ?? ''),
    set: (v: string) => {
      if (!f.showIf || !showRef.value) return
      const type = showRef.value.type
      f.showIf = { ...f.showIf, equals: type === 'checkbox' ? v === 'true' : type === 'number' ? Number(v) : v }
    },
  })
  return { showField, showRef, showEquals }
}
