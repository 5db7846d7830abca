import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { FormDefinition } from '../../shared/types/catalogue'
import { validateAnswers } from '../../shared/utils/form-schema'
import { isValidUscc, makeUscc, normalizeUscc, USCC_ALPHABET, usccCheckChar, usccProblem } from '../../shared/utils/uscc'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** Check character computed with the weights worked out on the spot (3^i mod 31). */
function independentCheck(prefix: string): string {
  let sum = 0
  let weight = 1
  for (const ch of prefix) {
    sum += ALPHABET.indexOf(ch) * weight
    weight = (weight * 3) % 31
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!
}

describe('GB 32100 unified social credit codes', () => {
  it('Tencent and Huawei in Shenzhen have valid codes', () => {
    expect(isValidUscc('9144030071526726XG')).toBe(true)
    expect(isValidUscc('914403001922038216')).toBe(true)
  })

  it('a company typing its code in lower case is accepted', () => {
    expect(isValidUscc('9144030071526726xg')).toBe(true)
    expect(normalizeUscc(' 9144030071526726xg ')).toBe('9144030071526726XG')
  })

  it('a code typed full-width or in its groups, as printed on a licence, is the code itself', () => {
    for (const typed of ['９１４４０３００ＭＡ５１００００１６', '91440300 MA51 000016', ' 91440300\u3000ma51\u3000000016 ', '９１４４ ０３００ ｍａ５１ ０００ ０１６', '91440300\u200BMA51000016']) {
      expect(normalizeUscc(typed), typed).toBe('91440300MA51000016')
      expect(usccProblem(typed), typed).toBeNull()
    }
    // the grouping does not make a wrong code right
    expect(usccProblem('９１４４０３００ＭＡ５１００００１７')).toBe('checksum')
    expect(usccProblem('91440300 MA51 00001')).toBe('format')
    expect(usccProblem('91440300 MA51 000016 0')).toBe('format')
  })

  it('a wrong check character is a checksum problem', () => {
    expect(usccProblem('9144030071526726XH')).toBe('checksum')
    expect(usccProblem('914403001922038217')).toBe('checksum')
  })

  it('the letters I, O, S, V and Z never occur', () => {
    for (const letter of 'IOSVZ') {
      expect(USCC_ALPHABET).not.toContain(letter)
      expect(usccProblem(`91440300715267${letter}6XG`)).toBe('format')
      expect(usccProblem(`9144030071526726X${letter}`)).toBe('format')
    }
  })

  it('wrong lengths and other characters are format problems', () => {
    for (const bad of ['', '9144030071526726X', '9144030071526726XGG', '91440300-1526726XG', '9144030071526726X_', '9144030071526726X。', '9144030071526726 G']) {
      expect(usccProblem(bad)).toBe('format')
    }
  })

  it('the check is 31 − (sum mod 31) with 31 written as 0', () => {
    // all zeros: sum 0, 31 − 0 = 31 → 0
    expect(usccCheckChar('00000000000000000')).toBe('0')
    // only the first position 1: sum 1 → 30 → Y, the last letter of the alphabet
    expect(usccCheckChar('10000000000000000')).toBe('Y')
    expect(makeUscc('91440300715267260')).toBe(`91440300715267260${independentCheck('91440300715267260')}`)
    expect(() => makeUscc('9144030071526726')).toThrow(RangeError)
    expect(() => makeUscc('9144030071526726I')).toThrow(RangeError)
  })

  const prefix = fc.array(fc.constantFrom(...ALPHABET.split('')), { minLength: 17, maxLength: 17 }).map(cs => cs.join(''))
  const validCode = prefix.map(p => p + independentCheck(p))

  it('every code completed with its check character validates', () => {
    fc.assert(fc.property(validCode, (code) => {
      expect(usccProblem(code)).toBeNull()
      expect(makeUscc(code.slice(0, 17))).toBe(code)
    }), { numRuns: 500 })
  })

  it('changing any one character to another character of the alphabet always fails', () => {
    fc.assert(fc.property(validCode, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, pos, shift) => {
      const replacement = ALPHABET[(ALPHABET.indexOf(code[pos]!) + shift) % 31]!
      const changed = code.slice(0, pos) + replacement + code.slice(pos + 1)
      expect(usccProblem(changed)).toBe('checksum')
    }), { numRuns: 1000 })
  })
})

describe('a credit code in an application form', () => {
  const label = { zh: '统一社会信用代码', en: 'Unified social credit code' }
  const FORM: FormDefinition = {
    version: 1,
    fields: [
      { key: 'orgCode', type: 'uscc', label, required: true },
      // an older form asks the code in a text field the organisation's record fills
      { key: 'legacyCode', type: 'text', label, required: false, prefill: 'orgCode' },
    ],
  }

  it('is stored as the code, however it was typed', () => {
    expect(validateAnswers(FORM, { orgCode: '９１４４０３００ＭＡ５１００００１６', legacyCode: '91440300 ma51 000016' }))
      .toEqual({ ok: true, value: { orgCode: '91440300MA51000016', legacyCode: '91440300MA51000016' } })
    expect(validateAnswers(FORM, { orgCode: '91440300 MA51 000017' })).toEqual({ ok: false, fieldErrors: { orgCode: 'validation.uscc.checksum' } })
  })
})
