import { describe, expect, it } from 'vitest'
import { isValidEmail, isValidMobile } from '../../shared/utils/contact'

describe('mobile numbers', () => {
  it('a citizen with a China Mobile, Unicom or Telecom number can register', () => {
    for (const m of ['13800138000', '14512345678', '15912345678', '16612345678', '17712345678', '18612345678', '19912345678']) {
      expect(isValidMobile(m)).toBe(true)
    }
  })

  it('refuses landlines, prefixes 10–12, wrong lengths and decorations', () => {
    for (const m of ['075583765566', '10012345678', '11012345678', '12012345678', '1381234567', '138123456789', '+8613812345678', '138-1234-5678', '138 1234 5678', '', '1381234567a']) {
      expect(isValidMobile(m)).toBe(false)
    }
  })
})

describe('e-mail addresses', () => {
  it('accepts ordinary addresses', () => {
    for (const e of ['zhang.san@example.com', 'li+portal@mail.sz.gov.cn', 'a@b.cn', 'user_1@sub-domain.example.org', 'o\'brien@example.ie']) {
      expect(isValidEmail(e)).toBe(true)
    }
  })

  it('refuses broken ones', () => {
    for (const e of ['', 'plain', '@example.com', 'a@', 'a@b', 'a@b.c', 'a..b@example.com', '.a@example.com', 'a.@example.com', 'a b@example.com', 'a@-example.com', 'a@example-.com', 'a@exa_mple.com', 'a@@example.com', '张三@example.com']) {
      expect(isValidEmail(e)).toBe(false)
    }
  })

  it('enforces 254 characters overall and 64 for the part before @', () => {
    expect(isValidEmail(`${'a'.repeat(64)}@example.com`)).toBe(true)
    expect(isValidEmail(`${'a'.repeat(65)}@example.com`)).toBe(false)
    const labels = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.`
    // 10 + '@' + labels + e… + '.com' = 254
    const at254 = `${'a'.repeat(10)}@${labels}${'e'.repeat(254 - 11 - labels.length - 4)}.com`
    expect(at254.length).toBe(254)
    expect(isValidEmail(at254)).toBe(true)
    expect(isValidEmail(`a${at254}`)).toBe(false)
  })
})
