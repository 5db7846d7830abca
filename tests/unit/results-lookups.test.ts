/**
 * Lookups among the e-licences go through an index, never a scan of every licence issued over the
 * years: each file of every submission (is it a licence's copy, whose, still valid?), and a
 * person's "my e-licences".
 */
import { describe, expect, it, vi } from 'vitest'
import { writeTransaction } from '../../db/client'
import { createDraft, submitApplication } from '../../server/services/applications'
import { listMyResults } from '../../server/services/results'
import { freshDatabase, userIdOf } from '../support/db'

describe('looking a submitted file up among the e-licences', () => {
  it('uses the index on results.upload_id, never a scan of every licence', () => {
    const conn = freshDatabase()
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' as const }
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES ('photo-0001', ?, 'p.pdf', 1000, 'application/pdf', ?, 'x', '2026-01-01T00:00:00Z')`)
      .run(citizen.id, 'a'.repeat(64))
    const answers = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: ['photo-0001'] }
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    const draft = writeTransaction(conn, () => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers }))
    writeTransaction(conn, () => submitApplication(conn, citizen, draft.id))
    const lookups = [...new Set(prepare.mock.calls.map(([sql]) => sql))].filter(sql => /FROM results/.test(sql) && /upload_id/.test(sql))
    prepare.mockRestore()
    expect(lookups.length).toBeGreaterThanOrEqual(2)
    for (const sql of lookups) {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x')
      const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(r => r.detail)
      expect(plan.filter(d => /^SCAN r(esults)?\b/.test(d)), sql).toEqual([])
      expect(plan.join('; '), sql).toContain('results_upload_idx')
    }
  })
})

describe('a person\'s e-licences', () => {
  it('are found by account and, for counter cases with no account linked, by ID number through an index', () => {
    const conn = freshDatabase()
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    listMyResults(conn, { id: userIdOf(conn, 'citizen'), role: 'citizen', name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', departmentCode: null })
    const [sql] = prepare.mock.calls.map(([s]) => s).filter(s => /FROM results/.test(s))
    prepare.mockRestore()
    const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 'x', 'x') as { detail: string }[]).map(r => r.detail)
    expect(plan.filter(d => /^SCAN r\b/.test(d)), sql).toEqual([])
    expect(plan.join('; ')).toContain('results_unlinked_holder_idx')
  })
})
