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

/** `张**`: the first character, then one `*` per remaining character; a one-character name is `*`. */
export function maskName(s: string): string {
  // by code point, so a rare character outside the BMP (𠮷) is one character, not two
  const chars = Array.from(s.trim())
  if (chars.length <= 1) return '*'.repeat(chars.length)
  return chars[0] + '*'.repeat(chars.length - 1)
}
