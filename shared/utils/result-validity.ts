/**
 * How long an e-licence is valid, from its item's guide (`resultValidity`, GuideOptionalElements):
 * the last valid day, or null for a long-term licence (长期), which never expires. Computed once,
 * when the licence is issued (server/services/result-issue.ts), and kept on it: a later change of the
 * guide leaves the licences already issued as they were.
 */
import type { ResultValidity } from '../types/catalogue'
import { birthDateOf } from './id-number'

/** A licence whose item says nothing: five years, as every licence had before the element existed. */
export const DEFAULT_VALIDITY_MONTHS = 60
/** A hundred years: beyond that a term is not a term, and the guide should say long-term. */
export const MAX_VALIDITY_MONTHS = 1200

/** Whom the licence is issued to, as result-issue.ts knows them: a person's ID number, an organisation's USCC. */
export interface ValidityHolder { kind: 'person' | 'organization', idNumber: string }

/**
 * The age bands of the two laws, as [below this age, months; null for long-term], in order. An
 * age "以上" in Chinese law includes itself (民法典 第一千二百五十九条), so 16 is the first of the second band.
 */
const AGE_BANDS: Record<'byIdCardAge' | 'byPassportAge', readonly (readonly [number, number | null])[]> = {
  // 居民身份证法 第五条: under 16 five years, 16–25 ten, 26–45 twenty, 46 and over long-term
  byIdCardAge: [[16, 60], [26, 120], [46, 240], [Infinity, null]],
  // 护照法 第六条: under 16 five years, 16 and over ten
  byPassportAge: [[16, 60], [Infinity, 120]],
}

/**
 * The last valid day of a licence issued on `issued` (YYYY-MM-DD) for `months`: the day before the
 * same calendar day that many months later. Where that month has no such day (31 January plus one
 * month, 29 February plus five years) it is that month's last day, as the five years before this
 * element gave 28 February for a licence issued on 29 February.
 */
export function lastValidDay(issued: string, months: number): string {
  const [y, m, d] = issued.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(y, m - 1 + months, 1))
  const [ty, tm] = [first.getUTCFullYear(), first.getUTCMonth()]
  const daysInMonth = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate()
  return new Date(Date.UTC(ty, tm, Math.min(d, daysInMonth + 1) - 1)).toISOString().slice(0, 10)
}

/**
 * Full years of age (周岁) on `day` of someone born on `birth`, both YYYY-MM-DD: one more on each
 * birthday; someone born on 29 February is a year older on 1 March of a common year.
 */
export function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4))
  return day.slice(5) < birth.slice(5) ? years - 1 : years
}

/**
 * The months a licence issued on `issued` to `holder` is valid for under `rule`, null for long-term.
 * An age rule needs a person's birth date from their ID number (GB 11643); an organisation has no
 * age, nor has a number without a real birth date, and both get the default.
 */
export function validityMonths(rule: ResultValidity | undefined, issued: string, holder: ValidityHolder): number | null {
  if (!rule) return DEFAULT_VALIDITY_MONTHS
  if ('months' in rule) return rule.months
  if ('longTerm' in rule) return null
  const birth = holder.kind === 'person' ? birthDateOf(holder.idNumber) : null
  if (birth === null || birth > issued) return DEFAULT_VALIDITY_MONTHS
  const age = ageOn(birth, issued)
  const bands = AGE_BANDS['byIdCardAge' in rule ? 'byIdCardAge' : 'byPassportAge']
  return bands.find(([below]) => age < below)![1]
}

/** The last valid day (YYYY-MM-DD) of a licence issued on `issued` to `holder`, or null for a long-term one. */
export function validUntilOf(rule: ResultValidity | undefined, issued: string, holder: ValidityHolder): string | null {
  const months = validityMonths(rule, issued, holder)
  if (months === null) return null
  const last = lastValidDay(issued, months)
  // a 居民身份证 is printed valid from its issue day to the same day years later (2026.12.07–2046.12.07),
  // and holds on that day; a passport ends the day before, as every other licence here
  return rule && 'byIdCardAge' in rule && holder.kind === 'person' && birthOk(holder.idNumber, issued) ? addOneDay(last) : last
}

function birthOk(idNumber: string, issued: string): boolean {
  const birth = birthDateOf(idNumber)
  return birth !== null && birth <= issued
}

function addOneDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}
