/**
 * What more than one part of the guide editor (ManageGuideEditor and its components/Manage/Guide/
 * sections) needs, kept in one place so that a code and a problem read the same words everywhere.
 */

/** A closed list's codes as options in the page's language: `(AUDIENCES, 'catalogue.audience')`. */
export function useGuideOptions() {
  const { t } = useI18n()
  return <T extends string>(values: readonly T[], key: string) => values.map(v => ({ value: v, label: t(`${key}.${v}`) }))
}

/** A problem as "field: message" (`legalLimitDays`, `manage.rule.…` → 法定办结时限：…), as the summary says it. */
export function useGuideProblemLabel() {
  const { t } = useI18n()
  const problemText = useProblemText()
  const fieldLabel = useGuideFieldLabel()
  return (path: string, message: string) => t('text.labelled', { label: fieldLabel(path), message: problemText(message) })
}

/** Themes, keywords and choice lists have one anchor for the whole list; a problem of the guide as a whole goes to the code. */
const WHOLE_LIST_ANCHORS = new Set(['themes', 'keywords', 'handlingChannels', 'resultDelivery'])
function anchorOf(path: string): string {
  if (path === '_') return 'code'
  const top = path.split(/[.[]/)[0]!
  return WHOLE_LIST_ANCHORS.has(top) ? top : path
}

/**
 * Anchors in the order of the page. The schema reports problems in its own order (the optional
 * elements' rules after the basic ones, a row's cross-field rules before its columns), but the
 * summary should read like the form, top to bottom, as the GOV.UK error summary's guidance asks.
 * An anchor not on the page (a problem of the version) goes last.
 */
function byPageOrder(a: string, b: string): number {
  const [ea, eb] = [document.getElementById(a), document.getElementById(b)]
  if (!ea || !eb) return Number(!ea) - Number(!eb)
  if (ea === eb) return 0
  return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1
}

/**
 * The editor's errors by problem path (`steps[1].name`), shown beside the fields, and the error
 * summary that links to them: one state, owned by the editor, which passes `errors` to its sections.
 */
export function useGuideErrors() {
  const labelled = useGuideProblemLabel()
  const errors = ref<Record<string, string>>({})
  const summary = ref<{ key: string, message: string, href: string }[]>([])
  const summaryOf = (errs: Record<string, string>) => Object.entries(errs)
    .map(([path, message]) => ({ key: path, message: labelled(path, message), anchor: inputId('g', anchorOf(path)) }))
    .sort((a, b) => byPageOrder(a.anchor, b.anchor))
    .map(({ anchor, ...e }) => ({ ...e, href: `#${anchor}` }))

  /** The errors of a check: a new summary, which takes focus (FormErrorSummary focuses every new list). */
  function showErrors(next: Record<string, string>) {
    errors.value = next
    summary.value = summaryOf(next)
  }

  /**
   * The errors shown follow a row moved or removed (they are keyed by position: `steps[1].name`).
   * The summary's links are updated in the same list, not a new one, so focus stays on the row's
   * button the person just pressed instead of jumping back to the summary.
   */
  function rowChanged(change: RowChange) {
    errors.value = errorsAfterRowChange(errors.value, change)
    summary.value.splice(0, summary.value.length, ...summaryOf(errors.value))
  }

  return { errors, summary, showErrors, rowChanged }
}
