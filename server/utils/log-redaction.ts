/** What may reach a log line: ID and mobile numbers masked, and the line kept short. */
import { maskIdNumber, maskMobile } from '../../shared/utils/mask'

// What people put between the groups of a number: `440305 19900307 2319`, `138-1234-5678`,
// `138.1234.5678`. Only between the groups, so a date, a time or an address is not taken for one.
const SEP = String.raw`[\s.\-\u2010-\u2015]{0,3}`

// Bounded by digits only, not by letters: `440305199003072319abc` and `…2319X1` are still an ID
// number, while a 20-digit number or a 16-digit run inside a hex id is left alone. An X check
// character ends the number whatever follows it. 15 digits are the old first-generation numbers
// (their area code never starts with 0, which leaves `0086138…` to the mobile pattern).
const ID_NUMBER = new RegExp(String.raw`(?<!\d)(?:\d{6}${SEP}\d{4}${SEP}\d{4}${SEP}\d{3}(?:\d(?!\d)|[Xx])|[1-9]\d{14}(?!\d))`, 'g')

// The country code (+86, 86, 0086, (+86)) or a trunk 0 belongs to the number: a digit before the
// mobile number itself must not hide it, as in `+8613812345678`.
const MOBILE = new RegExp(String.raw`(?<!\d)(\(?(?:\+|00)?86\)?${SEP}|0)?(1[3-9]\d${SEP}\d{4}${SEP}\d{4})(?!\d)`, 'g')

/**
 * Masks ID and mobile numbers and keeps a line to `max` characters. Full-width digits, spaces and
 * hyphens (`４４０３０５…`) are folded to ASCII first (NFKC), so they are matched like any other;
 * the rest of the line comes out folded too, which a log reader does not mind.
 */
export function redactForLog(text: string, max = 300): string {
  const masked = text.normalize('NFKC')
    .replace(ID_NUMBER, s => maskIdNumber(s.replace(/[^\dXx]/g, '')))
    .replace(MOBILE, (_s, prefix: string | undefined, national: string) => (prefix ?? '') + maskMobile(national.replace(/\D/g, '')))
  return Array.from(masked).slice(0, max).join('')
}
