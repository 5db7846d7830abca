import type { FormDefinition } from '../types/catalogue'

/**
 * The fields a correction may answer: those the one-time notice lists, and those whose showIf
 * depends on one of them, transitively. A listed answer changed may bring up a required field (a
 * reason for renewal changed to 'changed' asks which details changed); if it could not be
 * answered, the case could never be resubmitted. The server (transitions.ts) allows exactly these
 * and the correction form (components/Case/CorrectionForm.vue) offers them.
 */
export function correctableFields(def: FormDefinition, listed: readonly string[]): Set<string> {
  const out = new Set(listed)
  // showIf refers to an earlier field, so one pass in form order follows every chain
  for (const f of def.fields) if (f.showIf && out.has(f.showIf.field)) out.add(f.key)
  return out
}
