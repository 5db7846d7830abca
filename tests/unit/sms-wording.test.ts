/**
 * Every SMS the portal writes to the outbox has words: each case step, the codes, the e-licence's
 * revocation; and the words are whole, with the signature first and no placeholder left.
 */
import { describe, expect, it } from 'vitest'
import { ACTIONS } from '../../shared/utils/workflow'
import { TRACK_CODE_TEMPLATE } from '../../server/services/track-unlock'
import { SMS_TEMPLATES, smsText } from '../../server/services/sms-wording'

/** The templates the services queue: notifications.ts (case.<kind>), ratings, results, sms-codes' callers. */
const QUEUED = [
  'case.submitted', ...ACTIONS.map(a => `case.${a}`), 'case.suspendFor', 'case.returnBy', 'case.ratingPrompt', TRACK_CODE_TEMPLATE,
  'result.revoked', 'account.passwordReset', 'account.mobileVerify', 'account.passwordChanged',
]
const PARAMS = { caseNo: 'SZ20260302000001', deadline: '2026-03-13', correctionDue: '2026-03-13', status: 'accepted', code: '482913', minutes: 10, reason: '材料失实', kindName: '专家评审', expectedDays: 15 }

describe('the SMS wordings', () => {
  it('cover every template the portal queues, and no other', () => {
    expect([...SMS_TEMPLATES].sort()).toEqual([...QUEUED].sort())
  })

  it.each(QUEUED)('%s reads whole: signed, nothing left to fill, a deadline as a day', (template) => {
    const text = smsText(template, PARAMS)
    expect(text.startsWith('【深圳市网上办事大厅】')).toBe(true)
    expect(text).not.toMatch(/[{}]/)
    expect(text).not.toContain('2026-03-13')
    // beside the case number, a year can only be the deadline's, written as a day
    if (text.replaceAll(PARAMS.caseNo, '').includes('2026')) expect(text).toContain('2026年3月13日')
  })

  // 行政许可法 第四十五条: the time a procedure needs is told to the applicant in writing
  it('tells why a case is suspended and how long it is expected to take', () => {
    expect(smsText('case.suspendFor', PARAMS)).toMatch(/SZ20260302000001 因专家评审暂停计时，预计需要 15 日/)
  })

  // 补正期限: by when to correct, and what follows if nothing comes
  it('tells by when corrections are due, and that a case not corrected by then is treated as withdrawn', () => {
    expect(smsText('case.returnBy', { ...PARAMS, correctionDue: '2026-03-17' })).toMatch(/SZ20260302000001 需要补正，请于 2026年3月17日前补正，逾期未补正的视为撤回申请/)
    expect(smsText('case.lapse', { ...PARAMS, correctionDue: '2026-03-17' })).toMatch(/SZ20260302000001 未在 2026年3月17日前补正，视为撤回申请/)
  })

  it('names the case, and a code with how long it holds', () => {
    expect(smsText('case.return', PARAMS)).toContain('SZ20260302000001')
    expect(smsText('case.trackCode', PARAMS)).toMatch(/SZ20260302000001.*482913.*10 分钟/)
    expect(smsText('account.passwordReset', PARAMS)).toMatch(/482913.*10 分钟.*请勿将验证码告诉他人/)
  })

  // 行政许可法 第三十八条: a decision not to grant tells of the right to reconsideration or a suit;
  // the SMS points to it in one sentence (the time limits are on the case page and tracking), and
  // stays within two parts of 67 characters, as each part is billed
  it.each(['case.refuse', 'case.reject'])('%s says where the reasons are and that the decision can be challenged, in two parts at most', (template) => {
    const text = smsText(template, PARAMS)
    expect(text).toContain('凭办件编号和身份证号码查询办件')
    expect(text).toContain('如不服，可依法申请行政复议或提起行政诉讼。')
    expect(Math.ceil(Array.from(text).length / 67)).toBeLessThanOrEqual(2)
  })

  it('tells of no challenge where nothing was refused', () => {
    for (const template of ['case.accept', 'case.approve', 'case.return', 'case.extend']) expect(smsText(template, PARAMS)).not.toContain('行政复议')
  })

  it('refuses a template without words or a missing parameter, instead of sending a hole', () => {
    expect(() => smsText('case.unknown', PARAMS)).toThrow('no SMS wording for the template case.unknown')
    expect(() => smsText('case.accept', { caseNo: 'SZ20260302000001' })).toThrow('lacks its parameter deadline')
  })
})
