/**
 * The guide's optional elements (GuideOptionalElements) between their three homes: the stored
 * details JSON, the API, and the administrator's editor. "Not stated" has one form everywhere:
 * the key is left out (never null, never an empty list), so the guide page shows nothing for it.
 * The legal limit's unit is stated only when it is not the usual working days.
 */
import type { GuideOptionalElements, Material, ResultValidity, ResultValidityKind, SpecialProcedure } from '../types/catalogue'
import { OPTIONAL_GUIDE_KEYS, RESULT_VALIDITY_KINDS } from '../types/catalogue'
import type { GuideInput } from './guide-schema'

/** The optional elements a guide states: absent, null, blank and empty lists left out. */
export function optionalElements(g: GuideOptionalElements): GuideOptionalElements {
  const out: Record<string, unknown> = {}
  for (const key of OPTIONAL_GUIDE_KEYS) {
    const v = g[key]
    // a flag is stated only when set: false is the guide saying nothing
    if (v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && v.trim() === '')) continue
    if (key === 'legalLimitUnit' && v === 'working') continue
    out[key] = key === 'specialProcedures' ? (v as SpecialProcedure[]).map(specialProcedure) : v
  }
  return out as GuideOptionalElements
}

/**
 * What a guide keeps in the services.details JSON: its lists and the optional elements it states.
 * The seed loader and every publication write through here, so neither can drop an element.
 */
export function guideDetails(g: GuideInput) {
  const { conditions, materials, fees, steps, legalBasis, keywords } = g
  return { conditions, materials, fees, steps, legalBasis, keywords, ...optionalElements(g) }
}

/**
 * The validity as its two inputs hold it: a choice ('' not stated) and the months, kept while
 * another choice is made (a number input gives '' when emptied).
 */
export interface EditableValidity { kind: ResultValidityKind | '', months: number | string | null }

/** The optional elements as the editor's inputs hold them: every list present, texts blank when not stated. */
export type EditableOptional = { [K in Exclude<keyof GuideOptionalElements, 'resultValidity'>]-?: NonNullable<GuideOptionalElements[K]> }
  & { resultValidity: EditableValidity }

export function editableOptional(g: GuideOptionalElements): EditableOptional {
  return structuredClone({
    quantityLimit: g.quantityLimit ?? '', consultAddress: g.consultAddress ?? '', complaintAddress: g.complaintAddress ?? '',
    resultDelivery: g.resultDelivery ?? [], handlingChannels: g.handlingChannels ?? [],
    intermediaryServices: g.intermediaryServices ?? [],
    // the unit's select shows working days where the guide states none
    specialProcedures: (g.specialProcedures ?? []).map(p => ({ ...p, limitUnit: p.limitUnit ?? 'working' })),
    reviewCriteria: g.reviewCriteria ?? [], faq: g.faq ?? [], legalLimitUnit: g.legalLimitUnit ?? 'working',
    // carried through the editor as it was, so that editing the guide never drops it
    resultReplacesEarlier: g.resultReplacesEarlier ?? false,
    resultValidity: editableValidity(g.resultValidity),
  })
}

function editableValidity(v: ResultValidity | undefined): EditableValidity {
  if (!v) return { kind: '', months: null }
  if ('months' in v) return { kind: 'months', months: v.months }
  return { kind: RESULT_VALIDITY_KINDS.find(k => k in v) ?? '', months: null }
}

/**
 * The validity the editor states, if any. Months as typed, blank as null: the schema refuses
 * anything but a whole number beside the input, where a guess here would hide the mistake.
 */
function validityFromEditing(e: EditableValidity): ResultValidity | undefined {
  if (e.kind === '') return undefined
  if (e.kind === 'months') return { months: (e.months === '' ? null : e.months) as number }
  return { [e.kind]: true } as ResultValidity
}

/**
 * A special procedure as stored: its limit's unit stated only when it is not the usual working
 * days, as the item's own legal limit.
 */
function specialProcedure({ limitUnit, ...p }: SpecialProcedure): SpecialProcedure {
  return limitUnit === 'natural' ? { ...p, limitUnit } : p
}

/**
 * The editor's optional elements back in the guide's shape: blank ones left out, a special
 * procedure's emptied time limit (an empty number input gives '') left out as "not fixed".
 */
export function optionalFromEditing(e: EditableOptional): GuideOptionalElements {
  const specialProcedures = e.specialProcedures.map(({ limitDays, ...p }) => (typeof limitDays === 'number' ? { ...p, limitDays } : p))
  return optionalElements({ ...e, specialProcedures, resultValidity: validityFromEditing(e.resultValidity) })
}

/**
 * The guide with its optional elements replaced by the editor's: one the editor emptied is gone
 * from the guide, not kept from the version it started from.
 */
export function withEditedOptional(g: GuideInput, e: EditableOptional): GuideInput {
  const keys: readonly string[] = OPTIONAL_GUIDE_KEYS
  const rest = Object.fromEntries(Object.entries(g).filter(([k]) => !keys.includes(k)))
  return { ...rest, ...optionalFromEditing(e) } as GuideInput
}

/** A material as the editor sends it: the optional requirements left out unless stated (a box ticked, a choice made). */
export function tidyMaterial(m: Material): Material {
  const { note, materialType, paperSize, sampleAvailable, blankFormAvailable, fetched, ...rest } = m
  return {
    ...rest,
    ...(note?.trim() ? { note } : {}),
    ...(materialType ? { materialType } : {}),
    ...(paperSize ? { paperSize } : {}),
    ...(sampleAvailable ? { sampleAvailable } : {}),
    ...(blankFormAvailable ? { blankFormAvailable } : {}),
    ...(fetched ? { fetched } : {}),
  }
}
