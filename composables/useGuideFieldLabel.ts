/**
 * A guide field's name in the page's language, from its problem path: `legalLimitDays` → 法定办结时限,
 * `specialProcedures[0].limitDays` → 特别程序第 1 项 · 时限. The editor's error summary and the
 * import's problem table both use it, so an administrator reads the same words in both places.
 * A part with no translation (a form's inner path, say) is shown as it is rather than as a key.
 */
export function useGuideFieldLabel() {
  const { t, te } = useI18n()
  return (path: string): string => {
    const parts = path.split(/[.[\]]+/).filter(Boolean)
    // a column named alike in two lists (basis: of a fee, of an intermediary service) is told apart by its list
    const label = (p: string) => {
      const key = te(`manage.fieldIn.${parts[0]}.${p}`) ? `manage.fieldIn.${parts[0]}.${p}` : `manage.field.${p}`
      return te(key) ? t(key) : p
    }
    const names: string[] = []
    for (const p of parts) {
      // an index names a row of the list before it: 特别程序 + 0 → 特别程序第 1 项
      if (/^\d+$/.test(p)) names.push(t('manage.rows.rowLabel', { what: names.pop() ?? '', n: Number(p) + 1 }))
      else names.push(label(p))
    }
    return names.join(t('manage.rows.pathSeparator'))
  }
}
