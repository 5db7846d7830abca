/**
 * The form builder's problems (formDefinitionProblems) placed on the page: each in the page's
 * language with the input it is about, for the validity panel's links, and the messages beside
 * each input. Worked out afresh from the definition on every change, so after a field is moved
 * they are already keyed by its new position.
 */
import type { FormDefinition, FormField } from '~~/shared/types/catalogue'
import type { BuilderTarget } from '~/composables/useManage'

/** A problem as the validity panel lists it: its words, and the input it links to (if any). */
export interface LocatedProblem { key: string, target: BuilderTarget | null, id: string | null, message: string, text: string }

/** `uid` is the builder's own row ids (useRowIds), which the inputs' ids are made of. */
export function useFormBuilderProblems(def: Ref<FormDefinition>, uid: (row: object) => number) {
  const { t } = useI18n()
  const localName = useLocalName()
  const problemText = useProblemText()
  const problems = computed(() => formDefinitionProblems(def.value))

  /** What the builder's inputs are called, to name a problem's place as the editor reads it (中文标签, not label.zh). */
  function inputLabel(target: BuilderTarget): string {
    const { input } = target
    if (target.row === 'sections') return t(`manage.builder.section${input === 'key' ? 'Key' : input === 'zh' ? 'Zh' : 'En'}`, { n: target.index + 1 })
    if (input === 'add-field') return t('manage.builder.fields', { n: def.value.fields.length })
    if (input === 'add-section') return t('manage.builder.sections')
    const option = /^option-(\d+)-(value|zh|en)$/.exec(input)
    if (option) return t(`manage.builder.option${option[2] === 'value' ? 'Value' : option[2] === 'zh' ? 'Zh' : 'En'}`, { n: Number(option[1]) + 1 })
    if (input.startsWith('showIf')) return t('manage.builder.showIf')
    return t(`manage.builder.${input.replace(/-(zh|en)$/, (_, l: string) => l === 'zh' ? 'Zh' : 'En')}`)
  }

  /** `fields.2.label.zh` → 第 3 个字段（申请人姓名） · 中文标签 */
  function problemPlace(path: string, target: BuilderTarget | null): string {
    if (!target) return path
    if (target.row !== 'fields') return inputLabel(target)
    const field = def.value.fields[target.index]
    const name = field ? localName(field.label?.zh ?? '', field.label?.en ?? '') : ''
    return `${t('manage.builder.fieldN', { n: target.index + 1, name })}${t('manage.rows.pathSeparator')}${inputLabel(target)}`
  }

  /** The id of the input (or add button) a problem is about, as the builder's templates name them. */
  function targetId(target: BuilderTarget): string {
    if (target.row === 'fields') return `fb-${uid(def.value.fields[target.index]!)}-${target.input}`
    if (target.row === 'sections') return `fs-${uid(def.value.sections![target.index]!)}-${target.input}`
    return `fb-${target.input}`
  }

  /**
   * Each problem with the input it is about, for the GOV.UK-style list of links: a keyboard or
   * screen-reader user goes straight to the input instead of hunting through the fields for it.
   */
  const located = computed<LocatedProblem[]>(() => problems.value.map((p, i) => {
    const target = builderProblemTarget(def.value, p.path)
    const message = problemText(p.message)
    return { key: `${i}:${p.path}`, target, id: target ? targetId(target) : null, message, text: t('text.labelled', { label: problemPlace(p.path, target), message }) }
  }))

  /** The messages of each input, joined when one input has several problems, keyed by the input's id. */
  const messagesById = computed(() => {
    const out: Record<string, string> = {}
    for (const p of located.value) if (p.id) out[p.id] = out[p.id] ? `${out[p.id]} ${p.message}` : p.message
    return out
  })
  /** One field's messages keyed as FieldEditor names its inputs (`label-zh`), for aria-invalid and the text beside each. */
  function fieldErrors(f: FormField): Record<string, string> {
    const prefix = `fb-${uid(f)}-`
    return Object.fromEntries(Object.entries(messagesById.value).filter(([id]) => id.startsWith(prefix)).map(([id, m]) => [id.slice(prefix.length), m]))
  }
  const problemCount = (i: number) => located.value.filter(p => p.target?.row === 'fields' && p.target.index === i).length

  return { problems, located, messagesById, fieldErrors, problemCount }
}
