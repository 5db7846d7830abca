import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { maskIdNumber, maskMobile, maskName } from '../../shared/utils/mask'

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

  it('a masked name has as many characters as the name and only its first one is visible', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter(s => s.trim() !== '' && s === s.trim()), (name) => {
      const chars = Array.from(name)
      const masked = Array.from(maskName(name))
      expect(masked).toHaveLength(chars.length)
      expect(masked.slice(1).every(c => c === '*')).toBe(true)
      if (chars.length > 1) expect(masked[0]).toBe(chars[0])
    }))
  })
})
