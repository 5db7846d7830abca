/**
 * What the clerk's return form may offer under the one-time notice (一次性告知): once a notice was
 * given in the case's stage, a new return may ask again only for what the stage's notices named
 * (one-time-notice.ts, returnNotice, refuses the rest). The form reads it here so that it offers only
 * those, instead of the clerk finding out after sending.
 */
import type { Connection } from '../../db/client'
import type { ReturnLimit } from '../../shared/types/case'
import type { FormDefinition } from '../../shared/types/catalogue'
import { fieldsHeldToApplicant } from '../../shared/utils/corrections'
import { itemsNotNoticedBefore } from '../../shared/utils/workflow'
import type { CaseDbRow } from './case-views'
import { returnOpensStage, returnsOfStage } from './one-time-notice'

/**
 * The items a return made on `today` (a Shanghai date) may ask for, or null when it may ask for
 * anything: no notice yet in the stage, a return that opens a new stage (returnOpensStage), or a
 * stage with a notice of unknown content (returnsOfStage null). `form` is the case's form version
 * and `guideMaterials` the names of its guide's materials, which caseDetail has read already.
 * Every candidate is put to itemsNotNoticedBefore, the rule the server holds the return to, so the
 * two cannot disagree: the form's fields, the guide's materials, and whatever the notices named.
 * A counter case's paper material named before is among them (its applicant brings it again).
 */
export function returnLimitOf(conn: Connection, row: CaseDbRow, today: string, form: FormDefinition | null, guideMaterials: readonly string[]): ReturnLimit | null {
  if (returnOpensStage(row, today)) return null
  const returns = returnsOfStage(conn, row)
  if (!returns?.length) return null
  const earlier = returns.map(r => r.notice)
  // never the answers held to the applicant, which the server refuses in any notice now, also
  // where an earlier one (given before that rule) named them
  const held = fieldsHeldToApplicant(form, { channel: row.channel, forOrganization: row.organizationId !== null })
  const fields = [...new Set([...(form?.fields.map(f => f.key) ?? []), ...earlier.flatMap(n => n.fields)])].filter(f => !held.has(f))
  const materials = [...new Set([...guideMaterials, ...earlier.flatMap(n => n.materials)])]
  const fresh = itemsNotNoticedBefore(form, earlier, { fields, materials })
  const named = (items: string[], refused: number[]) => items.filter((_, i) => !refused.includes(i))
  return { fields: named(fields, fresh.fields), materials: named(materials, fresh.materials), noticedAt: returns[0]!.at }
}
