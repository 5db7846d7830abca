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
  'case.submitted', ...ACTIONS.map(a => `case.${a}`), 'case.ratingPrompt', TRACK_CODE_TEMPLATE,
  'result.revoked', 'account.passwordReset', 'account.mobileVerify', 'account.passwordChanged',
]
const PARAMS = { caseNo: 'SZ20260302000001', deadline: '2026-03-13', status: 'accepted', code: '482913', minutes: 10, reason: '材料失实' }

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

  it('names the case, and a code with how long it holds', () => {
    expect(smsText('case.return', PARAMS)).toContain('SZ20260302000001')
    expect(smsText('case.trackCode', PARAMS)).toMatch(/SZ20260302000001.*482913.*10 分钟/)
    expect(smsText('account.passwordReset', PARAMS)).toMatch(/482913.*10 分钟.*请勿将验证码告诉他人/)
  })

  it('refuses a template without words or a missing parameter, instead of sending a hole', () => {
    expect(() => smsText('case.unknown', PARAMS)).toThrow('no SMS wording for the template case.unknown')
    expect(() => smsText('case.accept', { caseNo: 'SZ20260302000001' })).toThrow('lacks its parameter deadline')
  })
})
