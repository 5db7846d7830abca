/**
 * A clerk who leaves: their account is disabled from the console (停用), every session of theirs
 * ends at once, signing in is answered as for a name that does not exist, and the change is in
 * the audit log; enabling brings the same account back. Their cases stay with the department.
 */
import { describe, expect, it, vi } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { disableStaffUser, enableStaffUser } from '../../server/services/staff-accounts'
import { verifyAuditChain } from '../../server/services/audit'
import { listCases } from '../../server/services/case-queries'
import { receiveCounterCase } from '../../server/services/counter'
import { createSession, findSessionUser } from '../../server/services/sessions'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1', userAgent: 'test' }
const LEFT = 'left the department on 2026-03-01'

async function signIn(conn: Connection, username: string): Promise<string> {
  const result = await login(conn, username, DEMO_PASSWORD, meta)
  if (!result.ok) throw new Error(`expected ${username} to sign in`)
  return result.token
}

const lastAudit = (conn: Connection) => conn.sqlite.prepare(`SELECT actor_id AS actorId, actor_role AS actorRole, action, subject, detail
  FROM audit_log ORDER BY id DESC LIMIT 1`).get() as { actorId: number | null, actorRole: string | null, action: string, subject: string | null, detail: string | null }
const auditCount = (conn: Connection) => (conn.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
const disabledAt = (conn: Connection, username: string) =>
  (conn.sqlite.prepare('SELECT disabled_at AS at FROM users WHERE username = ?').get(username) as { at: string | null }).at

describe('an administrator disabling the account of a clerk who left', () => {
  it('ends every session of theirs at once and records why, from the console, without personal data', async () => {
    const conn = freshDatabase()
    const laptop = await signIn(conn, 'clerk')
    const counter = await signIn(conn, 'clerk')
    const colleague = await signIn(conn, 'clerk2')
    const now = new Date('2026-03-02T02:00:00Z')

    expect(disableStaffUser(conn, 'Clerk', LEFT, now)).toEqual({ ok: true, userId: userIdOf(conn, 'clerk'), changed: true, disabledAt: now.toISOString(), endedSessions: 2 })
    expect(findSessionUser(conn, laptop)).toBeNull()
    expect(findSessionUser(conn, counter)).toBeNull()
    expect(findSessionUser(conn, colleague)?.username).toBe('clerk2')

    const row = lastAudit(conn)
    expect(row).toMatchObject({ actorId: null, actorRole: 'console', action: 'account.disable', subject: `user:${userIdOf(conn, 'clerk')}` })
    expect(JSON.parse(row.detail!)).toEqual({ role: 'clerk', department: 'SZRS', reason: LEFT, endedSessions: 2 })
    expect(row.detail).not.toContain('王建国')
    expect(verifyAuditChain(conn).firstBadId).toBeNull()
  })

  it('leaves nothing changed when the audit row cannot be written: the mark, the sessions and the row are one transaction', async () => {
    const conn = freshDatabase()
    const token = await signIn(conn, 'clerk')
    conn.sqlite.exec(`CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log WHEN NEW.action = 'account.disable' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`)
    expect(() => disableStaffUser(conn, 'clerk', LEFT)).toThrow(/audit refused/)
    expect(disabledAt(conn, 'clerk')).toBeNull()
    expect(findSessionUser(conn, token)?.username).toBe('clerk')
  })

  it('answers their sign-in, with the right password, exactly as for a name that does not exist', async () => {
    const conn = freshDatabase()
    disableStaffUser(conn, 'clerk', LEFT)
    const unknown = await login(conn, 'nobody-here', DEMO_PASSWORD, meta)
    expect(await login(conn, 'clerk', DEMO_PASSWORD, meta)).toEqual(unknown)
    expect(unknown).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ? AND ended_at IS NULL').get(userIdOf(conn, 'clerk'))).toEqual({ n: 0 })
    // the auditor sees who keeps trying the account; the person trying does not learn it exists
    expect(lastAudit(conn)).toMatchObject({ actorId: userIdOf(conn, 'clerk'), action: 'auth.login.failed', detail: JSON.stringify({ reason: 'disabled' }) })
  })

  it('locks a disabled account\'s name after five wrong sign-ins exactly as a name that does not exist, and not the account', async () => {
    const conn = freshDatabase()
    disableStaffUser(conn, 'clerk', LEFT)
    const now = new Date('2026-03-02T02:00:00Z')
    for (let i = 0; i <= MAX_FAILED_LOGINS; i++) {
      expect(await login(conn, 'clerk', 'a wrong guess', meta, now)).toEqual(await login(conn, 'nobody-here', 'a wrong guess', meta, now))
    }
    expect(await login(conn, 'clerk', DEMO_PASSWORD, meta, now)).toMatchObject({ ok: false, reason: 'locked' })
    // the account row itself is untouched: enabled again, it signs in
    expect(conn.sqlite.prepare(`SELECT failed_logins AS failed, locked_until AS lockedUntil FROM users WHERE username = 'clerk'`).get()).toEqual({ failed: 0, lockedUntil: null })
  })

  it('refuses a sign-in that was checking the password while the account was disabled', async () => {
    const conn = freshDatabase()
    // login() reads the account, then hashes the password asynchronously: the disable lands in between
    const inFlight = login(conn, 'clerk', DEMO_PASSWORD, meta)
    disableStaffUser(conn, 'clerk', LEFT)
    expect(await inFlight).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userIdOf(conn, 'clerk'))).toEqual({ n: 0 })
  })

  it('lets no session of a disabled account through, however it was made', () => {
    const conn = freshDatabase()
    disableStaffUser(conn, 'clerk', LEFT)
    const token = createSession(conn, userIdOf(conn, 'clerk'), meta)
    expect(findSessionUser(conn, token)).toBeNull()
  })

  it('keeps the clerk\'s cases with the department: a colleague there sees and handles the one they took in at the counter', () => {
    const conn = freshDatabase()
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const now = new Date('2026-03-02T02:00:00Z')
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, now))
    disableStaffUser(conn, 'clerk', LEFT)
    // the successor's account; its password does not matter here
    const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('successor', 'x', 'clerk', 'SZRS', '李明')`).run()
    const successor = { id: Number(lastInsertRowid), role: 'clerk', departmentCode: 'SZRS' }
    expect(listCases(conn, successor, { status: 'open', page: 1, pageSize: 50 }, now).items.map(c => c.caseNo)).toContain(caseNo)
    expect(applyTransition(conn, { caseNo, action: 'accept', version: 1, user: successor, now }).status).toBe('accepted')
  })

  it('does nothing the second time, and writes no second audit row', () => {
    const conn = freshDatabase()
    const first = new Date('2026-03-02T02:00:00Z')
    disableStaffUser(conn, 'clerk', LEFT, first)
    const rows = auditCount(conn)
    expect(disableStaffUser(conn, 'clerk', 'again', new Date('2026-03-03T02:00:00Z'))).toMatchObject({ ok: true, changed: false, disabledAt: first.toISOString() })
    expect(auditCount(conn)).toBe(rows)
  })
})

describe('what the console refuses to disable or enable', () => {
  it('refuses a citizen: a citizen closes their own account', async () => {
    const conn = freshDatabase()
    const token = await signIn(conn, 'citizen')
    const rows = auditCount(conn)
    expect(disableStaffUser(conn, 'citizen', LEFT)).toEqual({ ok: false, reason: 'citizen' })
    expect(enableStaffUser(conn, 'citizen')).toEqual({ ok: false, reason: 'citizen' })
    expect(findSessionUser(conn, token)?.username).toBe('citizen')
    expect(disabledAt(conn, 'citizen')).toBeNull()
    expect(auditCount(conn)).toBe(rows)
  })

  it('refuses an unknown username', () => {
    const conn = freshDatabase()
    expect(disableStaffUser(conn, 'nobody-here', LEFT)).toEqual({ ok: false, reason: 'unknownUser' })
    expect(enableStaffUser(conn, 'nobody-here')).toEqual({ ok: false, reason: 'unknownUser' })
  })

  it('refuses a closed account', () => {
    const conn = freshDatabase()
    conn.sqlite.prepare(`UPDATE users SET closed_at = '2026-03-01T00:00:00.000Z' WHERE username = 'manager'`).run()
    expect(disableStaffUser(conn, 'manager', LEFT)).toEqual({ ok: false, reason: 'closed' })
    expect(enableStaffUser(conn, 'manager')).toEqual({ ok: false, reason: 'closed' })
  })

  it('refuses a reason that is empty, too long, more than one line, or holds an ID or mobile number, writing nothing', () => {
    const conn = freshDatabase()
    const rows = auditCount(conn)
    expect(disableStaffUser(conn, 'clerk', '   ')).toEqual({ ok: false, reason: 'reasonMissing' })
    expect(disableStaffUser(conn, 'clerk', '离'.repeat(201))).toEqual({ ok: false, reason: 'reasonTooLong' })
    expect(disableStaffUser(conn, 'clerk', 'left\nthe department')).toEqual({ ok: false, reason: 'reasonControlChars' })
    expect(disableStaffUser(conn, 'clerk', 'resigned, see 440305199003072319')).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(disableStaffUser(conn, 'clerk', 'call 13800138000 first')).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(disableStaffUser(conn, 'clerk', '身份证４４０３０５１９９００３０７２３１９')).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(disabledAt(conn, 'clerk')).toBeNull()
    expect(auditCount(conn)).toBe(rows)
    // Chinese punctuation is full-width, and a date is not an ID number
    expect(disableStaffUser(conn, 'clerk', '已离职（2026年3月1日），工号调出')).toMatchObject({ ok: true, changed: true })
    expect(JSON.parse(lastAudit(conn).detail!)).toMatchObject({ reason: '已离职（2026年3月1日），工号调出' })
    expect(disableStaffUser(conn, 'clerk2', '离'.repeat(200))).toMatchObject({ ok: true, changed: true })
  })
})

describe('an administrator enabling the account again', () => {
  it('lets the person sign in again with their own password, audited from the console', async () => {
    const conn = freshDatabase()
    disableStaffUser(conn, 'clerk', LEFT)
    expect(enableStaffUser(conn, 'clerk', 'came back from secondment')).toEqual({ ok: true, userId: userIdOf(conn, 'clerk'), changed: true, disabledAt: null, endedSessions: 0 })
    const row = lastAudit(conn)
    expect(row).toMatchObject({ actorId: null, actorRole: 'console', action: 'account.enable', subject: `user:${userIdOf(conn, 'clerk')}` })
    expect(JSON.parse(row.detail!)).toMatchObject({ role: 'clerk', department: 'SZRS', reason: 'came back from secondment' })
    const token = await signIn(conn, 'clerk')
    expect(findSessionUser(conn, token)?.username).toBe('clerk')
  })

  it('does nothing for an account that is not disabled', () => {
    const conn = freshDatabase()
    const rows = auditCount(conn)
    expect(enableStaffUser(conn, 'manager')).toMatchObject({ ok: true, changed: false })
    expect(auditCount(conn)).toBe(rows)
  })
})
