/**
 * Resident identity card numbers (公民身份号码), GB 11643-1999: 6-digit area code,
 * 8-digit birth date, 3-digit sequence, 1 check character (ISO 7064 MOD 11-2).
 * The same 18 characters are on the residence permits of Hong Kong, Macao and Taiwan residents
 * (area 810000, 820000, 830000) and on the foreigner's permanent residence card of 2023 (9, then
 * the issuing province's two digits).
 */
import { isIsoDate, todayInShanghai } from './working-days'

export type IdNumberProblem = 'format' | 'region' | 'birthDate' | 'checksum'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'
const SHAPE = /^\d{17}[\dXx]$/

/**
 * The first two digits of an area code (GB/T 2260): the provinces, autonomous regions and
 * municipalities, 71 for Taiwan, and 81, 82, 83 for the residence permits of Hong Kong, Macao and
 * Taiwan residents. A number outside them was never issued: a mistyped first digit the check
 * character can miss when a second digit is wrong too.
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
])

/** Whether the number starts as an issued one: a province's code, or 9 and the issuing province's (a foreigner's card). */
function hasIssuedRegion(id: string): boolean {
  return PROVINCES.has(id.slice(0, 2)) || (id[0] === '9' && PROVINCES.has(id.slice(1, 3)))
}

/**
 * The form stored and compared everywhere: full-width digits and letters from a Chinese input
 * method folded to ASCII (NFKC), spaces and invisible marks between the groups dropped (110105
 * 19491231 002X, as printed on a card), the check character upper-cased. What is left is judged
 * by its shape: anything else is not an ID number.
 */
export function normalizeIdNumber(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '').toUpperCase()
}

/** The check character for the first 17 digits. Throws when `first17` is not 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('need exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

/** Completes 17 digits with their check character (for tests and demo data). */
export function makeIdNumber(first17: string): string {
  return first17 + idNumberCheckChar(first17)
}

/**
 * Birth date 'YYYY-MM-DD' encoded in positions 7–14, or null when the number is not
 * 18 characters of the right shape or the date is not a real calendar date.
 */
export function birthDateOf(s: string): string | null {
  const id = normalizeIdNumber(s)
  if (!SHAPE.test(id)) return null
  const date = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  return isIsoDate(date) ? date : null
}

/**
 * Why an ID number is invalid, or null when it is valid. Checks run in this order so the
 * applicant is told the most basic problem first: 'format', 'region' (no province starts so),
 * 'birthDate' (not a real date, before 1900 or after `today`), then 'checksum'.
 */
export function idNumberProblem(s: string, today: string = todayInShanghai()): IdNumberProblem | null {
  if (typeof s !== 'string') return 'format'
  const id = normalizeIdNumber(s)
  if (!SHAPE.test(id)) return 'format'
  if (!hasIssuedRegion(id)) return 'region'
  const birth = birthDateOf(id)
  if (birth === null || birth < '1900-01-01' || birth > today) return 'birthDate'
  return idNumberCheckChar(id.slice(0, 17)) === id[17] ? null : 'checksum'
}

/** True for a valid GB 11643 ID number (a lower-case check `x` is accepted). */
export function isValidIdNumber(s: string, today?: string): boolean {
  return idNumberProblem(s, today) === null
}
