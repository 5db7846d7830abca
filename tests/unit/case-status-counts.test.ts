/**
 * The counts a clerk's queue shows come from case_status_counts, kept by triggers: they must
 * always equal a recount of the cases, through intake and the workflow.
 */
import { describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { DEMO_CLERK_DEPARTMENT } from '../../db/seed/demo'
import { receiveCase } from '../../server/services/case-intake'
import { listCases, statusCounts } from '../../server/services/case-queries'
import { searchServices } from '../../server/services/catalogue'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

function recount(conn: Connection, dept: string | null): Record<string, number> {
  const rows = conn.sqlite.prepare('SELECT status, count(*) AS n FROM cases WHERE (? IS NULL OR department_code = ?) GROUP BY status').all(dept, dept) as { status: string, n: number }[]
  return Object.fromEntries(rows.map(r => [r.status, r.n]))
}

function receive(conn: Connection, serviceCode: string, citizenId: number): string {
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, applicant: { userId: citizenId, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    answers: {}, materials: [], actor: { id: citizenId, role: 'citizen' },
  })).caseNo
}

describe('a clerk\'s queue counts', () => {
  it('follow every submission and transition, and agree with a recount of the cases', () => {
    const conn = freshDatabase()
    const citizen = userIdOf(conn, 'citizen')
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: DEMO_CLERK_DEPARTMENT }
    const codes = (conn.sqlite.prepare(`SELECT code FROM services WHERE department_code = ? AND process_type = 'promised' ORDER BY code LIMIT 2`).all(DEMO_CLERK_DEPARTMENT) as { code: string }[]).map(r => r.code)
    const other = (conn.sqlite.prepare(`SELECT code FROM services WHERE department_code <> ? LIMIT 1`).get(DEMO_CLERK_DEPARTMENT) as { code: string }).code
    const mine = [receive(conn, codes[0]!, citizen), receive(conn, codes[1]!, citizen), receive(conn, codes[0]!, citizen)]
    receive(conn, other, citizen)
    applyTransition(conn, { caseNo: mine[0]!, action: 'accept', version: 1, user: clerk })
    applyTransition(conn, { caseNo: mine[1]!, action: 'refuse', comment: '不属于本部门职权范围', version: 1, user: clerk })

    expect(statusCounts(conn, clerk)).toEqual(recount(conn, DEMO_CLERK_DEPARTMENT))
    expect(statusCounts(conn, clerk)).toEqual({ submitted: 1, accepted: 1, not_accepted: 1 })
    expect(listCases(conn, clerk, { page: 1, pageSize: 20 }).total).toBe(3)
    expect(listCases(conn, clerk, { status: 'open', page: 1, pageSize: 20 }).total).toBe(2)
    expect(listCases(conn, clerk, { status: 'not_accepted', page: 1, pageSize: 20 }).total).toBe(1)
    const manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
    expect(listCases(conn, manager, { page: 1, pageSize: 1 }).total).toBe(4)
    expect(listCases(conn, manager, { status: 'submitted', page: 1, pageSize: 1 }).total).toBe(recount(conn, null).submitted)
  }, 30_000)
})

describe('a search through the full-text table', () => {
  it('finds the same items as a plain scan of the index table, for short and long queries', () => {
    const conn = freshDatabase({ demo: false })
    for (const q of ['证', '社保', '营业执照']) {
      const scan = (conn.sqlite.prepare(`SELECT count(*) AS n FROM services_fts WHERE name LIKE ? OR body LIKE ?`).get(`%${q}%`, `%${q}%`) as { n: number }).n
      const found = searchServices(conn, { q, page: 1, pageSize: 100 })
      expect(found.total).toBe(scan)
      expect(found.items.length).toBe(Math.min(100, scan))
    }
  }, 30_000)
})

describe('a cached search', () => {
  it('shows a renamed or withdrawn item at once, though the same query was answered before', () => {
    const conn = freshDatabase({ demo: false })
    const first = searchServices(conn, { q: '社保', page: 1, pageSize: 100 })
    const item = first.items[0]!
    conn.sqlite.prepare('UPDATE services SET name = ? WHERE code = ?').run('新名称测试事项', item.code)
    expect(searchServices(conn, { q: '社保', page: 1, pageSize: 100 }).items.find(i => i.code === item.code)?.name).toBe('新名称测试事项')
    conn.sqlite.prepare(`UPDATE services SET status = 'withdrawn' WHERE code = ?`).run(item.code)
    const after = searchServices(conn, { q: '社保', page: 1, pageSize: 100 })
    expect(after.total).toBe(first.total - 1)
    expect(after.items.map(i => i.code)).not.toContain(item.code)
  })

  it('reorders by popularity within a minute, without a catalogue change', () => {
    const conn = freshDatabase({ demo: false })
    const t = Date.now()
    const before = searchServices(conn, { q: '证', page: 1, pageSize: 5 }, t)
    const last = before.items.at(-1)!
    conn.sqlite.prepare('UPDATE services SET use_count = 1000000 WHERE code = ?').run(last.code)
    expect(searchServices(conn, { q: '证', page: 1, pageSize: 5 }, t + 1000).items[0]!.code).toBe(before.items[0]!.code)
    expect(searchServices(conn, { q: '证', page: 1, pageSize: 5 }, t + 61_000).items.map(i => i.code)).toContain(last.code)
  }, 30_000)
})
