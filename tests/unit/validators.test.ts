import { describe, expect, it } from 'vitest'
import { COMMON_PASSWORDS, isCommonPassword } from '../../shared/utils/common-passwords'
import {
  emailSchema, firstErrorPerKey, idNumberSchema, mobileSchema, organizationNameSchema, passwordSchema, personNameSchema,
  registerSchema, usccSchema, usernameSchema,
} from '../../shared/utils/validators'
import type { z } from 'zod'

/** The message key of the first issue, or null when the value passes. */
function firstError(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value)
  return r.success ? null : r.error.issues[0]!.message
}

const validRegistration = {
  username: 'zhang_san',
  password: 'Shenzhen-Bay-Park-2026',
  name: '张三',
  idNumber: '440301199001011234',
  mobile: '13812345678',
}

describe('field schemas speak in i18n keys', () => {
  it('ID numbers: format, birth date and checksum are told apart', () => {
    expect(firstError(idNumberSchema, '')).toBe('validation.required')
    expect(firstError(idNumberSchema, undefined)).toBe('validation.required')
    expect(firstError(idNumberSchema, 440301)).toBe('validation.invalidType')
    expect(firstError(idNumberSchema, '4403011990010112')).toBe('validation.idNumber.format')
    expect(firstError(idNumberSchema, '440301199002301234')).toBe('validation.idNumber.birthDate')
    expect(firstError(idNumberSchema, '440301199001011235')).toBe('validation.idNumber.checksum')
    expect(idNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X')
  })

  it('a credit code is checked and kept as a full-width ID number is: folded, ungrouped, upper case', () => {
    for (const typed of ['９１４４０３００ＭＡ５１００００１６', '91440300 MA51 000016', '91440300ma51000016']) {
      expect(usccSchema.parse(typed), typed).toBe('91440300MA51000016')
    }
    expect(firstError(usccSchema, '９１４４０３００ＭＡ５１００００１７')).toBe('validation.uscc.checksum')
    expect(idNumberSchema.parse('１１０１０５ １９４９１２３１ ００２ｘ')).toBe('11010519491231002X')
  })

  it('a code of nothing but invisible characters is missing, not an empty code to store', () => {
    for (const schema of [usccSchema, idNumberSchema]) {
      expect(firstError(schema, '\u200B')).toBe('validation.required')
      expect(firstError(schema, '\u3000')).toBe('validation.required')
    }
  })

  it('a birth date after today is refused', () => {
    expect(firstError(idNumberSchema, '440301209901011234'.slice(0, 17) + 'X')).toBe('validation.idNumber.birthDate')
  })

  it('mobile, USCC and e-mail', () => {
    expect(firstError(mobileSchema, '12812345678')).toBe('validation.mobile')
    expect(mobileSchema.parse(' 13812345678 ')).toBe('13812345678')
  })

  it('a mobile number is taken as people write it and kept as its 11 digits', () => {
    for (const typed of ['138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '0086 13812345678', '+86-138-1234-5678', '１３８１２３４５６７８', '138\u30001234\u30005678', '\u202A+86 138 1234 5678\u202C', '\u2066138\u200B1234\u200B5678\u2069']) {
      expect(mobileSchema.parse(typed), typed).toBe('13812345678')
    }
    // grouping does not make a wrong number right, and only China's code is dropped
    for (const typed of ['138 1234 567', '+1 138 1234 5678', '+86 128 1234 5678', '138.1234.5678', '8613812345678']) {
      expect(firstError(mobileSchema, typed), typed).toBe('validation.mobile')
    }
    expect(firstError(usccSchema, '9144030071526726XH')).toBe('validation.uscc.checksum')
    expect(firstError(usccSchema, '9144030071526726XI')).toBe('validation.uscc.format')
    expect(usccSchema.parse('9144030071526726xg')).toBe('9144030071526726XG')
    expect(firstError(emailSchema, 'not-an-address')).toBe('validation.email')
    expect(firstError(emailSchema, `${'a'.repeat(250)}@x.cn`)).toBe('validation.tooLong')
    expect(emailSchema.parse(' li@example.cn ')).toBe('li@example.cn')
  })

  it('passwords: at least 12 characters, at most 128, not a common one in any case', () => {
    expect(firstError(passwordSchema, 'short-pass1')).toBe('validation.password.tooShort')
    expect(firstError(passwordSchema, '')).toBe('validation.required')
    expect(firstError(passwordSchema, 'x'.repeat(129))).toBe('validation.password.tooLong')
    expect(firstError(passwordSchema, 'Password1234')).toBe('validation.password.common')
    expect(firstError(passwordSchema, 'WOAINI1314520')).toBe('validation.password.common')
    expect(firstError(passwordSchema, 'portal-demo-2026')).toBeNull()
    // not trimmed: the spaces are part of the password
    expect(passwordSchema.parse('  correct horse  ')).toBe('  correct horse  ')
  })

  it('passwords are judged as they are hashed (NFKC): full-width common ones are refused, full-width others kept as typed', () => {
    // ｐａｓｓｗｏｒｄ１２３４ signs in as password1234
    expect(firstError(passwordSchema, 'ｐａｓｓｗｏｒｄ１２３４')).toBe('validation.password.common')
    expect(firstError(passwordSchema, 'ＷＯＡＩＮＩ１３１４５２０')).toBe('validation.password.common')
    expect(firstError(passwordSchema, 'ｐ＠ｓｓｗ０ｒｄ1234')).toBe('validation.password.common')
    expect(isCommonPassword('ｐａｓｓｗｏｒｄ１２３４')).toBe(true)
    // 12 to 128 characters both as typed and as hashed: ﬀ (one character) is hashed as ff (two),
    // ﷺ (one) as 18 letters; a password of one keystroke is not 18 letters long to a guesser
    expect(firstError(passwordSchema, 'ﬀ'.repeat(6))).toBe('validation.password.tooShort')
    expect(firstError(passwordSchema, 'ﷺ')).toBe('validation.password.tooShort')
    expect(firstError(passwordSchema, '㍻'.repeat(6))).toBe('validation.password.tooShort')
    expect(firstError(passwordSchema, 'ﬀ'.repeat(12))).toBeNull()
    expect(firstError(passwordSchema, 'ﬀ'.repeat(65))).toBe('validation.password.tooLong')
    // characters, not UTF-16 units: twelve 𠮷 are twelve characters
    expect(firstError(passwordSchema, '𠮷'.repeat(12))).toBeNull()
    expect(firstError(passwordSchema, '𠮷'.repeat(11))).toBe('validation.password.tooShort')
    expect(firstError(passwordSchema, 'a'.repeat(129))).toBe('validation.password.tooLong')
    expect(firstError(passwordSchema, 'ｓｈｏｒｔ－ｐａｓｓ')).toBe('validation.password.tooShort')
    expect(passwordSchema.parse('港湾大桥ｂｒｉｄｇｅ２０２６')).toBe('港湾大桥ｂｒｉｄｇｅ２０２６')
  })

  it('the common list is lower-case, about 300 long and has the well-known ones', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(280)
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase())
    for (const p of ['password1234', '123456789012', 'qwertyuiopas', 'iloveyou1234', 'passwordpassword', '111111111111', 'abc123456789', 'woaini1314520']) {
      expect(isCommonPassword(p.toUpperCase())).toBe(true)
    }
  })

  it('usernames: 3–64 letters, digits, _ . -', () => {
    expect(firstError(usernameSchema, 'ab')).toBe('validation.tooShort')
    expect(firstError(usernameSchema, 'a'.repeat(65))).toBe('validation.tooLong')
    expect(firstError(usernameSchema, 'zhang san')).toBe('validation.username')
    expect(firstError(usernameSchema, '张三')).toBe('validation.tooShort')
    expect(firstError(usernameSchema, '张三丰')).toBe('validation.username')
    expect(usernameSchema.parse(' li.si-2026_a ')).toBe('li.si-2026_a')
    // a test run's or an integrator's generated names fit: a prefix and a UUID
    expect(usernameSchema.parse('citizen-0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('citizen-0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(usernameSchema.parse('a'.repeat(64))).toBe('a'.repeat(64))
  })

  it('names: trimmed, 1–50 characters, no control characters', () => {
    expect(personNameSchema.parse('  欧阳娜娜 ')).toBe('欧阳娜娜')
    expect(personNameSchema.parse('阿依古丽·买买提')).toBe('阿依古丽·买买提')
    expect(firstError(personNameSchema, '   ')).toBe('validation.required')
    expect(firstError(personNameSchema, '张'.repeat(51))).toBe('validation.tooLong')
    expect(firstError(personNameSchema, '𠮷'.repeat(50))).toBeNull()
    expect(firstError(personNameSchema, '张\u0000三')).toBe('validation.controlChars')
  })

  it('names: what is printed on a licence is what it looks like (no invisible characters), with a letter in it', () => {
    for (const hidden of ['\u200B', '张\u202E三', '张\u2028三', '张三\u200D', '张\uFEFF三', '张\u00AD三', '张\u2066三'])
      expect(firstError(personNameSchema, hidden), JSON.stringify(hidden)).toBe('validation.controlChars')
    expect(firstError(personNameSchema, '123')).toBe('validation.nameLetters')
    expect(firstError(personNameSchema, '·-')).toBe('validation.nameLetters')
    // names of foreigners and minorities, and a rare character only encoded in the private-use area
    for (const name of ['John O\'Neil', 'Anne-Marie Dupont', '阿依古丽·买买提', '王\uE000'])
      expect(firstError(personNameSchema, name), name).toBeNull()
  })

  it('names: blank letters and characters drawn as nothing are refused, so a name is never blank nor 张三 in disguise', () => {
    // Hangul fillers (letters that draw nothing), the combining grapheme joiner, the braille blank,
    // a variation selector, a Mongolian free variation selector, a Khmer inherent vowel, a tag character
    const blanks = ['\u3164', '\u115F', '\u1160', '\uFFA0', '\u034F', '\u2800', '\uFE0F', '\u180B', '\u17B4', '\u{E0041}', '\u{1D159}']
    for (const blank of blanks) {
      const code = `U+${blank.codePointAt(0)!.toString(16).toUpperCase()}`
      expect(firstError(personNameSchema, blank), code).toBe('validation.controlChars')
      expect(firstError(personNameSchema, blank.repeat(3)), code).toBe('validation.controlChars')
      expect(firstError(personNameSchema, `张${blank}三`), code).toBe('validation.controlChars')
      expect(firstError(personNameSchema, `张三${blank}`), code).toBe('validation.controlChars')
      expect(firstError(organizationNameSchema, `深圳${blank}科技有限公司`), code).toBe('validation.controlChars')
    }
    // blank among the letters at registration too
    const r = registerSchema.safeParse({ ...validRegistration, name: '\u3164\u3164' })
    expect(r.success ? {} : firstErrorPerKey(r.error)).toEqual({ name: 'validation.controlChars' })
  })

  it('names: real names keep working, rare characters beyond the BMP and middle dots included', () => {
    for (const name of ['𠮷', '𠮷野家', '张𪚥', '阿依古丽·买买提', '迪丽热巴·迪力木拉提', '爱新觉罗・溥仪', 'Mary Jane Watson', 'Jean-Luc Picard', 'Nguyễn Văn An', 'José Ñúñez', '김민준', '佐藤 さくら', 'Müller-Lüdenscheidt'])
      expect(firstError(personNameSchema, name), name).toBeNull()
    expect(personNameSchema.parse(' 迪丽热巴·迪力木拉提 ')).toBe('迪丽热巴·迪力木拉提')
  })
})

describe('registration', () => {
  it('a citizen registers with valid data', () => {
    const r = registerSchema.safeParse(validRegistration)
    expect(r.success).toBe(true)
  })

  it('a company representative registers with an organisation', () => {
    const r = registerSchema.parse({ ...validRegistration, organization: { name: '深圳市腾讯计算机系统有限公司', uscc: '91440300708461136t' } })
    expect(r.organization?.uscc).toBe('91440300708461136T')
  })

  it('every bad field is reported under its own key', () => {
    const r = registerSchema.safeParse({ username: 'a', password: '123456789012', name: '', idNumber: '440301199001011235', mobile: '1381234567', organization: { name: 'X', uscc: '9144030071526726XH' } })
    expect(r.success).toBe(false)
    if (r.success) return
    expect(firstErrorPerKey(r.error)).toEqual({
      'username': 'validation.tooShort',
      'password': 'validation.password.common',
      'name': 'validation.required',
      'idNumber': 'validation.idNumber.checksum',
      'mobile': 'validation.mobile',
      'organization.uscc': 'validation.uscc.checksum',
    })
  })

  it('missing fields are required; a non-object is an error of the whole form', () => {
    const r = registerSchema.safeParse({})
    expect(r.success ? {} : firstErrorPerKey(r.error)).toEqual({
      username: 'validation.required',
      password: 'validation.required',
      name: 'validation.required',
      idNumber: 'validation.required',
      mobile: 'validation.required',
    })
    const s = registerSchema.safeParse('nope')
    expect(s.success ? {} : firstErrorPerKey(s.error)).toEqual({ _: 'validation.invalidType' })
  })
})
