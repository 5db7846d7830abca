/**
 * Statements that run per request read the rows they need through an index, not a whole large
 * table (every rating prompt in the audit log, every rating, every case or application): checked
 * on the query plans of the statements the service functions actually prepare.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { receiveCase } from '../../server/services/case-intake'
import { confirmPasswordReset, forgetOldPasswordResets, requestPasswordReset } from '../../server/services/password-reset'
import { closeAccount, collectPersonalData } from '../../server/services/personal-data'
import { getCaseRating } from '../../server/services/ratings'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'query-plans-'))
  process.env.UPLOAD_DIR = dir
  conn = freshDatabase()
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

/** The plan of every distinct statement `fn` prepares (parameters read as NULL). */
async function plansOf(fn: () => unknown): Promise<{ sql: string, plan: string }[]> {
  const prepare = vi.spyOn(conn.sqlite, 'prepare')
  let prepared: string[]
  try { await fn() }
  finally {
    // read before restoring: mockRestore clears the calls
    prepared = prepare.mock.calls.map(([sql]) => sql)
    prepare.mockRestore()
  }
  const statements = [...new Set(prepared)].filter(sql => /^\s*(SELECT|WITH|UPDATE|DELETE)/i.test(sql))
  return statements.map((sql) => {
    const literal = sql.replace(/\?|[@:$][A-Za-z_]\w*/g, 'NULL')
    return { sql, plan: (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${literal}`).all() as { detail: string }[]).map(r => r.detail).join(' | ') }
  })
}

/** Plans that read the whole of `table` (by any alias), or all of one of its indexes. */
function scansOf(plans: { sql: string, plan: string }[], table: string, alias: string): string[] {
  const scan = new RegExp(`SCAN (${table}|${alias})\\b`)
  return plans.filter(p => new RegExp(`\\b${table}\\b`).test(p.sql) && scan.test(p.plan)).map(p => `${p.plan}  <=  ${p.sql}`)
}

const citizenOf = () => ({ id: userIdOf(conn, 'citizen'), role: 'citizen' as const, departmentCode: null })

describe('per-request statements', () => {
  it('a case page asks whether the applicant was asked for a rating by the case, not through every prompt', async () => {
    const me = citizenOf()
    const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZRS-0001', channel: 'online', formVersionId: null, applicant: { userId: me.id, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }, answers: {}, materials: [], actor: me,
    }))
    const plans = await plansOf(() => getCaseRating(conn, caseNo, me))
    const prompt = plans.filter(p => p.sql.includes('rating.prompt'))
    expect(prompt).toHaveLength(1)
    expect(prompt[0]!.plan).toContain('audit_rating_prompt_idx')
    expect(scansOf(plans, 'audit_log', 'a')).toEqual([])
  })

  it('a person\'s data export reads their ratings through an index', async () => {
    const plans = await plansOf(() => collectPersonalData(conn, citizenOf().id))
    expect(scansOf(plans, 'ratings', 'r')).toEqual([])
  })

  it('a password reset finds the account by its ID number and its codes by the account, and the retention by age', async () => {
    const person = { idNumber: '440305199003072319', mobile: '13800138000' }
    const plans = await plansOf(async () => {
      requestPasswordReset(conn, person, null)
      await confirmPasswordReset(conn, { ...person, code: '000000', newPassword: 'not used: the code is wrong' }, null)
      forgetOldPasswordResets(conn)
    })
    expect(plans.some(p => /FROM password_resets/.test(p.sql))).toBe(true)
    expect(scansOf(plans, 'users', 'u')).toEqual([])
    expect(scansOf(plans, 'password_resets', 'r')).toEqual([])
  })

  it('closing an account with an organisation looks its cases and applications up by the organisation', async () => {
    const me = citizenOf()
    conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(me.id, '深圳市甲公司', '91440300MA5DC0RXXX')
    const plans = await plansOf(() => closeAccount(conn, me, DEMO_PASSWORD, null))
    expect(plans.some(p => /DELETE FROM organizations/.test(p.sql))).toBe(true)
    expect(scansOf(plans, 'cases', 'c')).toEqual([])
    expect(scansOf(plans, 'applications', 'a')).toEqual([])
  })
})
