/**
 * GET /api/audit/verify walks the chain in steps (verifyAuditChainInSteps): one walk of tens of
 * millions of rows, an HMAC each, held the server away from everyone for minutes. The steps must
 * find what the walk in one go finds, and let other requests run between them.
 */
import { describe, expect, it, vi } from 'vitest'
import { verifyAuditChain, verifyAuditChainInSteps, writeAudit } from '../../server/services/audit'
import { freshDatabase } from '../support/db'

const STEP = 10

function withRows(n: number) {
  const conn = freshDatabase()
  for (let i = 1; i <= n; i++) writeAudit(conn, { actorId: i, actorRole: 'citizen', action: 'auth.login', subject: `row ${i}`, ip: '192.0.2.1' })
  const ids = (conn.sqlite.prepare('SELECT id FROM audit_log ORDER BY id').all() as { id: number }[]).map(r => r.id)
  return { conn, ids }
}

describe('verifying the audit chain in steps', () => {
  it('holds together, as in one walk', async () => {
    const { conn, ids } = withRows(45)
    expect(await verifyAuditChainInSteps(conn, undefined, STEP)).toEqual({ checked: ids.length, firstBadId: null })
    expect(await verifyAuditChainInSteps(freshDatabase(), undefined, STEP)).toEqual({ checked: 0, firstBadId: null })
  })

  // the first and last row of a step, and rows inside one: the link carried from step to step
  it.each([0, 9, 10, 11, 25, 44])('names the same edited row as the walk in one go (row %i of 45)', async (at) => {
    const { conn, ids } = withRows(45)
    const victim = ids[at]!
    conn.sqlite.exec('DROP TRIGGER audit_log_no_update')
    conn.sqlite.prepare('UPDATE audit_log SET subject = ? WHERE id = ?').run('nothing to see', victim)
    const whole = verifyAuditChain(conn)
    expect(whole).toEqual({ checked: at, firstBadId: victim })
    expect(await verifyAuditChainInSteps(conn, undefined, STEP)).toEqual(whole)
  })

  it.each([9, 10, 30])('names the same row after a removed one as the walk in one go (row %i of 45 removed)', async (at) => {
    const { conn, ids } = withRows(45)
    conn.sqlite.exec('DROP TRIGGER audit_log_no_delete')
    conn.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(ids[at])
    const whole = verifyAuditChain(conn)
    expect(whole).toEqual({ checked: at, firstBadId: ids[at + 1] })
    expect(await verifyAuditChainInSteps(conn, undefined, STEP)).toEqual(whole)
  })

  it('fails at the first row with a key that did not sign the log', async () => {
    const { conn, ids } = withRows(5)
    expect(await verifyAuditChainInSteps(conn, Buffer.from('not the key'), STEP)).toEqual({ checked: 0, firstBadId: ids[0] })
  })

  it('lets other requests run, and write, between its steps; it checks the chain as it stood when it began', async () => {
    const { conn, ids } = withRows(50)
    let done = false
    let between = 0
    // another request each turn of the event loop: it writes an audit row, as most requests do
    const otherRequest = () => {
      if (done) return
      writeAudit(conn, { actorRole: 'citizen', action: 'auth.login', subject: 'meanwhile' })
      between++
      setImmediate(otherRequest)
    }
    setImmediate(otherRequest)
    const result = await verifyAuditChainInSteps(conn, undefined, STEP).finally(() => { done = true })
    expect(result).toEqual({ checked: ids.length, firstBadId: null })
    // 50 rows in steps of 10: the other request ran between each two steps
    expect(between).toBeGreaterThanOrEqual(4)
    expect(verifyAuditChain(conn)).toEqual({ checked: ids.length + between, firstBadId: null })
  })

  it('reads each step as one id range of its own size, never the whole log at once', async () => {
    const { conn } = withRows(25)
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    await verifyAuditChainInSteps(conn, undefined, STEP)
    const reads = [...new Set(prepare.mock.calls.map(([sql]) => sql))]
    prepare.mockRestore()
    const plan = (sql: string) => (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1)) as { detail: string }[]).map(r => r.detail)
    const rows = reads.filter(sql => /\bhmac\b/.test(sql))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/LIMIT \?$/)
    expect(plan(rows[0]!)).toEqual(['SEARCH audit_log USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)'])
    for (const sql of reads) expect(plan(sql).join(' | ')).not.toMatch(/SCAN|TEMP B-TREE/)
  })
})
