/**
 * A long application form walked section by section: the sections that have something to answer
 * now are its steps (a form with fewer than two is one page), the step in the address (`?step=2`)
 * so that a reload or the language switch comes back to it, and a field asked for by `#field-<key>`
 * (the review page's "change" links) opened at its own step. Call from the page's setup.
 */
import type { ComputedRef, Ref } from 'vue'
import type { FormDefinition, FormField } from '~~/shared/types/catalogue'

interface ApplyStepsOptions {
  form: Readonly<Ref<FormDefinition | null>>
  /** The fields the answers so far show. */
  visible: ComputedRef<FormField[]>
  /** The page's h1, which takes focus at each step. */
  heading: Readonly<Ref<HTMLElement | null>>
  /** A new step starts with no errors shown. */
  onStepChange: () => void
}

export function useApplySteps(options: ApplyStepsOptions) {
  const { form, visible, heading } = options
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const local = useLocalText()

  const stepIndex = ref(0)
  /** Sections that have something to answer now; a form with fewer than two is one page. */
  const steps = computed(() => (form.value?.sections ?? []).filter(s => visible.value.some(f => f.section === s.key)))
  const currentSection = computed(() => steps.value.length > 1 ? steps.value[Math.min(stepIndex.value, steps.value.length - 1)]?.key : undefined)
  const isLastStep = computed(() => !currentSection.value || stepIndex.value >= steps.value.length - 1)
  /**
   * "第 2 步，共 3 步：离职信息", in the heading that takes focus at each step and in the page's title:
   * with only the form's name there, moving on sounded as if nothing had happened (WCAG 2.4.2, 2.4.6).
   */
  const stepLabel = computed(() => {
    if (steps.value.length < 2) return ''
    const section = steps.value[Math.min(stepIndex.value, steps.value.length - 1)]
    return t('form.stepNamed', { n: stepIndex.value + 1, total: steps.value.length, section: section ? local(section.title) : '' })
  })

  /** The keys of the current step's fields, or undefined on a one-page form. */
  function currentKeys(): Set<string> | undefined {
    return currentSection.value ? new Set(visible.value.filter(f => f.section === currentSection.value).map(f => f.key)) : undefined
  }

  function stepOfField(key: string): number {
    const field = visible.value.find(f => f.key === key)
    const i = steps.value.findIndex(s => s.key === field?.section)
    return i < 0 ? 0 : i
  }

  async function focusField(key: string) {
    await nextTick()
    const el = document.getElementById(`field-${key}`)
    el?.scrollIntoView({ block: 'center' })
    el?.focus()
  }

  /**
   * The step the address names (`?step=2`, put there at each step), within the form's steps: a
   * reload, or the language switch, which keeps the query, comes back to the step the person was on
   * instead of the first.
   */
  function stepInAddress(): number {
    const n = Number(route.query.step)
    return Number.isInteger(n) && n > 1 ? Math.min(n, steps.value.length) - 1 : 0
  }

  /** The step a draft just opened starts at: the field's the address asks for (focused), else the address's step. */
  function enter() {
    const target = route.hash.startsWith('#field-') ? route.hash.slice('#field-'.length) : null
    if (target) {
      stepIndex.value = stepOfField(target)
      focusField(target)
    }
    else stepIndex.value = stepInAddress()
  }

  async function goToStep(i: number) {
    stepIndex.value = i
    await router.replace({ query: { ...route.query, step: i > 0 ? String(i + 1) : undefined }, hash: route.hash })
    options.onStepChange()
    await nextTick()
    heading.value?.focus()
    window.scrollTo({ top: 0 })
  }

  return { stepIndex, steps, currentSection, isLastStep, stepLabel, currentKeys, stepOfField, enter, goToStep }
}
