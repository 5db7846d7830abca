/** Case numbers (办件编号): `SZ` + the Shanghai date of submission YYYYMMDD + a 6-digit daily sequence. */
import { isIsoDate } from './working-days'

const CASE_NO = /^SZ(\d{4})(\d{2})(\d{2})(\d{6})$/

/** `formatCaseNo('2026-11-28', 42)` → `SZ20261128000042`. Throws on a bad date or a sequence outside 1..999999. */
export function formatCaseNo(date: string, seq: number): string {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`)
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError(`sequence must be 1..999999: ${seq}`)
  return `SZ${date.replaceAll('-', '')}${String(seq).padStart(6, '0')}`
}

/** The date and sequence of a case number, or null when it is not one (upper-case `SZ` only). */
export function parseCaseNo(s: string): { date: string, seq: number } | null {
  const m = typeof s === 'string' ? CASE_NO.exec(s) : null
  if (!m) return null
  const date = `${m[1]}-${m[2]}-${m[3]}`
  const seq = Number(m[4])
  return isIsoDate(date) && seq >= 1 ? { date, seq } : null
}

/** Whether a search text can be the beginning of a case number: 1–16 letters or digits (safe for LIKE 'q%'). */
export function isCaseNoPrefix(q: string): boolean {
  return typeof q === 'string' && /^[A-Za-z0-9]{1,16}$/.test(q)
}
