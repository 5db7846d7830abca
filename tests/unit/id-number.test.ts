import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { birthDateOf, idNumberCheckChar, idNumberProblem, isValidIdNumber, makeIdNumber, normalizeIdNumber } from '../../shared/utils/id-number'

const TODAY = '2026-11-28'

/**
 * ISO 7064 MOD 11-2 written the other way round from the module (weights 2^(17-i) mod 11,
 * check value (12 − sum mod 11) mod 11), so the tests do not just repeat the code under test.
 */
function independentCheck(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11)
  const v = (12 - (sum % 11)) % 11
  return v === 10 ? 'X' : String(v)
}

describe('GB 11643 ID numbers', () => {
  it('accepts the example numbers of the standard', () => {
    expect(isValidIdNumber('11010519491231002X', TODAY)).toBe(true)
    expect(isValidIdNumber('440524188001010014', '2026-01-01')).toBe(false) // born 1880: before 1900
    expect(idNumberProblem('440524188001010014', TODAY)).toBe('birthDate')
  })

  it('a citizen born on 29 Feb 2000 has a valid ID number', () => {
    expect(isValidIdNumber('440301200002291237', TODAY)).toBe(true)
    expect(birthDateOf('440301200002291237')).toBe('2000-02-29')
  })

  it('a citizen whose number ends in a lower-case x is accepted, and normalised to X', () => {
    expect(isValidIdNumber('11010519491231002x', TODAY)).toBe(true)
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X')
  })

  it('29 Feb 1900 and 29 Feb 2100 do not exist (century years that are not leap years)', () => {
    expect(idNumberProblem(makeIdNumber('44030119000229123'), TODAY)).toBe('birthDate')
    expect(birthDateOf(makeIdNumber('44030119000229123'))).toBeNull()
  })

  it('refuses 30 February, month 13 and day 00 as birth dates', () => {
    expect(idNumberProblem(makeIdNumber('44030119900230123'), TODAY)).toBe('birthDate')
    expect(idNumberProblem(makeIdNumber('44030119901301123'), TODAY)).toBe('birthDate')
    expect(idNumberProblem(makeIdNumber('44030119900100123'), TODAY)).toBe('birthDate')
  })

  it('refuses a birth date in the future but accepts a baby born today', () => {
    expect(idNumberProblem(makeIdNumber('44030120261129123'), TODAY)).toBe('birthDate')
    expect(idNumberProblem(makeIdNumber('44030120261128123'), TODAY)).toBeNull()
    expect(idNumberProblem(makeIdNumber('44030118991231123'), TODAY)).toBe('birthDate')
    expect(idNumberProblem(makeIdNumber('44030119000101123'), TODAY)).toBeNull()
  })

  it('reports a wrong check character as a checksum problem', () => {
    expect(idNumberProblem('110105194912310021', TODAY)).toBe('checksum')
    expect(idNumberProblem('440301200002291238', TODAY)).toBe('checksum')
    expect(idNumberProblem('44030119900101123X', TODAY)).toBe('checksum')
  })

  it('refuses a number no province issues, with a correct check character, as a region problem', () => {
    // 00, 10, 19, 20, 40, 66, 70, 80, 84, 99: no province, region or residence permit starts so
    for (const start of ['00', '10', '19', '20', '40', '66', '70', '80', '84', '99']) {
      expect(idNumberProblem(makeIdNumber(`${start}030119900101123`), TODAY), start).toBe('region')
    }
    // told before the birth date: the first digits are the first thing to check
    expect(idNumberProblem(makeIdNumber('00030119900230123'), TODAY)).toBe('region')
  })

  it('accepts the residence permits of Hong Kong, Macao and Taiwan residents and a foreigner\'s permanent residence card', () => {
    expect(idNumberProblem(makeIdNumber('81000019900101123'), TODAY)).toBeNull()
    expect(idNumberProblem(makeIdNumber('82000019900101123'), TODAY)).toBeNull()
    expect(idNumberProblem(makeIdNumber('83000019900101123'), TODAY)).toBeNull()
    // 2023 card: 9, the issuing province (44 Guangdong), the nationality code (840), then as a citizen's
    expect(idNumberProblem(makeIdNumber('94484019900101123'), TODAY)).toBeNull()
    expect(idNumberProblem(makeIdNumber('90084019900101123'), TODAY)).toBe('region')
  })

  it('reports the wrong shape as a format problem', () => {
    for (const bad of ['', '11010519491231002', '11010519491231002XX', '1101051949123100X2', 'A1010519491231002X', '11010519491231002Y', '1101051949123100X２']) {
      expect(idNumberProblem(bad, TODAY)).toBe('format')
    }
    expect(birthDateOf('not a number')).toBeNull()
  })

  it('reads full-width digits and spaces between the groups as the number they are', () => {
    // typed with a Chinese input method in full-width mode, or copied from the card with its gaps
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X')
    expect(normalizeIdNumber(' 110105 19491231 002x\u200B')).toBe('11010519491231002X')
    expect(idNumberProblem('１１０１０５１９４９１２３１００２X', TODAY)).toBeNull()
    expect(idNumberProblem('110105 19491231 002X', TODAY)).toBeNull()
  })

  it('computes the check character as the standard does', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X')
    expect(idNumberCheckChar('44052418800101001')).toBe('4')
    expect(() => idNumberCheckChar('1234')).toThrow(RangeError)
  })

  const PROVINCES = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83']
  const validNumber = fc.record({
    area: fc.tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 0, max: 9999 })).map(([province, rest]) => `${province}${String(rest).padStart(4, '0')}`),
    day: fc.integer({ min: 0, max: 46_000 }), // days after 1900-01-01, up to about 2025
    seq: fc.integer({ min: 0, max: 999 }),
  }).map(({ area, day, seq }) => {
    const birth = new Date(Date.UTC(1900, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')
    const first17 = `${area}${birth}${String(seq).padStart(3, '0')}`
    return first17 + independentCheck(first17)
  })

  it('every number built from a real birth date, area and sequence validates', () => {
    fc.assert(fc.property(validNumber, (id) => {
      expect(idNumberProblem(id, TODAY)).toBeNull()
      expect(isValidIdNumber(id.toLowerCase(), TODAY)).toBe(true)
    }), { numRuns: 500 })
  })

  it('changing any one character to another digit always makes the number invalid', () => {
    fc.assert(fc.property(validNumber, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (id, pos, shift) => {
      const current = id[pos] === 'X' ? 10 : Number(id[pos])
      const replacement = String((current + shift) % 10)
      const changed = id.slice(0, pos) + replacement + id.slice(pos + 1)
      expect(changed).not.toBe(id)
      expect(isValidIdNumber(changed, TODAY)).toBe(false)
    }), { numRuns: 1000 })
  })

  it('swapping two different adjacent digits of the body is detected', () => {
    fc.assert(fc.property(validNumber, fc.integer({ min: 0, max: 15 }), (id, pos) => {
      fc.pre(id[pos] !== id[pos + 1])
      const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2)
      expect(isValidIdNumber(swapped, TODAY)).toBe(false)
    }), { numRuns: 500 })
  })
})
