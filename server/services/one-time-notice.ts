/**
 * The one-time notice of corrections (一次性告知, 行政许可法 第三十二条第四项): within a stage of a
 * case, the applicant is told once everything to correct, and a later return may only ask again
 * for what a notice of the stage named (returnNotice). The clerk's return form reads
 * the same notices, so that it offers only what the rule lets it ask for.
 */
import type { Connection } from '../../db/client'
import { fieldsHeldToApplicant, materialFileField, noticeFieldKeys, paperMaterialsAskable } from '../../shared/utils/corrections'
import { visibleFields } from '../../shared/utils/form-schema'
import { itemsNotNoticedBefore } from '../../shared/utils/workflow'
import type { NoticeItems } from '../../shared/utils/workflow'
import { caseInvalid } from './case-errors'
import { caseGuideMaterials } from './case-guide'
import { originOf } from './case-resubmission'
import type { CaseDbRow, SupplementNotice } from './case-views'
import { formVersionDefinition } from './stored-forms'

/**
 * The one-time notices given so far in the case's present stage: before acceptance, every return;
 * once accepted (also on receipt, by a notice given late, which is then the first of the new
 * stage), the returns from its acceptance on. Null when one of them was given before the notices
 * were recorded (case_events.notice, migration 0035): what it asked is unknown, and the case is
 * not held to it.
 */
export function noticesOfStage(conn: Connection, row: Pick<CaseDbRow, 'caseNo' | 'acceptedAt'>): NoticeItems[] | null {
  return returnsOfStage(conn, row)?.map(r => r.notice) ?? null
}

/** noticesOfStage with the time each notice was given, oldest first. */
export function returnsOfStage(conn: Connection, row: Pick<CaseDbRow, 'caseNo' | 'acceptedAt'>): { at: string, notice: NoticeItems }[] | null {
  const returns = conn.sqlite.prepare(`SELECT at, notice FROM case_events WHERE case_no = ? AND action = 'return' ORDER BY id`)
    .all(row.caseNo) as { at: string, notice: string | null }[]
  const stage = row.acceptedAt ? returns.filter(r => r.at >= row.acceptedAt!) : returns
  if (stage.some(r => r.notice === null)) return null
  return stage.map(r => ({ at: r.at, notice: JSON.parse(r.notice!) as NoticeItems }))
}

/**
 * Whether a return made today is the case's late acceptance decision: one given while the case is
 * submitted, not yet accepted, after its acceptance deadline. It counts the case as accepted on
 * receipt and is the first notice of the stage that acceptance opens, not held to those before it.
 */
export function returnOpensStage(row: Pick<CaseDbRow, 'status' | 'acceptedAt' | 'deadline'>, today: string): boolean {
  return row.status === 'submitted' && !row.acceptedAt && today > row.deadline
}

/**
 * The one-time notice: every field and material to fix must belong to this case's form and to
 * the guide version it was received under (a material renamed since is asked for by the name the
 * applicant read), and every field must be one the case's answers show. A hidden field listed
 * would be shown to the applicant, answered, and dropped on resubmission as the form hides it: a
 * correction asked for that can never arrive. A material is handed in through the form's file
 * field of that name (materialFileField), which the notice then lists too, so that the applicant
 * gets its upload and may change it; a material with no such field is brought on paper to the
 * counter by a counter case's applicant (paperMaterialsAskable) and cannot be handed in online, so
 * an online case's notice refuses it rather than asking in vain, as any case's refuses one whose
 * upload the answers hide. Nor may it list the answers held to the applicant (fieldsHeldToApplicant:
 * the person's name, ID number and mobile, except on an organisation's application): a correction
 * cannot change them, and asking would spend the one-time notice on nothing.
 */
export function returnNotice(conn: Connection, row: CaseDbRow, supplement: NoticeItems | undefined, comment: string, opensStage: boolean): SupplementNotice {
  const fields = [...new Set(supplement?.fields ?? [])]
  const materials = [...new Set(supplement?.materials ?? [])]
  const form = formVersionDefinition(conn, row.formVersionId)
  const keys = new Set(form?.fields.map(f => f.key) ?? [])
  const names = new Set(caseGuideMaterials(conn, row.caseNo).map(m => m.name))
  const errors: Record<string, string> = {}
  const shown = new Set(form ? visibleFields(form, JSON.parse(row.answers) as Record<string, unknown>).map(f => f.key) : [])
  const held = fieldsHeldToApplicant(form, originOf(row))
  fields.forEach((f, i) => {
    if (!keys.has(f)) errors[`supplement.fields.${i}`] ??= 'validation.unknownField'
    else if (held.has(f)) errors[`supplement.fields.${i}`] ??= 'case.errors.fieldHeldToApplicant'
    else if (!shown.has(f)) errors[`supplement.fields.${i}`] ??= 'case.errors.fieldHidden'
  })
  materials.forEach((m, i) => {
    const upload = materialFileField(form, m)
    if (!names.has(m)) errors[`supplement.materials.${i}`] ??= 'validation.option'
    else if (!upload && !paperMaterialsAskable(row.channel)) errors[`supplement.materials.${i}`] ??= 'case.errors.materialNotOnline'
    else if (upload && !shown.has(upload.key)) errors[`supplement.materials.${i}`] ??= 'case.errors.fieldHidden'
  })
  const earlier = opensStage ? [] : noticesOfStage(conn, row)
  const fresh = earlier ? itemsNotNoticedBefore(form, earlier, { fields, materials }) : { fields: [], materials: [] }
  for (const i of fresh.fields) errors[`supplement.fields.${i}`] ??= 'case.errors.oneTimeNotice'
  for (const i of fresh.materials) errors[`supplement.materials.${i}`] ??= 'case.errors.oneTimeNotice'
  // a later return of the stage that names nothing would only restart the acceptance clock: it
  // must ask again for something the notice named (a first notice may give a reason alone)
  if (earlier?.length && !fields.length && !materials.length) errors.supplement = 'case.errors.oneTimeNoticeNothing'
  if (Object.values(errors).some(e => e === 'case.errors.oneTimeNotice' || e === 'case.errors.oneTimeNoticeNothing')) {
    throw caseInvalid(errors, 'The one-time notice was given: a return may ask again only for what it named; accept the case, or refuse it while the acceptance period runs')
  }
  if (Object.keys(errors).length) throw caseInvalid(errors)
  return { fields: noticeFieldKeys(form, { fields, materials }), materials, comment }
}
