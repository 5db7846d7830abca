/**
 * How long an e-licence is valid, as its item's guide says (`resultValidity`): what the holder reads
 * as "valid until" on the licence, and what an administrator may write in the guide.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { listMyResults, verifyResult } from '../../server/services/results'
import { applyTransition } from '../../server/services/transitions'
import type { SeedService } from '../../shared/types/catalogue'
import { editableOptional, guideDetails, optionalElements, withEditedOptional } from '../../shared/utils/guide-optional'
import { buildGuideSchema, guideProblems } from '../../shared/utils/guide-schema'
import { makeIdNumber } from '../../shared/utils/id-number'
import { ageOn, DEFAULT_VALIDITY_MONTHS, lastValidDay, validUntilOf } from '../../shared/utils/result-validity'
import { makeUscc } from '../../shared/utils/uscc'
import { services } from '../../db/seed/catalogue'
import { freshDatabase, userIdOf } from '../support/db'

/** A person born on `birth` (YYYY-MM-DD), with a valid ID number that says so. */
const bornOn = (birth: string) => ({ kind: 'person' as const, idNumber: makeIdNumber(`440305${birth.replaceAll('-', '')}231`) })
const company = { kind: 'organization' as const, idNumber: '91440300MA5FXXXX0X' }
const ISSUED = '2026-03-02'

describe('a licence of a fixed number of months', () => {
  it.each([
    ['2026-03-02', 60, '2031-03-01'],
    ['2026-03-01', 1, '2026-03-31'],
    ['2026-12-15', 3, '2027-03-14'],
    ['2026-03-02', 1200, '2126-03-01'],
    // a day the last month lacks: that month's last day
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-01-29', 1, '2026-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    // issued on 29 February: 28 February of a common year, as the five years before this element gave
    ['2024-02-29', 60, '2029-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    // and the day before 29 February of a leap year
    ['2024-02-29', 48, '2028-02-28'],
  ])('issued on %s for %i months is valid until %s', (issued, months, until) => {
    expect(lastValidDay(issued, months)).toBe(until)
  })

  it('gives every licence of an item that says nothing the same day as the fixed five years did', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2029, 0, 1); t += 86_400_000) {
      const [y, m, d] = new Date(t).toISOString().slice(0, 10).split('-').map(Number) as [number, number, number]
      const before = new Date(Date.UTC(y + 5, m - 1, d - 1)).toISOString().slice(0, 10)
      expect(validUntilOf(undefined, new Date(t).toISOString().slice(0, 10), company)).toBe(before)
    }
    expect(DEFAULT_VALIDITY_MONTHS).toBe(60)
  })

  it('is the same for a person and an organisation', () => {
    expect(validUntilOf({ months: 12 }, ISSUED, company)).toBe('2027-03-01')
    expect(validUntilOf({ months: 12 }, ISSUED, bornOn('1990-03-07'))).toBe('2027-03-01')
  })
})

describe('a long-term licence (长期)', () => {
  it('has no last valid day', () => {
    expect(validUntilOf({ longTerm: true }, ISSUED, bornOn('1990-03-07'))).toBeNull()
    expect(validUntilOf({ longTerm: true }, ISSUED, company)).toBeNull()
  })
})

describe('an ID card valid by the holder\'s age on the day of issue (居民身份证法 第五条)', () => {
  it.each([
    ['2010-03-03', 'the day before turning 16: five years', '2031-03-02'],
    ['2010-03-02', 'turning 16 that day: ten years', '2036-03-02'],
    ['2000-03-03', 'still 25: ten years', '2036-03-02'],
    ['2000-03-02', 'turning 26: twenty years', '2046-03-02'],
    ['1980-03-03', 'still 45: twenty years', '2046-03-02'],
    ['1980-03-02', 'turning 46: long-term', null],
    ['1940-01-01', '86: long-term', null],
    ['2026-03-02', 'born that day: five years', '2031-03-02'],
  ])('a holder born on %s (%s) has one valid until %s, the same calendar day as printed on the card', (birth, _why, until) => {
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, bornOn(birth))).toBe(until)
  })

  it('counts a birthday on 29 February as reached on 1 March of a common year', () => {
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25)
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26)
    expect(ageOn('2000-02-29', '2028-02-29')).toBe(28)
    expect(validUntilOf({ byIdCardAge: true }, '2026-02-28', bornOn('2000-02-29'))).toBe('2036-02-28')
    expect(validUntilOf({ byIdCardAge: true }, '2026-03-01', bornOn('2000-02-29'))).toBe('2046-03-01')
  })

  it('reads the birth date from an ID number however it was typed (a lower-case x)', () => {
    const id = makeIdNumber('11010519491231002')
    expect(id.endsWith('X')).toBe(true)
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, { kind: 'person', idNumber: id.toLowerCase() })).toBeNull()
  })

  it('gives an organisation, which has no age, the default five years', () => {
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, company)).toBe('2031-03-01')
    expect(validUntilOf({ byPassportAge: true }, ISSUED, company)).toBe('2031-03-01')
  })

  it('gives the default where the number holds no real birth date, or one after the issue', () => {
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, { kind: 'person', idNumber: '440305199302301234' })).toBe('2031-03-01')
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, { kind: 'person', idNumber: '' })).toBe('2031-03-01')
    expect(validUntilOf({ byIdCardAge: true }, ISSUED, bornOn('2026-03-03'))).toBe('2031-03-01')
  })
})

describe('a passport valid by the holder\'s age (护照法 第六条)', () => {
  it('is valid five years under 16 and ten years from 16 on', () => {
    expect(validUntilOf({ byPassportAge: true }, ISSUED, bornOn('2010-03-03'))).toBe('2031-03-01')
    expect(validUntilOf({ byPassportAge: true }, ISSUED, bornOn('2010-03-02'))).toBe('2036-03-01')
    expect(validUntilOf({ byPassportAge: true }, ISSUED, bornOn('1940-01-01'))).toBe('2036-03-01')
  })
})

const ctx = { departments: ['SZRS'], themes: [{ code: 'employment', audience: 'person' as const }] }

function guide(patch: Record<string, unknown> = {}): SeedService {
  return {
    code: 'SZRS-9001', basicCode: '000111999000', department: 'SZRS', type: 'public_service', audience: 'person',
    name: '就业登记', nameEn: 'Employment registration', legalLimitDays: 20, promisedLimitDays: 5, processType: 'promised',
    onlineDepth: 3, suitableOnline: true, unsuitableReason: null, visits: 0, visitsReason: null,
    themes: ['employment'], keywords: ['就业'], conditions: ['在本市就业。'],
    materials: [{ name: '居民身份证', required: true, format: 'electronic', copies: 1, source: 'government' }],
    fees: [], steps: [{ name: '申请', description: '在线提交。' }], location: '市民中心', hours: '工作日 9:00-18:00',
    consultPhone: '0755-12345678', complaintPhone: '12345', legalBasis: ['《就业促进法》'], resultName: '就业登记证明',
    form: null, ...patch,
  } as SeedService
}
const problems = (resultValidity: unknown, patch: Record<string, unknown> = {}) =>
  guideProblems(guide({ resultValidity, ...patch }), ctx).map(p => `${p.field}:${p.message}`)

describe('an administrator stating the validity in the guide', () => {
  it.each([[{ months: 1 }], [{ months: 1200 }], [{ longTerm: true }], [{ byIdCardAge: true }], [{ byPassportAge: true }]])('has %j accepted and kept as written', (v) => {
    expect(problems(v)).toEqual([])
    expect(buildGuideSchema(ctx).parse(guide({ resultValidity: v })).resultValidity).toEqual(v)
    expect(guideDetails(guide({ resultValidity: v })).resultValidity).toEqual(v)
  })

  it.each([
    [{ months: 0 }, 'resultValidity.months:manage.rule.validityMonths'],
    [{ months: 1201 }, 'resultValidity.months:manage.rule.validityMonths'],
    [{ months: 2.5 }, 'resultValidity.months:manage.rule.validityMonths'],
    [{ months: '12' }, 'resultValidity.months:manage.rule.invalidType'],
    [{ months: null }, 'resultValidity.months:manage.rule.required'],
    [{ longTerm: false }, 'resultValidity.longTerm:manage.rule.validityKind'],
    [{}, 'resultValidity:manage.rule.validityKind'],
    [{ months: 60, longTerm: true }, 'resultValidity:manage.rule.validityKind'],
    // a misspelt form: named, and the element still says none of its forms
    [{ years: 5 }, 'resultValidity.years:manage.rule.unknownKey', 'resultValidity:manage.rule.validityKind'],
    ['long', 'resultValidity:manage.rule.invalidType'],
    [60, 'resultValidity:manage.rule.invalidType'],
  ])('has %j refused, saying which part is wrong', (v, ...said) => {
    expect(problems(v)).toEqual(said)
  })

  it('refuses a validity for an item that issues no licence, and an age rule for one for organisations only', () => {
    expect(problems({ months: 12 }, { resultName: null })).toEqual(['resultValidity:manage.rule.validityWithoutResult'])
    expect(problems({ byIdCardAge: true }, { audience: 'organization', themes: [] })).toEqual(['resultValidity:manage.rule.validityAgeOrganization'])
    expect(problems({ longTerm: true }, { audience: 'organization', themes: [] })).toEqual([])
    // an item for both: a person's licence by age, an organisation's the default
    expect(problems({ byIdCardAge: true }, { audience: 'both' })).toEqual([])
  })

  it('keeps the validity through the editor, and leaves it out when not stated', () => {
    const stated = guide({ resultValidity: { months: 36 } })
    expect(editableOptional(stated).resultValidity).toEqual({ kind: 'months', months: 36 })
    expect(withEditedOptional(stated, editableOptional(stated)).resultValidity).toEqual({ months: 36 })
    const longTerm = guide({ resultValidity: { longTerm: true } })
    expect(withEditedOptional(longTerm, editableOptional(longTerm)).resultValidity).toEqual({ longTerm: true })
    // the administrator chooses "not stated": the key is gone, not kept from the version edited
    const cleared = withEditedOptional(stated, { ...editableOptional(stated), resultValidity: { kind: '', months: 36 } })
    expect('resultValidity' in cleared).toBe(false)
    expect(optionalElements({ resultValidity: undefined })).toEqual({})
    // months emptied in its number input: refused beside it, not quietly dropped
    const emptied = withEditedOptional(stated, { ...editableOptional(stated), resultValidity: { kind: 'months', months: '' } })
    expect(guideProblems(emptied, ctx).map(p => `${p.field}:${p.message}`)).toEqual(['resultValidity.months:manage.rule.required'])
  })
})

describe('the seed states the validity it knows', () => {
  const of = (code: string) => services.find(s => s.code === code)!.resultValidity
  it('by the law for ID cards and passports, long-term for marriage and property, fixed terms for permits', () => {
    expect(of('SZGA-0001')).toEqual({ byIdCardAge: true })
    expect(of('SZGA-0006')).toEqual({ byPassportAge: true })
    expect(of('SZGA-0003')).toEqual({ months: 3 })
    expect(of('SZMZ-0001')).toEqual({ longTerm: true })
    expect(of('SZGZ-0003')).toEqual({ longTerm: true })
    expect(of('SZWJ-0005')).toEqual({ months: 48 })
  })

  it('only on items that issue a licence, and every one accepted by the schema', () => {
    for (const s of services.filter(s => s.resultValidity)) {
      expect(s.resultName, s.code).toBeTruthy()
      expect(guideProblems(s, { departments: [s.department], themes: [] }).filter(p => p.field.startsWith('resultValidity')), s.code).toEqual([])
    }
  })
})

const zhang = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

/** A clerk of the item's department: the demo clerk where there is one, else one made for the test. */
function clerkOf(conn: Connection, serviceCode: string) {
  const { dept } = conn.sqlite.prepare('SELECT department_code AS dept FROM services WHERE code = ?').get(serviceCode) as { dept: string }
  const username = (conn.sqlite.prepare(`SELECT username FROM users WHERE role = 'clerk' AND department_code = ? LIMIT 1`).get(dept) as { username: string } | undefined)?.username
  if (!username) conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES (?, 'x', 'clerk', ?, '测试受理员')`).run(`clerk-${dept}`, dept)
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, id_number AS idNumber FROM users WHERE username = ?`)
    .get(username ?? `clerk-${dept}`) as { id: number, role: string, departmentCode: string | null, idNumber: string | null }
}

/** The licence of a counter case for `serviceCode`, received and approved on `day`. */
function issued(conn: Connection, serviceCode: string, day: string, answers: Record<string, unknown> = {}): string {
  const now = new Date(`${day}T02:00:00Z`)
  const clerk = clerkOf(conn, serviceCode)
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'counter', formVersionId: null, applicant: { userId: null, ...zhang }, answers, materials: [], actor: clerk,
  }, now))
  const { processType } = conn.sqlite.prepare('SELECT process_type AS processType FROM services WHERE code = ?').get(serviceCode) as { processType: string }
  let version = 1
  if (processType !== 'instant') applyTransition(conn, { caseNo, action: 'accept', version: version++, user: clerk, now })
  applyTransition(conn, { caseNo, action: 'approve', version, user: clerk, now })
  return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
}

const setValidity = (conn: Connection, code: string, json: string) =>
  conn.sqlite.prepare(`UPDATE services SET details = json_set(details, '$.resultValidity', json(?)) WHERE code = ?`).run(json, code)

describe('a licence issued on approval', () => {
  it('is an ID card valid by its holder\'s age: 张晓明, 35, holds one for twenty years', () => {
    const conn = freshDatabase()
    const code = issued(conn, 'SZGA-0001', '2026-03-03')
    expect(verifyResult(conn, code, new Date('2026-03-04T00:00:00Z'))).toMatchObject({ status: 'valid', validUntil: '2046-03-03' })
  })

  it('is a marriage certificate valid long-term: no last day, still valid a century on', () => {
    const conn = freshDatabase()
    const code = issued(conn, 'SZMZ-0001', '2026-03-03')
    expect(verifyResult(conn, code, new Date('2126-03-04T00:00:00Z'))).toMatchObject({ status: 'valid', validUntil: '9999-12-31', longTerm: true })
    const holder = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null, idNumber: zhang.idNumber, name: zhang.name, mobile: zhang.mobile }
    expect(listMyResults(conn, holder).find(r => r.code === code)).toMatchObject({ status: 'valid', validUntil: null })
  })

  it('is an organisation\'s under an age rule the default five years', () => {
    const conn = freshDatabase()
    setValidity(conn, 'SZSJ-0002', '{"byIdCardAge":true}')
    const code = issued(conn, 'SZSJ-0002', '2026-03-03', { orgName: '深圳市张氏科技有限公司', orgCode: makeUscc('91440300MA5100001') })
    expect(verifyResult(conn, code)).toMatchObject({ holderKind: 'organization', validUntil: '2031-03-02' })
  })

  it('keeps its day when the guide changes later, and a guide edited by hand into nonsense gives the default', () => {
    const conn = freshDatabase()
    const before = issued(conn, 'SZGA-0003', '2026-03-03')
    expect(verifyResult(conn, before)!.validUntil).toBe('2026-06-02')
    setValidity(conn, 'SZGA-0003', '{"months":"three"}')
    expect(verifyResult(conn, before)!.validUntil).toBe('2026-06-02')
    expect(verifyResult(conn, issued(conn, 'SZGA-0003', '2026-03-04'))!.validUntil).toBe('2031-03-03')
  })
})
