/**
 * Whether a resubmission answers its one-time notice, judged alike by the server
 * (services/case-resubmission.ts) and by the correction form before it sends (CaseCorrectionForm).
 */
import type { FormDefinition, FormField } from '../types/catalogue'
import type { CaseOrigin } from './corrections'
import { correctableFields, fieldsHeldToApplicant } from './corrections'
import { visibleFields } from './form-schema'

const files = (v: unknown) => (Array.isArray(v) ? v as string[] : [])
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * What the notice asked for and the resubmission does not give, by field: the notice's items are
 * what the applicant must answer. Every file field asked for (a material, or the field itself) that
 * the corrected answers still show needs a file not on the case before ('case.errors.newFileNeeded':
 * the material asked for, handed in); and when the notice lists other answers, at least one answer
 * it lets change must have changed ('case.errors.notCorrected' on each of them), since a listed
 * answer found right after all need not change, but a resubmission changing nothing answers nothing.
 * Not counted: a field the corrected answers hide, and those the case holds fixed (the answers held
 * to the applicant, fieldsHeldToApplicant; the organisation's name and code), which can only be
 * confirmed. A notice with a reason only asks for nothing here.
 */
export function notCorrected(def: FormDefinition, origin: CaseOrigin, asked: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): Record<string, string> {
  const held = fieldsHeldToApplicant(def, origin)
  const fixed = (f: FormField) => f.prefill === 'orgName' || f.prefill === 'orgCode' || held.has(f.key)
  const shown = visibleFields(def, after).filter(f => asked.includes(f.key) && !fixed(f))
  const errors: Record<string, string> = {}
  for (const f of shown) {
    if (f.type !== 'file') continue
    const was = new Set(files(before[f.key]))
    if (!files(after[f.key]).some(id => !was.has(id))) errors[f.key] = 'case.errors.newFileNeeded'
  }
  const others = shown.filter(f => f.type !== 'file')
  const changed = [...correctableFields(def, asked)].some(k => !same(before[k], after[k]))
  if (others.length && !changed) for (const f of others) errors[f.key] = 'case.errors.notCorrected'
  return errors
}
