/** Mobile numbers and e-mail addresses. */

/** Mainland mobile numbers: 11 digits, 1 then 3–9, as normalMobile leaves them. */
export function isValidMobile(s: string): boolean {
  return typeof s === 'string' && /^1[3-9]\d{9}$/.test(s)
}

/**
 * A mobile number as people write it, as the 11 digits it is: spaces and dashes between the groups
 * (138 1234 5678, 138-1234-5678), full-width digits from a Chinese input method (NFKC), and the
 * country code +86 or 0086 before a mainland number, and invisible marks are dropped. Anything else is left for
 * isValidMobile to refuse. Run by the shared schemas, so the browser and the server agree.
 */
export function normalMobile(s: string): string {
  // also the invisible marks a phone's contacts put around a number copied from them (direction
  // marks, zero-width spaces, a byte-order mark), which the person cannot see to delete
  const compact = s.normalize('NFKC').replace(/[\s\-\u2010-\u2015\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '')
  return /^(?:\+|00)861[3-9]\d{9}$/.test(compact) ? compact.slice(compact.length - 11) : compact
}

// one DNS label: letters, digits, inner hyphens, at most 63 characters
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.[A-Za-z]{2,63}$`)

/**
 * A practical e-mail check (not full RFC 5322: no quoted local parts or IP literals, which
 * mail systems of the government do not accept): at most 254 characters, local part at most 64.
 */
export function isValidEmail(s: string): boolean {
  if (typeof s !== 'string' || s.length > 254) return false
  const at = s.lastIndexOf('@')
  if (at < 1) return false
  const local = s.slice(0, at)
  const domain = s.slice(at + 1)
  return local.length <= 64 && LOCAL.test(local) && DOMAIN.test(domain)
}
