import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isLatinScriptName, maskIdNumber, maskMobile, maskName } from '../../shared/utils/mask'

describe('masks of personal data', () => {
  it('an ID number shows its first six and last four characters', () => {
    expect(maskIdNumber('440301199001011234')).toBe('440301********1234')
    expect(maskIdNumber('44030119900101123x')).toBe('440301********123X')
  })

  it('a mobile number shows its first three and last four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678')
  })

  it('张三丰 becomes 张** and a one-character name is fully hidden', () => {
    expect(maskName('张三丰')).toBe('张**')
    expect(maskName('李四')).toBe('李*')
    expect(maskName('王')).toBe('*')
    expect(maskName('阿依古丽·买买提')).toBe('阿*******')
    expect(maskName('𠮷田')).toBe('𠮷*')
    expect(maskName('')).toBe('')
  })

  it('a Chinese name keeps the rule of its first character, compound surnames and names with a space too', () => {
    expect(maskName('王五')).toBe('王*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('张 三')).toBe('张**')
  })

  it('a name of several words in Latin letters keeps its last word, the family name, and the others\' initials', () => {
    expect(maskName('John Smith')).toBe('J. Smith')
    expect(maskName('  Mary Ann   Lee ')).toBe('M. A. Lee')
    expect(maskName('John F. Kennedy')).toBe('J. F. Kennedy')
    expect(maskName('José García')).toBe('J. García')
    expect(maskName('Jean-Luc Picard')).toBe('J. Picard')
    expect(maskName('Gerard \'t Hooft')).toBe('G. t. Hooft')
    expect(maskName('Seán O\'Brien')).toBe('S. O\'Brien')
    // the given names are not shown beyond their initials
    expect(maskName('Alexandra Smith')).not.toContain('lexandra')
  })

  it('a single Latin word, or a name that mixes scripts or punctuation, is masked by its first character', () => {
    expect(maskName('Madonna')).toBe('M******')
    expect(maskName('Smith, John')).toBe('S**********')
    expect(maskName('John 王')).toBe('J*****')
    expect(isLatinScriptName('- -')).toBe(false)
  })

  it('values too short to mask partly are hidden entirely', () => {
    expect(maskIdNumber('1234567890')).toBe('**********')
    expect(maskMobile('1234567')).toBe('*******')
  })

  it('a masked ID number or mobile never reveals the middle and keeps its length', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
      const m = maskIdNumber(id)
      expect(m).toHaveLength(18)
      expect(m.slice(6, 14)).toBe('********')
      expect(m.slice(0, 6) + m.slice(14)).toBe(id.slice(0, 6) + id.slice(14))
    }))
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (mobile) => {
      const m = maskMobile(mobile)
      expect(m).toHaveLength(11)
      expect(m).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`)
    }))
  })

  it('a masked name other than a Latin-script one of several words has as many characters as the name and only its first one is visible', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter(s => s.trim() !== '' && s === s.trim() && !isLatinScriptName(s)), (name) => {
      const chars = Array.from(name)
      const masked = Array.from(maskName(name))
      expect(masked).toHaveLength(chars.length)
      expect(masked.slice(1).every(c => c === '*')).toBe(true)
      if (chars.length > 1) expect(masked[0]).toBe(chars[0])
    }))
  })

  it('a masked Latin-script name shows its last word whole and of every other word one letter', () => {
    // Latin letters, accented ones too (without × and ÷, which sit among them in Latin-1)
    const word = fc.stringMatching(/^[A-Za-zÀ-ÖØ-Ý][a-zß-öø-ÿ'-]{0,11}$/)
    fc.assert(fc.property(fc.array(word, { minLength: 2, maxLength: 5 }), (words) => {
      const masked = maskName(words.join(' ')).split(' ')
      expect(masked).toHaveLength(words.length)
      expect(masked.at(-1)).toBe(words.at(-1))
      masked.slice(0, -1).forEach((initial, i) => expect(initial).toBe(`${words[i]![0]}.`))
    }))
  })
})
