/**
 * Unified social credit codes (统一社会信用代码), GB 32100-2015: 17 characters plus a
 * check character, all from a 31-character alphabet without I, O, S, V and Z
 * (they are too easily confused with 1, 0, 5, U and 2).
 */

export type UsccProblem = 'format' | 'checksum'

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** 3^(i-1) mod 31 for positions 1..17 */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const
const SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/

/**
 * The form stored and compared everywhere, as normalizeIdNumber makes an ID number's: full-width
 * letters and digits from a Chinese input method folded to ASCII (NFKC: ９１４４０３００ＭＡ… is
 * 91440300MA…), spaces and invisible marks between the groups dropped (91440300 MA51 000016, as
 * printed on a licence), and upper case. What is left is judged by usccProblem.
 */
export function normalizeUscc(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '').toUpperCase()
}

/** The check character for 17 characters of the alphabet. Throws on anything else. */
export function usccCheckChar(prefix17: string): string {
  if (!/^[0-9ABCDEFGHJKLMNPQRTUWXY]{17}$/.test(prefix17)) throw new RangeError('need 17 characters of the USCC alphabet')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(prefix17[i]!) * WEIGHTS[i]!
  // 31 − (sum mod 31), where 31 itself stands for 0
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!
}

/** Completes 17 characters with their check character (for tests and demo data). */
export function makeUscc(prefix17: string): string {
  return prefix17 + usccCheckChar(prefix17)
}

/** Why a code is invalid ('format' or 'checksum'), or null when valid. Judged normalised (normalizeUscc). */
export function usccProblem(s: string): UsccProblem | null {
  if (typeof s !== 'string') return 'format'
  const code = normalizeUscc(s)
  if (!SHAPE.test(code)) return 'format'
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : 'checksum'
}

/** True for a valid GB 32100 unified social credit code. */
export function isValidUscc(s: string): boolean {
  return usccProblem(s) === null
}
