/**
 * A citizen proves the mobile on record is theirs with a code sent to it, and only then does
 * anything from the counter reach their account: someone who registered with another person's
 * name, ID number and mobile (they leak together) gets none of that person's cases or licences.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { registerPerson } from '../../server/services/registration'
import { applyTransition } from '../../server/services/transitions'
import { receiveCounterCase } from '../../server/services/counter'
import { getProfile } from '../../server/services/profile'
import { confirmMobileCode, forgetOldMobileCodes, isMobileVerified, requestMobileCode } from '../../server/services/mobile-verification'
import { confirmPasswordReset, requestPasswordReset } from '../../server/services/password-reset'
import { closeAccount, collectPersonalData } from '../../server/services/personal-data'
import { findHeldResult, findResultFor, listMyResults } from '../../server/services/results'
import { passwordResetConfirmSchema } from '../../shared/utils/validators'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const IP = '192.0.2.45'
const T0 = new Date('2026-03-02T02:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
const PASSWORD = 'a long sentence for zhao'
/** A person who is served at the counter before registering. */
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912340000' }

async function register(conn: Connection, username = 'zhao'): Promise<{ id: number, role: string, departmentCode: null } & typeof ZHAO> {
  const r = await registerPerson(conn, { username, password: PASSWORD, ...ZHAO }, { ip: IP }, T0)
  if (!r.ok) throw new Error(r.reason)
  return { id: r.userId, role: 'citizen', departmentCode: null, ...ZHAO }
}

/** The code in the newest verification SMS to ZHAO, as the person reads it on their phone. */
function lastCode(conn: Connection): string {
  const rows = conn.sqlite.prepare(`SELECT recipient, params FROM outbox WHERE template = 'account.mobileVerify' ORDER BY id`).all() as { recipient: string, params: string }[]
  expect(rows.at(-1)!.recipient).toBe(ZHAO.mobile)
  return String((JSON.parse(rows.at(-1)!.params) as { code: string }).code)
}
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const clerkOf = (conn: Connection) => ({ id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' })
const actions = (conn: Connection, like: string) => (conn.sqlite.prepare('SELECT action, detail FROM audit_log WHERE action LIKE ? ORDER BY id').all(like) as { action: string, detail: string | null }[])
  .map(r => ({ action: r.action, detail: r.detail === null ? null : JSON.parse(r.detail) as unknown }))

/** A counter case of ZHAO's, approved, with its licence (SZRS-0006 issues one, no form). */
function counterLicence(conn: Connection, now = T0): { caseNo: string, code: string, linked: number | null } {
  const clerk = clerkOf(conn)
  const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0006', applicant: ZHAO, answers: {}, clerk }, now))
  applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now })
  const row = conn.sqlite.prepare('SELECT c.applicant_id AS linked, r.code FROM cases c JOIN results r ON r.case_no = c.case_no WHERE c.case_no = ?').get(caseNo) as { linked: number | null, code: string }
  return { caseNo, ...row }
}

describe('verifying the mobile with an SMS code', () => {
  it('a fresh account starts unverified; the code goes to the mobile on record, only its salted hash is kept, and it verifies', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    expect(isMobileVerified(conn, zhao.id)).toBe(false)
    expect(getProfile(conn, zhao.id)).toMatchObject({ mobileVerified: false })
    expect(requestMobileCode(conn, zhao, IP, T0)).toEqual({ ok: true, minutes: 10 })
    const code = lastCode(conn)
    expect(code).toMatch(/^\d{6}$/)
    const rows = conn.sqlite.prepare('SELECT * FROM mobile_codes').all() as Record<string, unknown>[]
    expect(rows).toMatchObject([{ user_id: zhao.id, expires_at: at(10).toISOString(), used_at: null }])
    expect(Object.values(rows[0]!).map(String)).not.toContain(code)
    // a verification code is not a password-reset code
    expect(conn.sqlite.prepare('SELECT count(*) FROM password_resets').pluck().get()).toBe(0)
    expect(confirmMobileCode(conn, zhao, code, IP, at(3))).toEqual({ ok: true, verifiedAt: at(3).toISOString() })
    expect(getProfile(conn, zhao.id)).toMatchObject({ mobileVerified: true })
    expect(actions(conn, 'account.mobile%')).toEqual([
      { action: 'account.mobile.request', detail: null },
      { action: 'account.mobile.verified', detail: { via: 'code' } },
    ])
    const audit = JSON.stringify(conn.sqlite.prepare('SELECT * FROM audit_log').all())
    expect(audit).not.toContain(code)
    expect(audit).not.toContain(ZHAO.mobile)
    // once verified there is nothing more to verify
    expect(requestMobileCode(conn, zhao, IP, at(4))).toEqual({ ok: false, reason: 'alreadyVerified' })
    expect(confirmMobileCode(conn, zhao, code, IP, at(4))).toEqual({ ok: false, reason: 'alreadyVerified' })
  })

  it('five wrong codes void the code, an expired one and an older one do not work, and at most three are sent an hour', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    requestMobileCode(conn, zhao, IP, T0)
    const code = lastCode(conn)
    for (let i = 0; i < 5; i++) expect(confirmMobileCode(conn, zhao, otherCode(code), IP, at(1))).toEqual({ ok: false, reason: 'invalid' })
    expect(confirmMobileCode(conn, zhao, code, IP, at(1))).toEqual({ ok: false, reason: 'invalid' })
    requestMobileCode(conn, zhao, IP, at(2))
    const older = lastCode(conn)
    requestMobileCode(conn, zhao, IP, at(3))
    const newest = lastCode(conn)
    if (older !== newest) expect(confirmMobileCode(conn, zhao, older, IP, at(4))).toEqual({ ok: false, reason: 'invalid' })
    expect(requestMobileCode(conn, zhao, IP, at(5))).toEqual({ ok: false, reason: 'hourlyLimit', retryAt: at(60).toISOString() })
    expect(confirmMobileCode(conn, zhao, newest, IP, at(14))).toEqual({ ok: false, reason: 'invalid' })
    expect(isMobileVerified(conn, zhao.id)).toBe(false)
    expect(requestMobileCode(conn, zhao, IP, at(61))).toMatchObject({ ok: true })
    const reasons = actions(conn, 'account.mobile.failed').map(a => (a.detail as { reason: string }).reason)
    expect(reasons.slice(0, 6)).toEqual(['wrongCode', 'wrongCode', 'wrongCode', 'wrongCode', 'wrongCode', 'noCode'])
    expect(reasons.at(-1)).toBe('expired')
  })

  it('a staff account has no mobile to verify', () => {
    const conn = freshDatabase()
    expect(requestMobileCode(conn, clerkOf(conn), IP, T0)).toEqual({ ok: false, reason: 'noMobile' })
  })

  it('a password reset proves the mobile too: the code reached it', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    expect(requestPasswordReset(conn, ZHAO, IP, T0)).toBe('sent')
    const sms = conn.sqlite.prepare(`SELECT params FROM outbox WHERE template = 'account.passwordReset'`).pluck().get() as string
    const input = passwordResetConfirmSchema.parse({ ...ZHAO, code: String((JSON.parse(sms) as { code: string }).code), newPassword: 'another long sentence here' })
    expect((await confirmPasswordReset(conn, input, IP, at(2))).ok).toBe(true)
    expect(isMobileVerified(conn, zhao.id)).toBe(true)
    expect(actions(conn, 'account.mobile.verified')).toEqual([{ action: 'account.mobile.verified', detail: { via: 'passwordReset' } }])
  })

  it('codes go after a day, and at once when the account is closed, with the verification', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    requestMobileCode(conn, zhao, IP, T0)
    expect(forgetOldMobileCodes(conn, at(23 * 60))).toBe(0)
    expect(forgetOldMobileCodes(conn, at(24 * 60 + 1))).toBe(1)
    requestMobileCode(conn, zhao, IP, at(24 * 60 + 2))
    confirmMobileCode(conn, zhao, lastCode(conn), IP, at(24 * 60 + 3))
    requestMobileCode(conn, { id: userIdOf(conn, 'citizen2'), role: 'citizen' }, IP, at(24 * 60 + 4)) // another account's code stays
    expect((await closeAccount(conn, zhao, PASSWORD, IP, at(24 * 60 + 5))).ok).toBe(true)
    expect(conn.sqlite.prepare('SELECT user_id FROM mobile_codes').pluck().all()).toEqual([])
    expect(conn.sqlite.prepare('SELECT mobile_verified_at FROM users WHERE id = ?').pluck().get(zhao.id)).toBeNull()
  })
})

describe('a person who comes back to the page with the code in hand (a phone reloads it on return from the SMS app)', () => {
  const pending = (conn: Connection, userId: number, now: Date) => getProfile(conn, userId, now)!.mobileCodePending

  it('finds in the profile until when the code sent still works, and that another may be asked now; never the code', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    expect(pending(conn, zhao.id, T0)).toBeNull()
    requestMobileCode(conn, zhao, IP, T0)
    const code = lastCode(conn)
    const profile = getProfile(conn, zhao.id, at(3))!
    expect(profile.mobileCodePending).toEqual({ expiresAt: at(10).toISOString(), nextCodeAt: null })
    expect(JSON.stringify(profile)).not.toContain(code)
    // a new code replaces the time: the first no longer works
    requestMobileCode(conn, zhao, IP, at(4))
    expect(pending(conn, zhao.id, at(5))).toEqual({ expiresAt: at(14).toISOString(), nextCodeAt: null })
    // the code used, the mobile is verified: nothing is pending
    expect(confirmMobileCode(conn, zhao, lastCode(conn), IP, at(6))).toMatchObject({ ok: true })
    expect(pending(conn, zhao.id, at(6))).toBeNull()
  })

  it('after the hour\'s third code is told when a fourth may be asked', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    for (const minute of [0, 15, 30]) requestMobileCode(conn, zhao, IP, at(minute))
    expect(pending(conn, zhao.id, at(31))).toEqual({ expiresAt: at(40).toISOString(), nextCodeAt: at(60).toISOString() })
    expect(requestMobileCode(conn, zhao, IP, at(31))).toEqual({ ok: false, reason: 'hourlyLimit', retryAt: at(60).toISOString() })
  })

  it('is offered no box for a code that no longer works: expired, or voided by the fifth wrong try', async () => {
    const conn = freshDatabase()
    const zhao = await register(conn)
    requestMobileCode(conn, zhao, IP, T0)
    expect(pending(conn, zhao.id, at(9))).not.toBeNull()
    expect(pending(conn, zhao.id, at(10))).toBeNull()
    requestMobileCode(conn, zhao, IP, at(11))
    const code = lastCode(conn)
    for (let i = 0; i < 4; i++) confirmMobileCode(conn, zhao, otherCode(code), IP, at(12))
    expect(pending(conn, zhao.id, at(12))).toEqual({ expiresAt: at(21).toISOString(), nextCodeAt: null })
    confirmMobileCode(conn, zhao, otherCode(code), IP, at(12))
    expect(pending(conn, zhao.id, at(12))).toBeNull()
  })
})

describe('nothing from the counter goes to an account that has not verified its mobile', () => {
  it('someone registered with the person\'s three details gets neither the counter case nor its licence; verifying later, the person does', async () => {
    const conn = freshDatabase()
    const before = counterLicence(conn)
    const zhao = await register(conn)
    const after = counterLicence(conn, at(5))
    // unverified: the new case is linked to nobody, and neither licence is theirs
    expect(after.linked).toBeNull()
    for (const code of [before.code, after.code]) {
      expect(findResultFor(conn, code, zhao)).toBeNull()
      expect(findHeldResult(conn, code, zhao)).toBeNull()
    }
    expect(listMyResults(conn, zhao)).toEqual([])
    expect(collectPersonalData(conn, zhao.id, at(6))).toMatchObject({ profile: { mobileVerifiedAt: null }, cases: [], results: [] })

    requestMobileCode(conn, zhao, IP, at(10))
    expect(confirmMobileCode(conn, zhao, lastCode(conn), IP, at(11)).ok).toBe(true)
    // read at each look: both unlinked licences are theirs now, and their cases are in the copy
    expect(listMyResults(conn, zhao).map(r => r.code).sort()).toEqual([before.code, after.code].sort())
    expect(findHeldResult(conn, after.code, zhao)).not.toBeNull()
    const copy = collectPersonalData(conn, zhao.id, at(12))
    expect(copy.profile.mobileVerifiedAt).toBe(at(11).toISOString())
    expect(copy.cases.map(c => c.caseNo).sort()).toEqual([before.caseNo, after.caseNo].sort())
    // and the next counter case is linked to the account
    expect(counterLicence(conn, at(20)).linked).toBe(zhao.id)
  })
})
