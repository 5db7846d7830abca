/**
 * What the clerk's return form (components/Case/ReturnNotice.vue) offers for a one-time notice
 * (一次性告知), as the server judges a return (one-time-notice.ts, returnNotice): pure, so that the unit
 * tests put every offered item to the server (tests/unit/return-limit.test.ts).
 */
import type { CaseDetail } from '../types/case'
import type { FormField } from '../types/catalogue'
import { fieldsHeldToApplicant, materialFileField, paperMaterialsAskable } from './corrections'
import { visibleFields } from './form-schema'

/** The case as the form reads it. */
export type ReturnOfferCase = Pick<CaseDetail, 'form' | 'answers' | 'serviceMaterials' | 'returnLimitedTo' | 'channel' | 'organization'>

/** A material offered, by its place in the guide's list (the checkbox's id) and whether it is brought on paper. */
export interface OfferedMaterial { name: string, index: number, paper: boolean }

export interface ReturnOffer {
  fields: FormField[]
  materials: OfferedMaterial[]
  /** the guide's materials named apart, which no return of this case can ask for (none under a limit) */
  notOnline: string[]
  /** whether answers held to the applicant are on the form and left out for that reason */
  heldLeftOut: boolean
}

/**
 * The fields the applicant's answers show (visibleFields, the server's own rule) but for those held
 * to the applicant (fieldsHeldToApplicant: a correction cannot change them) and the uploads of the
 * guide's materials (asked for by the material, not twice); the materials whose upload is shown,
 * and on a counter case those the form has no upload for, which the applicant brings on paper
 * (paperMaterialsAskable). Once the stage's notice was given, of those only what it named
 * (returnLimitedTo). A material whose upload the answers hide, or online one without an upload,
 * cannot be handed in and is named apart.
 */
export function returnOffer(kase: ReturnOfferCase): ReturnOffer {
  const limit = kase.returnLimitedTo ?? null
  const shown = kase.form ? visibleFields(kase.form, kase.answers) : []
  const shownKeys = new Set(shown.map(f => f.key))
  const held = fieldsHeldToApplicant(kase.form, { channel: kase.channel, forOrganization: kase.organization !== null })
  const uploads = new Set(kase.serviceMaterials.map(m => materialFileField(kase.form, m.name)?.key).filter(Boolean))
  const onPaper = paperMaterialsAskable(kase.channel)
  const all = kase.serviceMaterials.map((m, index) => {
    const upload = materialFileField(kase.form, m.name)
    return { name: m.name, index, online: shownKeys.has(upload?.key ?? ''), paper: onPaper && !upload }
  })
  return {
    fields: shown.filter(f => !uploads.has(f.key) && !held.has(f.key) && (!limit || limit.fields.includes(f.key))),
    materials: all.filter(m => (m.online || m.paper) && (!limit || limit.materials.includes(m.name)))
      .map(({ name, index, paper }) => ({ name, index, paper })),
    // under the limit a material not named before cannot be asked for another way either
    notOnline: limit ? [] : all.filter(m => !m.online && !m.paper).map(m => m.name),
    heldLeftOut: shown.some(f => held.has(f.key)),
  }
}
