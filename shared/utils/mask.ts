/** Masks for personal data shown on screens, lists and public pages (contract: Masks). */

/** `440301********123X`: first 6 and last 4 characters; anything too short to mask that way becomes all `*`. */
export function maskIdNumber(s: string): string {
  const id = s.trim().toUpperCase()
  // under 11 characters the kept parts would overlap and reveal everything
  if (id.length < 11) return '*'.repeat(id.length)
  return `${id.slice(0, 6)}********${id.slice(-4)}`
}

/** `138****5678`: first 3 and last 4 digits; anything shorter than 8 becomes all `*`. */
export function maskMobile(s: string): string {
  const m = s.trim()
  if (m.length < 8) return '*'.repeat(m.length)
  return `${m.slice(0, 3)}${'*'.repeat(m.length - 7)}${m.slice(-4)}`
}

/**
 * Words of Latin letters (José, O'Brien, Jean-Luc, the F. of John F. Kennedy) separated by spaces:
 * a name in Latin script of two or more words, as a foreigner's is registered.
 */
const LATIN_WORD = String.raw`[\p{M}'’.-]*\p{Script=Latin}[\p{Script=Latin}\p{M}'’.-]*`
const LATIN_NAME = new RegExp(String.raw`^${LATIN_WORD}(?:\s+${LATIN_WORD})+$`, 'u')
const LATIN_LETTER = /\p{Script=Latin}/u

/** Whether maskName shows the name as a Latin-script one (`J. Smith`) rather than by its first character. */
export function isLatinScriptName(s: string): boolean {
  return LATIN_NAME.test(s.trim())
}

/**
 * `张**`: the first character, then one `*` per remaining character; a one-character name is `*`.
 * A Latin-script name of several words keeps its last word and the initial of every other one:
 * `John Smith` → `J. Smith`, `Mary Ann Lee` → `M. A. Lee`. The last word is the family name in
 * the Western order such a name is written in (a passport's pinyin written surname first,
 * `Zhang Wei`, shows `Z. Wei`: the given name, and no more of the name). By the first character,
 * `John Smith` was `J*********`: the given name's initial, which /verify called the family name,
 * and nothing a verifier could compare with a passport. A single Latin word (`Madonna`) has no
 * family name to keep apart: `M******`, as any other name.
 */
export function maskName(s: string): string {
  const name = s.trim()
  if (isLatinScriptName(name)) {
    const words = name.split(/\s+/)
    const family = words.pop()!
    // the initial is the word's first letter: `'t Hooft`'s is t, not the apostrophe
    return [...words.map(w => `${LATIN_LETTER.exec(w)![0]}.`), family].join(' ')
  }
  // by code point, so a rare character outside the BMP (𠮷) is one character, not two
  const chars = Array.from(name)
  if (chars.length <= 1) return '*'.repeat(chars.length)
  return chars[0] + '*'.repeat(chars.length - 1)
}

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

/** What a character folds to (NFKC) when that is part of how a number is written: a digit, X, a sign, a separator. */
const NUMBER_CHAR = /^[\dXx+\-.()\s\u2010-\u2015]$/
const folds = new Map<string, string>()

/**
 * The text with every character that NFKC folds to a character of a number (full-width ４ and Ｘ,
 * the ideographic space, ＋, －, ①) replaced by that character, and every other left as it is:
 * the same length, position for position, so what matches here can be masked in the text itself.
 */
function foldNumberChars(text: string): string {
  let out = ''
  for (const c of text) {
    if (c < '\u0080' || c.length > 1) {
      out += c
      continue
    }
    let f = folds.get(c)
    if (f === undefined) {
      const n = c.normalize('NFKC')
      f = NUMBER_CHAR.test(n) ? n : c
      folds.set(c, f)
    }
    out += f
  }
  return out
}

/** `re`'s matches in `folded` masked in both `text` and `folded` (aligned, see foldNumberChars); `mask` keeps the first `keep` characters as written. */
function maskMatches(text: string, folded: string, re: RegExp, mask: (m: RegExpExecArray) => { keep: number, masked: string }): [string, string] {
  let t = ''
  let f = ''
  let last = 0
  for (const m of folded.matchAll(re)) {
    const { keep, masked } = mask(m)
    const start = m.index
    t += text.slice(last, start + keep) + masked
    f += folded.slice(last, start + keep) + masked
    last = start + m[0].length
  }
  return [t + text.slice(last), f + folded.slice(last)]
}

/**
 * ID numbers (18 characters, or the old 15 digits) and mainland mobile numbers (with or without
 * +86, 0086 or a trunk 0) inside free text, masked as maskIdNumber and maskMobile show them, and
 * written in groups (`138 1234 5678`, `440305-19900307-2319`) or in full-width digits alike; the
 * rest of the text is left exactly as written. Other numbers stay: a case number
 * (SZ20261204000005), a date, a time, an amount, a number too long to be either. For what people
 * write that others read (a rating's comment shown to staff) and, through redactForLog, for logs.
 */
export function maskPersonalNumbers(text: string): string {
  const folded = foldNumberChars(text)
  const [t1, f1] = maskMatches(text, folded, ID_NUMBER, m => ({ keep: 0, masked: maskIdNumber(m[0].replace(/[^\dXx]/g, '')) }))
  const [t2] = maskMatches(t1, f1, MOBILE, m => ({ keep: m[1]?.length ?? 0, masked: maskMobile(m[2]!.replace(/\D/g, '')) }))
  return t2
}
