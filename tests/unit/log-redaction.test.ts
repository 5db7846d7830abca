import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { redactForLog } from '../../server/utils/log-redaction'
import { isValidIdNumber, makeIdNumber } from '../../shared/utils/id-number'
import { syntheticIdNumber } from '../support/fixtures'

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map(a => a.join(''))

/** A mobile number as the carriers hand them out: 1, then 3–9, then nine digits. */
const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([second, rest]) => `1${second}${rest}`)

/** A valid ID number: a plausible area code, a real birth date since 1900, a sequence and its GB 11643 check character. */
const idNumber = fc.tuple(
  fc.tuple(fc.constantFrom('11', '31', '44', '51', '65', '81', '83'), digits(4)).map(([province, rest]) => province + rest),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
  digits(3),
).map(([area, birth, seq]) => makeIdNumber(`${area}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${seq}`))

/** Printable ASCII to its full-width form (０-９, Ｘ, ＋, －), a space to the ideographic one. */
function fullWidth(s: string): string {
  return Array.from(s, c => c === ' ' ? '\u3000' : c > ' ' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xFEE0) : c).join('')
}

const grouping = fc.constantFrom('', ' ', '-')
const mobileForm = fc.tuple(mobile, fc.constantFrom('', '+86', '86', '0086', '+86 ', '0086-', '(+86) ', '+86-', '0'), grouping, fc.boolean())
  .map(([m, prefix, sep, wide]) => {
    const written = `${prefix}${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)}`
    return { secret: m, written: wide ? fullWidth(written) : written }
  })
const idForm = fc.tuple(idNumber, fc.boolean(), grouping, fc.boolean())
  .map(([id, lower, sep, wide]) => {
    const check = lower ? id.slice(17).toLowerCase() : id.slice(17)
    const written = `${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14, 17)}${check}`
    return { secret: id, written: wide ? fullWidth(written) : written }
  })

// Random text of any script around the number, with something other than a digit either side
// (glued to other digits it would be a longer number, not this one). Letters right after it, as in
// `…2319abc` or `…2319X1`, are among the boundaries.
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
const left = fc.constantFrom(' ', ':', '/', '=', '号码', 'a', 'X', '(', '+', '\n', '，', '/api/services/')
const right = fc.constantFrom(' ', ',', 'abc', 'X1', 'x', '。', '/', '-', ')', '\n', '号')

// separators a reader could strip to read the digits back
const stripped = (s: string) => s.replace(/[\s.\-\u2010-\u2015()+]/g, '')

describe('what may reach a log line', () => {
  it('masks ID and mobile numbers wherever they stand in a path or a message', () => {
    expect(redactForLog('/api/services/44030119900101123x')).toBe('/api/services/440301********123X')
    expect(redactForLog('no account for 13812345678, 440301199001011234')).toBe('no account for 138****5678, 440301********1234')
  })

  it('masks a mobile number behind a country code or written in groups', () => {
    expect(redactForLog('/api/services/8613812345678')).toBe('/api/services/86138****5678')
    expect(redactForLog('call +8613812345678')).toBe('call +86138****5678')
    expect(redactForLog('0086 138 1234 5678')).toBe('0086 138****5678')
    expect(redactForLog('138-1234-5678, 138 1234 5678')).toBe('138****5678, 138****5678')
  })

  it('masks an ID number followed by letters, written in groups or in full-width digits', () => {
    expect(redactForLog('440305199003072319abc')).toBe('440305********2319abc')
    expect(redactForLog('440305199003072319X1')).toBe('440305********2319X1')
    expect(redactForLog('440305 19900307 2319')).toBe('440305********2319')
    expect(redactForLog('４４０３０５１９９００３０７２３１９')).toBe('440305********2319')
  })

  it('leaves case numbers, service codes, dates, long numbers and hex ids alone', () => {
    const text = '/api/cases/SZ20260105000001 SZRS-0004 2026-01-05 12345678901234567890 9f86d081884c7d659a2feaa0c55ad015 1767225600000 192.168.100.200'
    expect(redactForLog(text)).toBe(text)
  })

  it('leaves digit runs too long to be an ID or a mobile number as they are', () => {
    fc.assert(fc.property(fc.integer({ min: 19, max: 40 }).chain(digits), (run) => {
      expect(redactForLog(`n=${run};`, 1000)).toBe(`n=${run};`)
    }))
  })

  it('keeps a line to its maximum, counting characters rather than bytes', () => {
    expect(redactForLog('证'.repeat(500))).toBe('证'.repeat(300))
    expect(redactForLog('/a'.repeat(100), 10)).toBe('/a/a/a/a/a')
  })

  it('never lets a valid ID number through, whatever surrounds it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (serial, before, after) => {
      const id = syntheticIdNumber(serial)
      const line = redactForLog(`${before} ${id} ${after}`, 1000)
      expect(line).not.toContain(id)
    }))
  })

  it('never lets the digits of a mobile or ID number through, in any of the forms people write them', () => {
    fc.assert(fc.property(fc.oneof(mobileForm, idForm), text, left, right, text, ({ secret, written }, before, l, r, after) => {
      if (secret.length === 18) expect(isValidIdNumber(secret)).toBe(true)
      const line = stripped(redactForLog(`${before}${l}${written}${r}${after}`, 1000))
      const digitsOnly = secret.toUpperCase()
      expect(line).not.toContain(digitsOnly)
      // nor its middle: the birth date of an ID number, the four hidden digits of a mobile with a neighbour
      if (secret.length === 18) expect(line).not.toContain(secret.slice(6, 14))
      else expect(line).not.toContain(secret.slice(2, 8))
    }), { numRuns: 2000 })
  })
})
