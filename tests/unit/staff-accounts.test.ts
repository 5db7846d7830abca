/**
 * The console's other two account commands: a staff member who forgot their password gets a new
 * one (every session of theirs ends, a sign-in lock is lifted), and a clerk transferred to another
 * department or made manager gets the new powers, with their sessions ended so no page goes on
 * with the old ones. Both are audited from the console with the reason; citizens are not the
 * console's to change.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { verifyAuditChain } from '../../server/services/audit'
import type { CaseError } from '../../server/services/case-errors'
import { receiveCounterCase } from '../../server/services/counter'
import { findSessionUser } from '../../server/services/sessions'
import { changeStaffRole, disableStaffUser, resetStaffPassword } from '../../server/services/staff-accounts'
import { findUploadForDownload, listMaterials } from '../../server/services/uploads'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1', userAgent: 'test' }
const NEW_PASSWORD = 'counter-window-7-north'

async function signIn(conn: Connection, username: string, password = DEMO_PASSWORD): Promise<string> {
  const result = await login(conn, username, password, meta)
  if (!result.ok) throw new Error(`expected ${username} to sign in: ${result.reason}`)
  return result.token
}

const lastRoleChange = (conn: Connection) => conn.sqlite.prepare(`SELECT actor_role AS actorRole, action, subject, detail FROM audit_log
  WHERE action = 'account.role.change' ORDER BY id DESC LIMIT 1`).get() as { actorRole: string, action: string, subject: string, detail: string }
const roleOf = (conn: Connection, username: string) => conn.sqlite.prepare('SELECT role, department_code AS departmentCode FROM users WHERE username = ?').get(username)

describe('a new password for a staff member, from the console', () => {
  it('replaces the old one, ends every session of theirs and lifts a sign-in lock, audited without the password', async () => {
    const conn = freshDatabase()
    const session = await signIn(conn, 'clerk')
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(conn, 'clerk', 'not-the-password', meta)
    expect(await login(conn, 'clerk', DEMO_PASSWORD, meta)).toMatchObject({ ok: false, reason: 'locked' })

    expect(resetStaffPassword(conn, 'clerk', NEW_PASSWORD, 'forgot it after leave')).toEqual({ ok: true, userId: userIdOf(conn, 'clerk'), endedSessions: 1 })
    expect(findSessionUser(conn, session)).toBeNull()
    expect(await login(conn, 'clerk', DEMO_PASSWORD, meta)).toMatchObject({ ok: false, reason: 'wrong' })
    expect(findSessionUser(conn, await signIn(conn, 'clerk', NEW_PASSWORD))?.username).toBe('clerk')
    const audit = conn.sqlite.prepare(`SELECT actor_role AS actorRole, detail FROM audit_log WHERE action = 'account.password.reset'`).get() as { actorRole: string, detail: string }
    expect(audit.actorRole).toBe('console')
    expect(JSON.parse(audit.detail)).toEqual({ role: 'clerk', department: 'SZRS', reason: 'forgot it after leave', endedSessions: 1 })
    expect(audit.detail).not.toContain(NEW_PASSWORD)
    expect(verifyAuditChain(conn).firstBadId).toBeNull()
  })

  it('refuses a weak password, a citizen, an unknown name and a reason with personal data, changing nothing', async () => {
    const conn = freshDatabase()
    const before = conn.sqlite.prepare(`SELECT password_hash AS h FROM users WHERE username = 'clerk'`).get()
    expect(resetStaffPassword(conn, 'clerk', 'short', 'forgot')).toEqual({ ok: false, reason: 'password', field: 'validation.password.tooShort' })
    expect(resetStaffPassword(conn, 'clerk', 'ｐａｓｓｗｏｒｄ１２３４', 'forgot')).toEqual({ ok: false, reason: 'password', field: 'validation.password.common' })
    expect(resetStaffPassword(conn, 'citizen', NEW_PASSWORD, 'forgot')).toEqual({ ok: false, reason: 'citizen' })
    expect(resetStaffPassword(conn, 'nobody', NEW_PASSWORD, 'forgot')).toEqual({ ok: false, reason: 'unknownUser' })
    expect(resetStaffPassword(conn, 'clerk', NEW_PASSWORD, 'call 13800138000')).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(resetStaffPassword(conn, 'clerk', NEW_PASSWORD, ' ')).toEqual({ ok: false, reason: 'reasonMissing' })
    expect(conn.sqlite.prepare(`SELECT password_hash AS h FROM users WHERE username = 'clerk'`).get()).toEqual(before)
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'account.password.reset'`).get()).toEqual({ n: 0 })
  })

  it('leaves a disabled account disabled', async () => {
    const conn = freshDatabase()
    disableStaffUser(conn, 'clerk', 'on leave')
    expect(resetStaffPassword(conn, 'clerk', NEW_PASSWORD, 'before coming back')).toMatchObject({ ok: true })
    expect(await login(conn, 'clerk', NEW_PASSWORD, meta)).toMatchObject({ ok: false, reason: 'wrong' })
  })
})

describe('another role or department for a staff member, from the console', () => {
  it('moves a clerk to another department: their sessions end, and they sign in again as a clerk of the new one', async () => {
    const conn = freshDatabase()
    const session = await signIn(conn, 'clerk')
    expect(findSessionUser(conn, session)?.departmentCode).toBe('SZRS')
    expect(changeStaffRole(conn, 'clerk', { role: 'clerk', departmentCode: 'SZGA' }, 'transferred to public security'))
      .toEqual({ ok: true, userId: userIdOf(conn, 'clerk'), changed: true, endedSessions: 1 })
    expect(findSessionUser(conn, session)).toBeNull()
    expect(findSessionUser(conn, await signIn(conn, 'clerk'))).toMatchObject({ role: 'clerk', departmentCode: 'SZGA' })
    const audit = lastRoleChange(conn)
    expect(audit).toMatchObject({ actorRole: 'console', action: 'account.role.change', subject: `user:${userIdOf(conn, 'clerk')}` })
    expect(JSON.parse(audit.detail)).toEqual({ from: { role: 'clerk', department: 'SZRS', head: false }, to: { role: 'clerk', department: 'SZGA', head: false }, reason: 'transferred to public security', endedSessions: 1 })
  })

  it('makes a clerk a manager, who then belongs to no department; the same again changes nothing', () => {
    const conn = freshDatabase()
    expect(changeStaffRole(conn, 'clerk', { role: 'manager' }, 'promoted')).toMatchObject({ ok: true, changed: true })
    expect(roleOf(conn, 'clerk')).toEqual({ role: 'manager', departmentCode: null })
    const audits = conn.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'account.role.change'`).pluck()
    expect(audits.get()).toBe(1)
    expect(changeStaffRole(conn, 'clerk', { role: 'manager', departmentCode: null }, 'promoted')).toMatchObject({ ok: true, changed: false, endedSessions: 0 })
    expect(audits.get()).toBe(1)
  })

  it('refuses a role that is not a staff role, a clerk without a known department, a department for a manager, and a citizen', () => {
    const conn = freshDatabase()
    expect(changeStaffRole(conn, 'clerk', { role: 'citizen' }, 'why')).toEqual({ ok: false, reason: 'role', field: 'validation.option' })
    expect(changeStaffRole(conn, 'clerk', { role: 'root' }, 'why')).toEqual({ ok: false, reason: 'role', field: 'validation.option' })
    expect(changeStaffRole(conn, 'manager', { role: 'clerk' }, 'why')).toEqual({ ok: false, reason: 'department', field: 'validation.department.required' })
    expect(changeStaffRole(conn, 'manager', { role: 'clerk', departmentCode: 'NOPE' }, 'why')).toEqual({ ok: false, reason: 'department', field: 'validation.department.unknown' })
    expect(changeStaffRole(conn, 'clerk', { role: 'manager', departmentCode: 'SZRS' }, 'why')).toEqual({ ok: false, reason: 'department', field: 'validation.department.onlyClerk' })
    expect(changeStaffRole(conn, 'citizen', { role: 'clerk', departmentCode: 'SZRS' }, 'why')).toEqual({ ok: false, reason: 'citizen' })
    expect(changeStaffRole(conn, 'clerk', { role: 'manager' }, '')).toEqual({ ok: false, reason: 'reasonMissing' })
    expect(roleOf(conn, 'clerk')).toEqual({ role: 'clerk', departmentCode: 'SZRS' })
    expect(roleOf(conn, 'manager')).toEqual({ role: 'manager', departmentCode: null })
  })
})

describe('a clerk moved to another department and the scans they made at the counter', () => {
  const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }

  /** A scan the clerk uploaded (only its row: the file is not needed here). */
  function scan(conn: Connection, ownerId: number, id: string) {
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, 100, 'application/pdf', ?, ?)`)
      .run(id, ownerId, `${id}.pdf`, 'a'.repeat(64), `${id}.bin`)
  }

  // 社会保障卡申领 (SZRS) and 身份证遗失补领-like SZGA-0010, each with a scan field
  const SZRS = { code: 'SZRS-0004', fileKey: 'digitalPhotoReceiptFile', answers: { cardBank: 'boc', collectWay: 'branch' } }
  const SZGA = { code: 'SZGA-0010', fileKey: 'digitalPhotoReceiptFile', answers: { lossDate: '2026-11-20' } }

  it('keeps no access to the scans the old department\'s cases hold, and cannot attach them to the new one\'s', () => {
    const conn = freshDatabase()
    const clerkId = userIdOf(conn, 'clerk')
    const before = { id: clerkId, role: 'clerk' as const, departmentCode: 'SZRS' }
    scan(conn, clerkId, 'scan-of-an-id-card-0000000000001')
    const szrs = SZRS
    writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: szrs.code, applicant: ZHAO, answers: { ...szrs.answers, [szrs.fileKey]: ['scan-of-an-id-card-0000000000001'] }, clerk: before }))
    expect(findUploadForDownload(conn, 'scan-of-an-id-card-0000000000001', before)).not.toBeNull()
    expect(listMaterials(conn, before).items.map(m => m.id)).toContain('scan-of-an-id-card-0000000000001')

    expect(changeStaffRole(conn, 'clerk', { role: 'clerk', departmentCode: 'SZGA' }, 'transferred')).toMatchObject({ ok: true, changed: true })
    const after = { id: clerkId, role: 'clerk' as const, departmentCode: 'SZGA' }
    expect(findUploadForDownload(conn, 'scan-of-an-id-card-0000000000001', after)).toBeNull()
    expect(listMaterials(conn, after).items.map(m => m.id)).not.toContain('scan-of-an-id-card-0000000000001')
    const szga = SZGA
    const attach = (upload: string) => {
      try {
        writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: szga.code, applicant: ZHAO, answers: { ...szga.answers, [szga.fileKey]: [upload] }, clerk: after }))
        return null
      }
      catch (e) {
        return (e as CaseError).data?.fieldErrors
      }
    }
    expect(attach('scan-of-an-id-card-0000000000001')).toEqual({ [szga.fileKey]: 'validation.file' })
    // a scan no case holds yet is still the clerk's own
    scan(conn, clerkId, 'scan-not-yet-attached-00000000002')
    expect(findUploadForDownload(conn, 'scan-not-yet-attached-00000000002', after)).not.toBeNull()
    expect(attach('scan-not-yet-attached-00000000002')).toBeNull()
    // the old department's clerks still can
    const colleague = Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, department_code) VALUES ('clerk-szrs', 'x', 'clerk', '王五', 'SZRS')`).run().lastInsertRowid)
    expect(findUploadForDownload(conn, 'scan-of-an-id-card-0000000000001', { id: colleague, role: 'clerk', departmentCode: 'SZRS' })).not.toBeNull()
    // as an auditor, neither
    changeStaffRole(conn, 'clerk', { role: 'auditor' }, 'moved to audit')
    expect(findUploadForDownload(conn, 'scan-of-an-id-card-0000000000001', { id: clerkId, role: 'auditor', departmentCode: null })).toBeNull()
  })
})
