/**
 * A citizen who forgot their password gets back in with a code sent by SMS to the mobile on
 * record, and nobody else learns from trying whether an account exists.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { consoleSender, deliverDue } from '../../server/services/outbox-sender'
import { closeAccount } from '../../server/services/personal-data'
import { confirmPasswordReset, forgetOldPasswordResets, MAX_WRONG_CODES, requestPasswordReset } from '../../server/services/password-reset'
import { findSessionUser } from '../../server/services/sessions'
import { passwordResetConfirmSchema, passwordResetRequestSchema } from '../../shared/utils/validators'
import { demoPerson } from '../support/fixtures'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const IP = '192.0.2.44'
const T0 = new Date('2026-03-02T02:00:00Z')
const NEW_PASSWORD = 'a fresh sentence I will remember'
const me = demoPerson('citizen')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

interface Sms { recipient: string, template: string, params: Record<string, string | number> }
function smsOf(conn: Connection, template: string): Sms[] {
  return (conn.sqlite.prepare('SELECT recipient, template, params FROM outbox WHERE template = ? ORDER BY id').all(template) as { recipient: string, template: string, params: string }[])
    .map(r => ({ ...r, params: JSON.parse(r.params) as Sms['params'] }))
}
/** The code in the newest reset SMS, as the person reads it on their phone. */
function lastCode(conn: Connection): string {
  const sms = smsOf(conn, 'account.passwordReset')
  return String(sms.at(-1)!.params.code)
}
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const confirm = (conn: Connection, code: string, now = T0, over: Partial<typeof me> = {}) =>
  confirmPasswordReset(conn, passwordResetConfirmSchema.parse({ ...me, ...over, code, newPassword: NEW_PASSWORD }), IP, now)
const auditActions = (conn: Connection) => (conn.sqlite.prepare(`SELECT action, detail FROM audit_log WHERE action LIKE 'account.passwordReset%' ORDER BY id`).all() as { action: string, detail: string | null }[])
  .map(r => ({ action: r.action, detail: r.detail === null ? null : JSON.parse(r.detail) as unknown }))

describe('asking for a code', () => {
  it('sends a 6-digit code to the mobile on record and keeps only a salted hash of it', () => {
    const conn = freshDatabase()
    expect(requestPasswordReset(conn, me, IP, T0)).toBe('sent')
    const [sms] = smsOf(conn, 'account.passwordReset')
    expect(sms).toMatchObject({ recipient: me.mobile, params: { minutes: 10 } })
    const code = String(sms!.params.code)
    expect(code).toMatch(/^\d{6}$/)
    const rows = conn.sqlite.prepare('SELECT * FROM password_resets').all() as Record<string, unknown>[]
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ user_id: userIdOf(conn, 'citizen'), expires_at: at(10).toISOString(), used_at: null, voided_at: null, attempts: 0 })
    expect(Object.values(rows[0]!).map(String)).not.toContain(code)
    expect(auditActions(conn)).toEqual([{ action: 'account.passwordReset.request', detail: null }])
  })

  it('finds the person by the ID number however its final x was typed', () => {
    const conn = freshDatabase()
    const her = demoPerson('citizen2')
    const typed = passwordResetRequestSchema.parse({ idNumber: ` ${her.idNumber.toLowerCase()} `, mobile: her.mobile })
    expect(requestPasswordReset(conn, typed, IP, T0)).toBe('sent')
    expect(smsOf(conn, 'account.passwordReset').map(s => s.recipient)).toEqual([her.mobile])
  })

  it('sends the code to the verified one of two accounts with the ID number and mobile, and to neither when none is verified', () => {
    const conn = freshDatabase()
    // a second account with the demo citizen's details, which could not verify (the demo citizen is verified at seed)
    const twin = Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile) VALUES ('twin', 'x', 'citizen', ?, ?, ?)`)
      .run(me.name, me.idNumber, me.mobile).lastInsertRowid)
    expect(requestPasswordReset(conn, me, IP, T0)).toBe('sent')
    expect(conn.sqlite.prepare('SELECT user_id FROM password_resets').pluck().all()).toEqual([userIdOf(conn, 'citizen')])
    conn.sqlite.prepare('UPDATE users SET mobile_verified_at = NULL WHERE id IN (?, ?)').run(userIdOf(conn, 'citizen'), twin)
    expect(requestPasswordReset(conn, me, IP, at(1))).toBe('ambiguous')
  })

  it('sends nothing when the ID number and mobile match no open account, and records that without either', () => {
    const conn = freshDatabase()
    expect(requestPasswordReset(conn, { ...me, mobile: '13700001111' }, IP, T0)).toBe('noMatch')
    expect(requestPasswordReset(conn, { idNumber: demoPerson('citizen2').idNumber, mobile: me.mobile }, IP, T0)).toBe('noMatch')
    expect(smsOf(conn, 'account.passwordReset')).toEqual([])
    expect(conn.sqlite.prepare('SELECT count(*) FROM password_resets').pluck().get()).toBe(0)
    expect(auditActions(conn)).toEqual([
      { action: 'account.passwordReset.refused', detail: { reason: 'noMatch' } },
      { action: 'account.passwordReset.refused', detail: { reason: 'noMatch' } },
    ])
    const audit = JSON.stringify(conn.sqlite.prepare('SELECT * FROM audit_log').all())
    expect(audit).not.toContain('13700001111')
    expect(audit).not.toContain(me.idNumber)
  })

  it('never sends one to a staff account, whose password is reset on the console', () => {
    const conn = freshDatabase()
    conn.sqlite.prepare(`UPDATE users SET id_number = ?, mobile = ? WHERE username = 'clerk'`).run('110105194912310029', '13600002222')
    expect(requestPasswordReset(conn, { idNumber: '110105194912310029', mobile: '13600002222' }, IP, T0)).toBe('staff')
    expect(smsOf(conn, 'account.passwordReset')).toEqual([])
  })

  it('sends at most 3 codes an hour to one account, then answers alike but sends nothing', () => {
    const conn = freshDatabase()
    expect([0, 1, 2, 3].map(m => requestPasswordReset(conn, me, IP, at(m)))).toEqual(['sent', 'sent', 'sent', 'hourlyLimit'])
    expect(smsOf(conn, 'account.passwordReset')).toHaveLength(3)
    expect(auditActions(conn).at(-1)).toEqual({ action: 'account.passwordReset.refused', detail: { reason: 'hourlyLimit' } })
    // an hour after the first, one more may go
    expect(requestPasswordReset(conn, me, IP, at(60.5))).toBe('sent')
    expect(smsOf(conn, 'account.passwordReset')).toHaveLength(4)
  })

  it('voids the earlier code when a new one is sent', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const first = lastCode(conn)
    requestPasswordReset(conn, me, IP, at(1))
    const second = lastCode(conn)
    if (first !== second) expect(await confirm(conn, first, at(2))).toEqual({ ok: false, reason: 'invalid' })
    expect(await confirm(conn, second, at(2))).toMatchObject({ ok: true })
  })

  it('is forgotten when the account is closed, and a closed account gets no code', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, IP, at(1))).toEqual({ ok: true })
    expect(conn.sqlite.prepare('SELECT count(*) FROM password_resets').pluck().get()).toBe(0)
    expect(requestPasswordReset(conn, me, IP, at(2))).toBe('noMatch')
  })

  it('keeps the rows a day, then the retention deletes them', () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    expect(forgetOldPasswordResets(conn, at(23 * 60))).toBe(0)
    expect(forgetOldPasswordResets(conn, at(24 * 60 + 1))).toBe(1)
    expect(conn.sqlite.prepare('SELECT count(*) FROM password_resets').pluck().get()).toBe(0)
  })
})

describe('setting a new password with the code', () => {
  it('works with the right code: every session ends, the sign-in lock lifts, and the mobile is told', async () => {
    const conn = freshDatabase()
    const meta = { ip: IP, userAgent: 'test' }
    const laptop = await login(conn, 'citizen', DEMO_PASSWORD, meta, T0)
    if (!laptop.ok) throw new Error('expected a sign-in')
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(conn, 'citizen', 'someone guessing', meta, T0)
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta, at(1))).toMatchObject({ ok: false, reason: 'locked' })

    requestPasswordReset(conn, me, IP, at(1))
    expect(await confirm(conn, lastCode(conn), at(2))).toEqual({ ok: true, endedSessions: 1 })
    expect(findSessionUser(conn, laptop.token, at(2))).toBeNull()
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta, at(3))).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(await login(conn, 'citizen', NEW_PASSWORD, meta, at(3))).toMatchObject({ ok: true })
    expect(smsOf(conn, 'account.passwordChanged')).toEqual([{ recipient: me.mobile, template: 'account.passwordChanged', params: {} }])
    expect(auditActions(conn).at(-1)).toEqual({ action: 'account.passwordReset', detail: { endedSessions: 1 } })
  })

  it('uses a code once', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const code = lastCode(conn)
    expect((await confirm(conn, code, at(1))).ok).toBe(true)
    expect(await confirm(conn, code, at(2))).toEqual({ ok: false, reason: 'invalid' })
  })

  it('refuses the right code after 10 minutes', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    expect(await confirm(conn, lastCode(conn), at(10))).toEqual({ ok: false, reason: 'invalid' })
    expect(await login(conn, 'citizen', DEMO_PASSWORD, { ip: IP }, at(11))).toMatchObject({ ok: true })
  })

  it('voids the code after 5 wrong tries, so the right one fails too', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const code = lastCode(conn)
    for (let i = 0; i < MAX_WRONG_CODES; i++) expect(await confirm(conn, otherCode(code), at(1))).toEqual({ ok: false, reason: 'invalid' })
    expect(await confirm(conn, code, at(2))).toEqual({ ok: false, reason: 'invalid' })
    expect(conn.sqlite.prepare('SELECT attempts, voided_at AS voidedAt FROM password_resets').get()).toEqual({ attempts: MAX_WRONG_CODES, voidedAt: at(1).toISOString() })
  })

  it('lets a wrong try or four pass, and the right code still works', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const code = lastCode(conn)
    for (let i = 0; i < MAX_WRONG_CODES - 1; i++) await confirm(conn, otherCode(code), at(1))
    expect((await confirm(conn, code, at(2))).ok).toBe(true)
  })

  it('gives one refusal for another person\'s details, no code asked, or no such account', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const code = lastCode(conn)
    const her = demoPerson('citizen2')
    expect(await confirm(conn, code, at(1), her)).toEqual({ ok: false, reason: 'invalid' })
    expect(await confirm(conn, code, at(1), { mobile: '13700001111' })).toEqual({ ok: false, reason: 'invalid' })
    // the attempts above named other people: this code is untouched
    expect((await confirm(conn, code, at(2))).ok).toBe(true)
  })
})

describe('the code stays out of logs and the audit trail', () => {
  it('is neither in the audit log nor in the line the console sender writes', async () => {
    const conn = freshDatabase()
    requestPasswordReset(conn, me, IP, T0)
    const code = lastCode(conn)
    await confirm(conn, otherCode(code), at(1))
    await confirm(conn, code, at(2))
    const lines: string[] = []
    const round = await deliverDue(conn, consoleSender(l => lines.push(l)), { now: () => at(3) })
    expect(round.sent).toBe(2)
    expect(lines.map(l => JSON.parse(l) as { template: string }).map(l => l.template)).toEqual(['account.passwordReset', 'account.passwordChanged'])
    for (const line of lines) {
      expect(line).not.toContain(code)
      expect(line).not.toContain(me.mobile)
    }
    const audit = conn.sqlite.prepare('SELECT action, subject, detail, ip FROM audit_log').all()
    expect(JSON.stringify(audit)).not.toContain(code)
    expect(JSON.stringify(audit)).not.toContain(me.mobile)
  })
})
