import { describe, expect, it } from 'vitest'
import { CSV_BOM, toCsv } from '../../shared/utils/csv'

describe('CSV export', () => {
  it('writes plain rows with CRLF line ends', () => {
    expect(toCsv([['code', 'rate'], ['D1', 0.9167], ['D2', null]])).toBe('code,rate\r\nD1,0.9167\r\nD2,\r\n')
  })

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'cr\rhere']])).toBe('"a,b","say ""hi""","two\nlines","cr\rhere"\r\n')
  })

  it('keeps Chinese text as it is; the BOM is for the caller to prepend', () => {
    expect(CSV_BOM).toBe('\uFEFF')
    expect(toCsv([['深圳市市场监督管理局', 12]])).toBe('深圳市市场监督管理局,12\r\n')
  })

  it('a department name crafted as a formula is defused', () => {
    expect(toCsv([['=HYPERLINK("http://evil","x")']])).toBe('"\'=HYPERLINK(""http://evil"",""x"")"\r\n')
    expect(toCsv([['+1+1', '-2', '@SUM(A1)', '\tx', '\rx']])).toBe('\'+1+1,\'-2,\'@SUM(A1),\'\tx,"\'\rx"\r\n')
  })

  it('numbers are numbers, even negative ones; NaN and Infinity become empty', () => {
    expect(toCsv([[-3, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY]])).toBe('-3,0,1.5,,\r\n')
  })

  it('an empty table is empty text', () => {
    expect(toCsv([])).toBe('')
  })
})
