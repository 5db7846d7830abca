import { describe, expect, it } from 'vitest'
import { isAllowed } from '../../server/utils/auth'
import type { SessionUser } from '../../server/services/sessions'

const ROLES = ['citizen', 'clerk', 'manager', 'admin', 'auditor'] as const
const userWith = (role: typeof ROLES[number]): SessionUser => ({ id: 1, sessionId: 1, username: 'u', role, departmentCode: null, name: 'n', idNumber: null, mobile: null, email: null })

describe('one authorize mechanism', () => {
  it('lets anyone call a public route, signed in or not', () => {
    expect(isAllowed('public', null)).toBe(true)
    for (const r of ROLES) expect(isAllowed('public', userWith(r))).toBe(true)
  })

  it('refuses a signed-in route without a session and allows every role with one', () => {
    expect(isAllowed('signedIn', null)).toBe(false)
    for (const r of ROLES) expect(isAllowed('signedIn', userWith(r))).toBe(true)
  })

  it('allows exactly the listed roles', () => {
    for (const listed of ROLES) {
      for (const r of ROLES) expect(isAllowed([listed], userWith(r))).toBe(r === listed)
      expect(isAllowed([listed], null)).toBe(false)
    }
  })
})
