/**
 * Text the e-licence PDF can set in its Latin font (Helvetica, WinAnsiEncoding): printable ASCII,
 * Latin-1 (José, Müller) and the typographic marks below. Shared so that what an editor may enter
 * as an English title is what the PDF prints, not question marks.
 */

/** Helvetica's WinAnsi bytes for the typographic marks outside Latin-1 that names and titles use. */
const WIN_ANSI: Record<string, number> = { '\u2018': 0x91, '\u2019': 0x92, '\u201C': 0x93, '\u201D': 0x94, '\u2022': 0x95, '\u2013': 0x96, '\u2014': 0x97, '\u2026': 0x85, '\u20AC': 0x80 }

/** The WinAnsi byte of `ch`, or undefined: printable ASCII and Latin-1 are their own code. */
export function winAnsiByte(ch: string): number | undefined {
  const cp = ch.codePointAt(0)!
  if ((cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xFF)) return cp
  return WIN_ANSI[ch]
}

/** Whether every character of `text` has a WinAnsi byte. */
export function isWinAnsiText(text: string): boolean {
  return Array.from(text).every(ch => winAnsiByte(ch) !== undefined)
}
