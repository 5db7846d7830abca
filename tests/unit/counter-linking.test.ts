/**
 * Which portal account a counter case (窗口收件) is linked to: the one account that is the person
 * by ID number, name and mobile, found however many accounts typed the same ID number, and with
 * the index on users.id_number rather than a scan of every account inside the write lock.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { freshDatabase, userIdOf } from '../support/db'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }

function clerkOf(conn: Connection) {
  return { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
}

/** An account with these details; `verified`: it proved the mobile by an SMS code (mobile-verification.ts). */
function register(conn: Connection, username: string, person: { name: string, idNumber: string, mobile: string }, verified = true): number {
  return Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile, mobile_verified_at) VALUES (?, 'x', 'citizen', ?, ?, ?, ?)`)
    .run(username, person.name, person.idNumber, person.mobile, verified ? '2026-03-01T00:00:00.000Z' : null).lastInsertRowid)
}

function intake(conn: Connection, answers: Record<string, unknown> = { cardBank: 'boc', collectWay: 'branch' }) {
  const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant: ZHAO, answers, clerk: clerkOf(conn) }))
  return findVisibleCase(conn, caseNo, clerkOf(conn))!
}

describe('a counter case finds the applicant\'s account', () => {
  it('two accounts claiming to be the person get neither, however many others typed the same ID number in between', () => {
    const conn = freshDatabase()
    register(conn, 'twin', ZHAO)
    for (let i = 0; i < 20; i++) register(conn, `junk${i}`, { name: `路人${i}`, idNumber: ZHAO.idNumber, mobile: `137000000${String(i).padStart(2, '0')}` })
    register(conn, 'zhao', ZHAO)
    expect(intake(conn).applicantId).toBeNull()
  })

  it('finds the one account behind many others with the ID number, also one stored with a lower-case x', () => {
    const conn = freshDatabase()
    for (let i = 0; i < 25; i++) register(conn, `junk${i}`, { name: `路人${i}`, idNumber: ZHAO.idNumber, mobile: `137000000${String(i).padStart(2, '0')}` })
    const zhao = register(conn, 'zhao', { ...ZHAO, idNumber: ZHAO.idNumber.toLowerCase() })
    expect(intake(conn).applicantId).toBe(zhao)
  })

  it('links nothing to the one matching account until it has verified its mobile: it may be someone who registered with the person\'s details', () => {
    const conn = freshDatabase()
    const zhao = register(conn, 'zhao', ZHAO, false)
    expect(intake(conn).applicantId).toBeNull()
    conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = '2026-03-02T00:00:00.000Z' WHERE id = ?`).run(zhao)
    expect(intake(conn).applicantId).toBe(zhao)
  })

  it('an unverified twin does not count: the verified account is linked; two verified (from before the rule) link neither', () => {
    const conn = freshDatabase()
    const zhao = register(conn, 'zhao', ZHAO)
    const twin = register(conn, 'twin', ZHAO, false)
    expect(intake(conn).applicantId).toBe(zhao)
    conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = '2026-03-02T00:00:00.000Z' WHERE id = ?`).run(twin)
    expect(intake(conn).applicantId).toBeNull()
  })

  it('records in the audit log which account the case was linked to, or that it was linked to none', () => {
    const conn = freshDatabase()
    const linkedOf = (caseNo: string) => (JSON.parse((conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.submit' AND subject = ?`).get(caseNo) as { detail: string }).detail) as { linkedAccount: number | null }).linkedAccount
    expect(linkedOf(intake(conn).caseNo)).toBeNull()
    const zhao = register(conn, 'zhao', ZHAO)
    expect(linkedOf(intake(conn).caseNo)).toBe(zhao)
  })

  it('looks the ID number up through its index', () => {
    const conn = freshDatabase()
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    intake(conn)
    // a citizen's id_number, not staff_id_number (the clerk's own, read by id for recusal)
    const lookups = prepare.mock.calls.map(([sql]) => sql).filter(sql => /FROM users/.test(sql) && /\bid_number\b/.test(sql))
    expect(lookups.length).toBeGreaterThan(0)
    for (const sql of lookups) {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x')
      const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(r => r.detail).join('; ')
      expect(plan).toContain('users_id_number_idx')
    }
  })
})

describe('a form\'s field keys are only its own', () => {
  it('a field named like an object member (constructor) is filled from the applicant block, not read from Object.prototype', () => {
    const conn = freshDatabase()
    const def = JSON.parse((conn.sqlite.prepare('SELECT fv.definition FROM services s JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?')
      .get('SZRS-0004') as { definition: string }).definition) as { fields: { key: string }[] }
    def.fields = def.fields.map(f => (f.key === 'name' ? { ...f, key: 'constructor' } : f))
    conn.sqlite.prepare('UPDATE form_versions SET definition = ? WHERE id = (SELECT form_version_id FROM services WHERE code = ?)').run(JSON.stringify(def), 'SZRS-0004')
    expect(JSON.parse(intake(conn).answers)).toMatchObject({ constructor: ZHAO.name })
  })
})
