/** CSV export (RFC 4180) for reports opened in Excel or WPS. */

/** Prepend to the file so Excel reads UTF-8 (Chinese names) instead of the ANSI code page. */
export const CSV_BOM = '\uFEFF'

export type CsvCell = string | number | null

// spreadsheet programs run cells starting with these as formulas (CSV injection)
const FORMULA_START = /^[=+@\t\r-]/

function cell(v: CsvCell): string {
  if (v === null) return ''
  // numbers are the report's own values; NaN or Infinity would only mislead
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** Rows as CSV text: fields quoted when needed, records ended by CRLF; strings that look like formulas get a leading `'`. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(row => row.map(cell).join(',') + '\r\n').join('')
}
