import type { FormDefinition, FormField } from '../types/catalogue'

/**
 * The fields a correction may answer: those the one-time notice lists, and those whose showIf
 * depends on one of them, transitively. A listed answer changed may bring up a required field (a
 * reason for renewal changed to 'changed' asks which details changed); if it could not be
 * answered, the case could never be resubmitted. The server (services/case-resubmission.ts) allows exactly these
 * and the correction form (components/Case/CorrectionForm.vue) offers them.
 */
export function correctableFields(def: FormDefinition, listed: readonly string[]): Set<string> {
  const out = new Set(listed)
  // showIf refers to an earlier field, so one pass in form order follows every chain
  for (const f of def.fields) if (f.showIf && out.has(f.showIf.field)) out.add(f.key)
  return out
}

const sameName = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '')

/**
 * The file field of the form in which a material of the guide is handed in: the one labelled with
 * the material's name (the catalogue names every upload of a form after the material it carries,
 * and nothing else links the two). Undefined when the form has none: such a material (one the
 * department takes from the e-licence library, or one handed in on paper) cannot be handed in
 * with an online correction, so a one-time notice of an online case cannot ask for it
 * (case.errors.materialNotOnline); a counter case's applicant brings it on paper (paperMaterialsAskable).
 */
export function materialFileField(def: FormDefinition | null | undefined, material: string): FormField | undefined {
  return def?.fields.find(f => f.type === 'file' && sameName(f.label.zh, material))
}

/**
 * What a one-time notice asks the applicant to answer: the fields it lists and the file fields of
 * the materials it lists, once each. The server stores a notice with them already included; a
 * notice written before that still gets the upload for its materials.
 */
export function noticeFieldKeys(def: FormDefinition | null | undefined, notice: { fields: readonly string[], materials: readonly string[] } | null | undefined): string[] {
  if (!notice) return []
  const keys = [...notice.fields]
  for (const m of notice.materials) {
    const f = materialFileField(def, m)
    if (f && !keys.includes(f.key)) keys.push(f.key)
  }
  return keys
}

/** How a case was received and for whom, which decides what a correction may change. */
export interface CaseOrigin { channel: 'online' | 'counter', forOrganization: boolean }

/** The prefills that name the person applying. */
const PERSON_PREFILLS: readonly string[] = ['name', 'idNumber', 'mobile']

/**
 * The fields whose answers are held to the case's applicant, so that a correction cannot change
 * them and a one-time notice may not ask for them (case.errors.fieldHeldToApplicant): those
 * prefilled from the person's name, ID number and mobile, at the counter always (counter.ts,
 * withApplicantAnswers) and online for a person's own application (application-answers.ts,
 * notTheApplicantErrors). An organisation's application keeps them askable: its contact may be
 * anyone of it. The server's notice, the return limit and the clerk's form all read this.
 */
export function fieldsHeldToApplicant(def: FormDefinition | null | undefined, kase: CaseOrigin): Set<string> {
  if (kase.channel === 'online' && kase.forOrganization) return new Set()
  return new Set((def?.fields ?? []).filter(f => f.prefill !== undefined && PERSON_PREFILLS.includes(f.prefill)).map(f => f.key))
}

/**
 * Whether a one-time notice may name a material the form has no upload for: only a counter
 * case's, whose applicant brings it on paper to the counter, where the clerk records the
 * resubmission. Online there is no way to hand it in (case.errors.materialNotOnline).
 */
export function paperMaterialsAskable(channel: CaseOrigin['channel']): boolean {
  return channel === 'counter'
}

/** The materials of a notice that are brought to the counter on paper: those the form has no upload for. */
export function materialsOnPaper(def: FormDefinition | null | undefined, materials: readonly string[]): string[] {
  return materials.filter(m => !materialFileField(def, m))
}
