/**
 * ID and mobile numbers inside free text that others read (a rating's comment shown to staff):
 * masked as everywhere else they are shown, the rest of the text left exactly as written.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { redactForLog } from '../../server/utils/log-redaction'
import { maskPersonalNumbers } from '../../shared/utils/mask'

describe('masking ID and mobile numbers in free text', () => {
  it('masks the ID number and mobile of the comment the tester wrote', () => {
    expect(maskPersonalNumbers('办理太慢，我的身份证号 440301198506154332，手机 13912345678'))
      .toBe('办理太慢，我的身份证号 440301********4332，手机 139****5678')
  })

  it('masks an 18-character ID number ending in X, in either case, and glued to Chinese text', () => {
    expect(maskPersonalNumbers('身份证11010519491231002X请核对')).toBe('身份证110105********002X请核对')
    expect(maskPersonalNumbers('身份证11010519491231002x。')).toBe('身份证110105********002X。')
  })

  it('masks an old 15-digit ID number, as the log redaction does', () => {
    expect(maskPersonalNumbers('旧证号 440301850615433 已作废')).toBe('旧证号 440301********5433 已作废')
  })

  it('masks a mobile with or without +86, 0086 or 86, and written in groups', () => {
    expect(maskPersonalNumbers('电话13912345678')).toBe('电话139****5678')
    expect(maskPersonalNumbers('电话+8613912345678')).toBe('电话+86139****5678')
    expect(maskPersonalNumbers('电话 +86 139 1234 5678')).toBe('电话 +86 139****5678')
    expect(maskPersonalNumbers('电话0086-13912345678')).toBe('电话0086-139****5678')
    expect(maskPersonalNumbers('电话139-1234-5678')).toBe('电话139****5678')
  })

  it('masks full-width digits without folding the rest of the text (full-width punctuation stays)', () => {
    expect(maskPersonalNumbers('手机：１３９１２３４５６７８，身份证：４４０３０１１９８５０６１５４３３２！'))
      .toBe('手机：139****5678，身份证：440301********4332！')
    expect(maskPersonalNumbers('电话＋８６　１３９１２３４５６７８')).toBe('电话＋８６　139****5678')
  })

  it('leaves case numbers, dates, times, amounts, landlines and long numbers untouched', () => {
    const text = '办件 SZ20261204000005 于 2026-12-04 10:30 受理，12月4日，金额 1234.56 元，窗口电话 0755-88123456，单号 12345678901234567890，编码 SZRS-0004'
    expect(maskPersonalNumbers(text)).toBe(text)
    expect(maskPersonalNumbers('')).toBe('')
    expect(maskPersonalNumbers('非常满意，谢谢！')).toBe('非常满意，谢谢！')
  })

  it('leaves a text without an ID or mobile number exactly as written, whatever its characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const digitless = s.replace(/[0-9\uFF10-\uFF19\u2460-\u24FF\u00B2\u00B3\u00B9\u2070-\u2089]/g, '')
      expect(maskPersonalNumbers(digitless)).toBe(digitless)
    }))
  })

  it('masks as the log redaction does, which now uses it (on NFKC text, the same result)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.stringMatching(/^1[3-9]\d{9}$/), fc.string({ maxLength: 30 }), (a, m, b) => {
      const text = `${a} ${m} ${b}`.normalize('NFKC')
      expect(redactForLog(text, Infinity)).toBe(maskPersonalNumbers(text))
      expect(maskPersonalNumbers(text)).not.toContain(m)
    }))
  })
})
