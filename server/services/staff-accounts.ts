/**
 * Staff accounts, managed from the server's console (there is no staff administration page: who
 * may hold a clerk's or a manager's powers is decided outside the portal, by whoever runs it):
 * `npm run user:create`, `user:disable`, `user:enable`, `user:password` and `user:role`. Each is
 * one write transaction with its audit row, done as `console`. Citizens' accounts are theirs: the
 * console neither disables, resets nor changes them.
 */
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { Role } from '../../db/schema'
import { CONTROL_CHARS, firstErrorPerKey, idNumberSchema, passwordSchema, personNameSchema, usernameSchema } from '../../shared/utils/validators'
import { redactForLog } from '../utils/log-redaction'
import { writeAudit } from './audit'
import { hashPasswordSync } from './passwords'
import { endOtherSessions } from './sessions'

export const STAFF_ROLES = ['clerk', 'manager', 'admin', 'auditor'] as const

export const staffUserSchema = z.object({
  username: usernameSchema,
  role: z.enum(STAFF_ROLES, { error: 'validation.option' }),
  departmentCode: z.string().trim().min(1).max(16).optional(),
  name: personNameSchema,
  password: passwordSchema,
  /** their own ID number, for recusal (回避) from their own cases: see setStaffIdNumber */
  idNumber: idNumberSchema.optional(),
})

export type StaffUserInput = z.input<typeof staffUserSchema>

export type CreateStaffResult = { ok: true, userId: number } | { ok: false, fieldErrors: Record<string, string> }

/**
 * A staff account for a real deployment (`npm run user:create`): validated like registration, a
 * clerk bound to an existing department, other roles to none. Audited as done from the console.
 */
export function createStaffUser(conn: Connection, input: StaffUserInput, now = new Date()): CreateStaffResult {
  const parsed = staffUserSchema.safeParse(input)
  if (!parsed.success) return { ok: false, fieldErrors: firstErrorPerKey(parsed.error) }
  const u = parsed.data
  const department = departmentProblem(conn, u.role, u.departmentCode)
  if (department) return { ok: false, fieldErrors: { departmentCode: department } }
  if (conn.sqlite.prepare('SELECT 1 FROM users WHERE lower(username) = lower(?)').get(u.username)) {
    return { ok: false, fieldErrors: { username: 'validation.usernameTaken' } }
  }
  const hash = hashPasswordSync(u.password)
  return writeTransaction(conn, () => {
    const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name, password_changed_at, staff_id_number)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(u.username, hash, u.role, u.role === 'clerk' ? u.departmentCode : null, u.name, now.toISOString(), u.idNumber || null)
    const userId = Number(lastInsertRowid)
    writeAudit(conn, {
      actorRole: 'console', action: 'account.create', subject: `user:${userId}`,
      // whether the number is on record, never the number: the audit log keeps what it holds for good
      detail: { role: u.role, department: u.role === 'clerk' ? u.departmentCode : null, idNumberOnRecord: !!u.idNumber },
    })
    return { ok: true as const, userId }
  })
}

export const ACCOUNT_REASON_MAX = 200

/**
 * Why a staff account was disabled or enabled, as the audit log keeps it for good (it cannot be
 * edited): one line, and no ID or mobile number, which would put personal data in the log.
 */
export const accountReasonSchema = z.string().trim()
  .min(1, 'reasonMissing')
  .refine(v => Array.from(v).length <= ACCOUNT_REASON_MAX, 'reasonTooLong')
  .refine(v => !CONTROL_CHARS.test(v), 'reasonControlChars')
  // the log redaction's idea of an ID or mobile number: if masking changes the text, it held one
  // (compared after NFKC, which the redaction may apply itself: Chinese text's full-width ，and （）)
  .refine(v => redactForLog(v.normalize('NFKC'), Infinity) === v.normalize('NFKC'), 'reasonPersonalData')

export type StaffAccessRefusal = { ok: false, reason: 'unknownUser' | 'citizen' | 'closed' | 'reasonMissing' | 'reasonTooLong' | 'reasonControlChars' | 'reasonPersonalData' }
/** `changed: false`: it was already so, and nothing was written. */
export type StaffAccessResult = { ok: true, userId: number, changed: boolean, disabledAt: string | null, endedSessions: number } | StaffAccessRefusal

interface StaffRow { id: number, role: Role, departmentCode: string | null, departmentHead: boolean, closedAt: string | null, disabledAt: string | null }

/** The account a console command names, read under the write lock, or why the console may not change it. */
function staffAccount(conn: Connection, username: string): StaffRow | StaffAccessRefusal {
  const row = conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, department_head = 1 AS departmentHead, closed_at AS closedAt, disabled_at AS disabledAt
    FROM users WHERE lower(username) = lower(?)`).get(username) as (Omit<StaffRow, 'departmentHead'> & { departmentHead: number }) | undefined
  if (!row) return { ok: false, reason: 'unknownUser' }
  // a citizen's account is theirs to close (注销, with erasure: personal-data.ts), not the console's to switch off
  if (row.role === 'citizen') return { ok: false, reason: 'citizen' }
  if (row.closedAt) return { ok: false, reason: 'closed' }
  return { ...row, departmentHead: row.departmentHead === 1 }
}

function parseReason(reason: string | undefined): { ok: true, reason: string | null } | StaffAccessRefusal {
  if (reason === undefined) return { ok: true, reason: null }
  const parsed = accountReasonSchema.safeParse(reason)
  return parsed.success ? { ok: true, reason: parsed.data } : { ok: false, reason: parsed.error.issues[0]!.message as StaffAccessRefusal['reason'] }
}

/**
 * Disables a staff account (停用, `npm run user:disable`) in one write transaction: marks it,
 * ends all its sessions, and records the reason, audited as done from the console. Sign-in is
 * then answered as for an unknown name. The account's cases are its department's, so nothing
 * else moves; its row, username and audit trail stay, and `enableStaffUser` undoes it.
 */
export function disableStaffUser(conn: Connection, username: string, reason: string, now = new Date()): StaffAccessResult {
  const why = parseReason(reason)
  if (!why.ok) return why
  return writeTransaction(conn, (): StaffAccessResult => {
    const row = staffAccount(conn, username)
    if (!('id' in row)) return row
    if (row.disabledAt) return { ok: true, userId: row.id, changed: false, disabledAt: row.disabledAt, endedSessions: 0 }
    const at = now.toISOString()
    conn.sqlite.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(at, row.id)
    const endedSessions = endOtherSessions(conn, row.id, null, now)
    writeAudit(conn, { actorRole: 'console', action: 'account.disable', subject: `user:${row.id}`, detail: { role: row.role, department: row.departmentCode, reason: why.reason, endedSessions } })
    return { ok: true, userId: row.id, changed: true, disabledAt: at, endedSessions }
  })
}

/**
 * Enables a disabled staff account again (`npm run user:enable`), audited as done from the
 * console. The password, and a sign-in lock if one is still running, stay as they were.
 */
export function enableStaffUser(conn: Connection, username: string, reason?: string): StaffAccessResult {
  const why = parseReason(reason)
  if (!why.ok) return why
  return writeTransaction(conn, (): StaffAccessResult => {
    const row = staffAccount(conn, username)
    if (!('id' in row)) return row
    if (!row.disabledAt) return { ok: true, userId: row.id, changed: false, disabledAt: null, endedSessions: 0 }
    conn.sqlite.prepare('UPDATE users SET disabled_at = NULL WHERE id = ?').run(row.id)
    writeAudit(conn, { actorRole: 'console', action: 'account.enable', subject: `user:${row.id}`, detail: { role: row.role, department: row.departmentCode, reason: why.reason, disabledSince: row.disabledAt } })
    return { ok: true, userId: row.id, changed: true, disabledAt: null, endedSessions: 0 }
  })
}

/**
 * The department a staff role needs: a clerk works for an existing department, other roles for
 * none. The field error, or null when it fits.
 */
function departmentProblem(conn: Connection, role: typeof STAFF_ROLES[number], departmentCode: string | null | undefined): string | null {
  if (role !== 'clerk') return departmentCode ? 'validation.department.onlyClerk' : null
  if (!departmentCode) return 'validation.department.required'
  return conn.sqlite.prepare('SELECT 1 FROM departments WHERE code = ?').get(departmentCode) ? null : 'validation.department.unknown'
}

export type StaffPasswordResult = { ok: true, userId: number, endedSessions: number } | StaffAccessRefusal | { ok: false, reason: 'password', field: string }

/**
 * Sets a new password for a staff member who lost theirs (`npm run user:password`). Every session
 * of theirs ends (whoever knew the old password is out), and a sign-in lock is lifted: the person
 * is at the console's side, and this is also how an administrator lets a locked-out colleague back
 * in before the 15 minutes are up. Audited with the reason; a disabled account stays disabled.
 */
export function resetStaffPassword(conn: Connection, username: string, password: string, reason: string, now = new Date()): StaffPasswordResult {
  const why = parseReason(reason)
  if (!why.ok) return why
  const checked = passwordSchema.safeParse(password)
  if (!checked.success) return { ok: false, reason: 'password', field: checked.error.issues[0]!.message }
  // hashed before the write lock (scrypt takes half a second): nothing else waits for it
  const hash = hashPasswordSync(password)
  return writeTransaction(conn, (): StaffPasswordResult => {
    const row = staffAccount(conn, username)
    if (!('id' in row)) return row
    conn.sqlite.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE id = ?')
      .run(hash, now.toISOString(), row.id)
    const endedSessions = endOtherSessions(conn, row.id, null, now)
    writeAudit(conn, { actorRole: 'console', action: 'account.password.reset', subject: `user:${row.id}`, detail: { role: row.role, department: row.departmentCode, reason: why.reason, endedSessions } })
    return { ok: true, userId: row.id, endedSessions }
  })
}

export type StaffRoleResult
  = | { ok: true, userId: number, changed: boolean, endedSessions: number }
    | StaffAccessRefusal
    | { ok: false, reason: 'role' | 'department', field: string }

/**
 * Moves a staff member to another role or department (`npm run user:role`): a clerk transferred
 * to another department, a clerk made manager. Their sessions end, so no page or request goes on
 * with the powers they had. Cases stay with their departments (a clerk's work is the
 * department's), and the audit row keeps what the account was and what it became, with the reason.
 */
export function changeStaffRole(conn: Connection, username: string, to: { role: string, departmentCode?: string | null, departmentHead?: boolean }, reason: string, now = new Date()): StaffRoleResult {
  const why = parseReason(reason)
  if (!why.ok) return why
  const role = z.enum(STAFF_ROLES).safeParse(to.role)
  if (!role.success) return { ok: false, reason: 'role', field: 'validation.option' }
  return writeTransaction(conn, (): StaffRoleResult => {
    const department = departmentProblem(conn, role.data, to.departmentCode)
    if (department) return { ok: false, reason: 'department', field: department }
    const row = staffAccount(conn, username)
    if (!('id' in row)) return row
    const departmentCode = role.data === 'clerk' ? to.departmentCode! : null
    // the head of a department (本行政机关负责人) is one of its clerks
    if (to.departmentHead && role.data !== 'clerk') return { ok: false, reason: 'role', field: 'validation.department.headIsClerk' }
    const head = to.departmentHead === true
    if (row.role === role.data && row.departmentCode === departmentCode && row.departmentHead === head) return { ok: true, userId: row.id, changed: false, endedSessions: 0 }
    conn.sqlite.prepare('UPDATE users SET role = ?, department_code = ?, department_head = ? WHERE id = ?').run(role.data, departmentCode, Number(head), row.id)
    const endedSessions = endOtherSessions(conn, row.id, null, now)
    writeAudit(conn, {
      actorRole: 'console', action: 'account.role.change', subject: `user:${row.id}`,
      detail: { from: { role: row.role, department: row.departmentCode, head: row.departmentHead }, to: { role: role.data, department: departmentCode, head }, reason: why.reason, endedSessions },
    })
    return { ok: true, userId: row.id, changed: true, endedSessions }
  })
}

export type StaffIdNumberResult = { ok: true, userId: number, changed: boolean } | StaffAccessRefusal | { ok: false, reason: 'idNumber', field: string }

/**
 * Sets (or, with null, removes) a staff member's own ID number (`npm run user:id-number`), by
 * which the portal keeps them from taking in or deciding a case of their own (回避: its applicant's
 * number is theirs; server/services/recusal.ts). Set when a clerk also applies as a citizen, or for
 * every clerk as the site's rule has it. Audited with the reason and whether a number is now on
 * record, never the number itself.
 */
export function setStaffIdNumber(conn: Connection, username: string, idNumber: string | null, reason: string): StaffIdNumberResult {
  const why = parseReason(reason)
  if (!why.ok) return why
  let number: string | null = null
  if (idNumber !== null) {
    const checked = idNumberSchema.safeParse(idNumber)
    if (!checked.success) return { ok: false, reason: 'idNumber', field: checked.error.issues[0]!.message }
    number = checked.data
  }
  return writeTransaction(conn, (): StaffIdNumberResult => {
    const row = staffAccount(conn, username)
    if (!('id' in row)) return row
    const { staffIdNumber } = conn.sqlite.prepare('SELECT staff_id_number AS staffIdNumber FROM users WHERE id = ?').get(row.id) as { staffIdNumber: string | null }
    if (staffIdNumber === number) return { ok: true, userId: row.id, changed: false }
    conn.sqlite.prepare('UPDATE users SET staff_id_number = ? WHERE id = ?').run(number, row.id)
    writeAudit(conn, {
      actorRole: 'console', action: 'account.idNumber.change', subject: `user:${row.id}`,
      detail: { idNumberOnRecord: number !== null, reason: why.reason },
    })
    return { ok: true, userId: row.id, changed: true }
  })
}
