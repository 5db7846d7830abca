/**
 * The applicant's own details in a form (name, ID number, mobile), held to the account or the
 * counter's applicant: read as the form's own checks read them, so that a number the form accepts
 * is not then refused as someone else's.
 */
import { describe, expect, it } from 'vitest'
import { sameApplicantAnswer } from '../../server/services/applicant-match'

describe('an answer naming the applicant', () => {
  it('is the ID number on record however it was typed: spaces between the groups, full-width digits, a small x', () => {
    const own = '11010519491231002X'
    for (const typed of ['110105 19491231 002X', '１１０１０５１９４９１２３１００２Ｘ', '11010519491231002x', ` ${own} `]) {
      expect(sameApplicantAnswer('idNumber', typed, own), typed).toBe(true)
    }
    expect(sameApplicantAnswer('idNumber', '110105194912310029', own)).toBe(false)
  })

  it('is the mobile on record however it was typed, and the name trimmed', () => {
    expect(sameApplicantAnswer('mobile', '+86 138 0013 8000', '13800138000')).toBe(true)
    expect(sameApplicantAnswer('name', ' 张晓明 ', '张晓明')).toBe(true)
    expect(sameApplicantAnswer('name', '张晓', '张晓明')).toBe(false)
  })
})
