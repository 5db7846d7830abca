import { describe, expect, it, vi } from 'vitest'
import { verifyAuditChain, writeAudit } from '../../server/services/audit'
import { listAudit } from '../../server/services/audit-log'
import { revealIdNumber } from '../../server/services/reveal'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

function withRows(n: number) {
  const conn = freshDatabase()
  for (let i = 1; i <= n; i++) writeAudit(conn, { actorId: i, actorRole: 'citizen', action: 'auth.login', subject: `row ${i}`, ip: '192.0.2.1' })
  const ids = (conn.sqlite.prepare('SELECT id FROM audit_log ORDER BY id').all() as { id: number }[]).map(r => r.id)
  return { conn, ids }
}

describe('the audit log', () => {
  it('holds together when nobody touched it', () => {
    const { conn, ids } = withRows(5)
    expect(verifyAuditChain(conn)).toEqual({ checked: ids.length, firstBadId: null })
  })

  it('refuses UPDATE and DELETE in the database itself', () => {
    const { conn, ids } = withRows(2)
    expect(() => conn.sqlite.prepare('UPDATE audit_log SET action = ? WHERE id = ?').run('nothing', ids[0])).toThrow(/append-only/)
    expect(() => conn.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(ids[0])).toThrow(/append-only/)
    expect(verifyAuditChain(conn).firstBadId).toBeNull()
  })

  it('names the row an attacker edited after dropping the trigger', () => {
    const { conn, ids } = withRows(6)
    const victim = ids[ids.length - 3]!
    conn.sqlite.exec('DROP TRIGGER audit_log_no_update')
    conn.sqlite.prepare('UPDATE audit_log SET subject = ? WHERE id = ?').run('nothing to see', victim)
    expect(verifyAuditChain(conn)).toEqual({ checked: ids.indexOf(victim), firstBadId: victim })
  })

  it('names the row after one that was removed', () => {
    const { conn, ids } = withRows(6)
    const removed = ids[ids.length - 4]!
    conn.sqlite.exec('DROP TRIGGER audit_log_no_delete')
    conn.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(removed)
    expect(verifyAuditChain(conn).firstBadId).toBe(ids[ids.indexOf(removed) + 1])
  })

  it('lets an auditor filter by action family, actor and Shanghai days, newest first', () => {
    const conn = freshDatabase()
    const citizen = userIdOf(conn, 'citizen')
    writeAudit(conn, { actorId: citizen, actorRole: 'citizen', action: 'auth.login' })
    writeAudit(conn, { actorId: citizen, actorRole: 'citizen', action: 'auth.logout' })
    writeAudit(conn, { actorId: userIdOf(conn, 'clerk'), actorRole: 'clerk', action: 'pii.reveal', subject: 'SZ2026030200001' })
    const auth = listAudit(conn, { action: 'auth', actor: 'CITIZEN', page: 1, pageSize: 10 })
    expect(auth.items.map(i => i.action)).toEqual(['auth.logout', 'auth.login'])
    expect(auth.items[0]!.actorUsername).toBe('citizen')
    expect(listAudit(conn, { action: 'auth.log', page: 1, pageSize: 10 }).total).toBe(0)
    const reveal = listAudit(conn, { action: 'pii.reveal', page: 1, pageSize: 1 })
    expect(reveal).toMatchObject({ total: 1, items: [{ actorUsername: 'clerk', subject: 'SZ2026030200001' }] })
    expect(listAudit(conn, { from: '2000-01-01', to: '2000-01-02', page: 1, pageSize: 10 }).total).toBe(0)
    const all = listAudit(conn, { page: 1, pageSize: 2 })
    expect(all.items).toHaveLength(2)
    expect(all.total).toBe(3)
  })
})

describe('revealing an ID number to staff', () => {
  it('records who saw whose number for which case, without the number itself', () => {
    const conn = freshDatabase()
    const clerk = userIdOf(conn, 'clerk')
    const value = revealIdNumber(conn, { actor: { id: clerk, role: 'clerk' }, caseNo: 'SZ2026030200001', subject: 'case:SZ2026030200001:applicant', value: '440305199003072319', ip: '192.0.2.9' })
    expect(value).toBe('440305199003072319')
    const row = conn.sqlite.prepare('SELECT actor_id AS actorId, action, subject, detail, ip FROM audit_log ORDER BY id DESC LIMIT 1').get() as Record<string, unknown>
    expect(row).toMatchObject({ actorId: clerk, action: 'pii.reveal', subject: 'SZ2026030200001', ip: '192.0.2.9' })
    expect(JSON.stringify(row)).not.toContain('440305199003072319')
    expect(verifyAuditChain(conn).firstBadId).toBeNull()
  })
})
