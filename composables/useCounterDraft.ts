import type { CounterApplicant } from '~~/shared/utils/counter-applicant'

/**
 * What the clerk has typed for the intake not yet recorded: the item, the applicant block, and the
 * answers and ticked materials of each item chosen.
 */
export function useCounterDraft() {
  const serviceCode = ref('')
  // the applicant block does not depend on the item: it stays as typed when another item is chosen
  const applicant = reactive<CounterApplicant>({ name: '', idNumber: '', mobile: '' })
  // The answers and ticked materials of each item chosen, kept until the intake is recorded. On
  // Windows every arrow key on the closed list is a change of item, and the error summary sends the
  // clerk to the list to correct an error of the item: clearing the answers on each change lost the
  // form to one keystroke, and choosing A, then B, then A again lost A's answers.
  const answersByService = ref<Record<string, Record<string, unknown>>>({})
  const paperByService = ref<Record<string, string[]>>({})
  // the inputs change the item's answers in place: the item chosen has its own object from the start
  watch(serviceCode, (code) => {
    answersByService.value[code] ??= {}
  })
  // settable for v-model only: the inputs never replace the object, they change it in place
  const answers = computed({
    get: () => answersByService.value[serviceCode.value] ?? {},
    set: (given: Record<string, unknown>) => { answersByService.value[serviceCode.value] = given },
  })
  const paperMaterials = computed({
    get: () => paperByService.value[serviceCode.value] ?? [],
    set: (names: string[]) => { paperByService.value[serviceCode.value] = names },
  })

  /** Keeps only the ticks of `code`'s materials that its guide still lists. */
  function keepListedPaper(code: string, listed: Set<string>) {
    paperByService.value[code] = (paperByService.value[code] ?? []).filter(n => listed.has(n))
  }

  /** The intake recorded: the next one starts blank. */
  function clear() {
    serviceCode.value = ''
    Object.assign(applicant, { name: '', idNumber: '', mobile: '' })
    answersByService.value = {}
    paperByService.value = {}
  }

  return { serviceCode, applicant, answers, paperMaterials, keepListedPaper, clear }
}
