/**
 * The auditor's page of the audit log answers what the straightforward query answered, and reads
 * only its page and the index range of its matches: at city scale the log holds tens of millions
 * of rows, and while better-sqlite3 runs one statement every other request waits.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeAudit } from '../../server/services/audit'
import type { AuditFilter, AuditListItem } from '../../server/services/audit-log'
import { listAudit } from '../../server/services/audit-log'
import { freshDatabase, userIdOf } from '../support/db'

// `case` and `auth` beside names that only look like their families (`cases`, `auth-x`: '-' sorts
// before '.', `authx` after '/'), and a family too large to merge (`bulk`, 60 names)
const ACTIONS = ['auth.login', 'auth.logout', 'auth.login.failed', 'auth', 'auth-x', 'authx', 'case', 'case.read', 'case.accept', 'cases', 'case-note', 'pii.reveal', 'audit.read', 'submit']
const ACTORS = ['citizen', 'citizen2', 'clerk', 'auditor', null] as const
/** 16:00 UTC: midnight in Shanghai */
const SHANGHAI_MIDNIGHT = 16 * 3_600_000

/** A deterministic sequence in [0, 1), so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
}

/**
 * A few hundred rows written by writeAudit over a Shanghai week, as the server writes them: `at`
 * never goes back, several rows share a millisecond, and some fall on midnight (16:00 UTC) exactly.
 */
function populated(): Connection {
  const conn = freshDatabase()
  const next = random(7)
  const ids = new Map(ACTORS.map(a => [a, a ? userIdOf(conn, a) : null]))
  vi.useFakeTimers({ toFake: ['Date'] })
  try {
    let at = Date.parse('2026-03-01T15:00:00.000Z')
    const write = (action: string) => {
      const actor = ACTORS[Math.floor(next() * ACTORS.length)]!
      vi.setSystemTime(at)
      writeAudit(conn, { actorId: ids.get(actor), actorRole: actor ? 'citizen' : null, action, subject: `s${Math.floor(next() * 1000)}`, detail: next() < 0.5 ? { n: at } : null })
    }
    for (let i = 0; i < 300; i++) {
      const r = next()
      at += r < 0.15 ? 0 : r < 0.9 ? Math.floor(next() * 3_600_000) : Math.floor(next() * 21_600_000)
      // the last millisecond of a Shanghai day, then the first of the next
      if (i === 100) at = Math.ceil((at - SHANGHAI_MIDNIGHT) / 86_400_000) * 86_400_000 + SHANGHAI_MIDNIGHT - 1
      if (i === 101) at += 1
      write(ACTIONS[Math.floor(next() * ACTIONS.length)]!)
    }
    for (let i = 1; i <= 60; i++) write(`bulk.${i}`)
  }
  finally { vi.useRealTimers() }
  return conn
}

const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString()
const nextDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString()

/** listAudit as it was written before it had to be fast: the same filters, read the obvious way. */
function reference(conn: Connection, f: AuditFilter) {
  const conditions: [string, (string | number)[]][] = []
  if (f.action) conditions.push(['(a.action = ? OR substr(a.action, 1, ?) = ?)', [f.action, f.action.length + 1, `${f.action}.`]])
  if (f.actor) conditions.push(['a.actor_id IN (SELECT id FROM users WHERE lower(username) = lower(?))', [f.actor]])
  if (f.from) conditions.push(['a.at >= ?', [dayStart(f.from)]])
  if (f.to) conditions.push(['a.at < ?', [nextDayStart(f.to)]])
  const clause = conditions.length ? `WHERE ${conditions.map(([sql]) => sql).join(' AND ')}` : ''
  const params = conditions.flatMap(([, values]) => values)
  const total = conn.sqlite.prepare(`SELECT count(*) FROM audit_log a ${clause}`).pluck().get(...params) as number
  const rows = conn.sqlite.prepare(`SELECT a.id, a.at, u.username AS actorUsername, a.actor_role AS actorRole, a.action, a.subject, a.detail, a.ip
    FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ${clause} ORDER BY a.id DESC LIMIT ? OFFSET ?`)
    .all(...params, f.pageSize, (f.page - 1) * f.pageSize) as (Omit<AuditListItem, 'detail'> & { detail: string | null })[]
  return { items: rows.map(r => ({ ...r, detail: r.detail ? JSON.parse(r.detail) as Record<string, unknown> : null })), total, page: f.page, pageSize: f.pageSize }
}

const FAMILIES = [undefined, 'auth', 'auth.login', 'auth.log', 'case', 'cases', 'case.read', 'pii', 'bulk', 'bulk.7', 'nothing', 'a']
const WHO = [undefined, 'citizen', 'CLERK', 'nobody']
const DAYS: [string?, string?][] = [[], ['2026-03-03'], [undefined, '2026-03-03'], ['2026-03-02', '2026-03-05'], ['2026-03-04', '2026-03-04'],
  ['2026-03-01', '2026-03-01'], ['2020-01-01', '2020-01-31'], ['2030-01-01'], [undefined, '2026-02-28'], ['2026-02-01', '2030-12-31']]
const PAGES = [{ page: 1, pageSize: 7 }, { page: 3, pageSize: 7 }, { page: 1, pageSize: 100 }, { page: 60, pageSize: 7 }]

let conn: Connection
beforeAll(() => { conn = populated() })
afterAll(() => conn.sqlite.close())

describe('an auditor reading the audit log', () => {
  it('sees the rows and totals the plain query gives, for every combination of action, actor, days and page', () => {
    let compared = 0
    let found = 0
    for (const action of FAMILIES) {
      for (const actor of WHO) {
        for (const [from, to] of DAYS) {
          for (const p of PAGES) {
            const f: AuditFilter = { action, actor, from, to, ...p }
            const expected = reference(conn, f)
            expect(listAudit(conn, f), JSON.stringify(f)).toEqual(expected)
            compared++
            if (expected.items.length) found++
          }
        }
      }
    }
    // some combinations are meant to find nothing (no such action, actor or day, a page past the
    // end); the rest must find rows, or the comparison would prove little
    expect(compared).toBe(1920)
    expect(found).toBeGreaterThan(300)
  })

  it('finds a family\'s rows but not a longer name that begins the same', () => {
    const actions = (f: string) => new Set(listAudit(conn, { action: f, page: 1, pageSize: 100 }).items.map(i => i.action))
    expect(actions('case')).toEqual(new Set(['case', 'case.read', 'case.accept']))
    expect(actions('auth')).toEqual(new Set(['auth', 'auth.login', 'auth.logout', 'auth.login.failed']))
    expect(actions('auth.login')).toEqual(new Set(['auth.login', 'auth.login.failed']))
  })
})

/** Every statement listAudit prepares for `f`, with its plan as SQLite runs it (parameters bound, not inlined). */
function plansOf(f: AuditFilter): { sql: string, plan: { id: number, parent: number, detail: string }[] }[] {
  const prepare = vi.spyOn(conn.sqlite, 'prepare')
  let prepared: string[]
  try { listAudit(conn, f) }
  finally {
    prepared = prepare.mock.calls.map(([sql]) => sql)
    prepare.mockRestore()
  }
  return [...new Set(prepared)].map(sql => ({
    sql,
    plan: conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1)) as { id: number, parent: number, detail: string }[],
  }))
}

/** What in a plan reads more than its page and the index ranges of its matches. */
function unbounded({ sql, plan }: ReturnType<typeof plansOf>[number]): string[] {
  const page = plan.some(s => s.detail === 'SCAN p')
  return plan.filter(s =>
    // the whole log in id order, stopping at LIMIT + OFFSET rows: only with no filter at all
    (/^SCAN (audit_log|a)\b/.test(s.detail) && !(s.detail === 'SCAN audit_log' && /FROM \(SELECT id FROM audit_log ORDER BY id DESC LIMIT/.test(sql)))
    // a sort of the page's own rows (at most pageSize) is all there may be
    || (/TEMP B-TREE/.test(s.detail) && !(page && s.parent === 0)),
  ).map(s => `${s.detail}  <=  ${sql}`)
}

const FILTERS: Omit<AuditFilter, 'page' | 'pageSize'>[] = [
  {}, { action: 'auth' }, { action: 'pii.reveal' }, { action: 'case' }, { actor: 'citizen' }, { from: '2026-03-02', to: '2026-03-04' },
  { from: '2026-03-03' }, { to: '2026-03-03' }, { action: 'auth', from: '2026-03-02', to: '2026-03-04' }, { actor: 'clerk', to: '2026-03-04' },
  { action: 'case', actor: 'citizen' }, { action: 'auth', actor: 'citizen2', from: '2026-03-02', to: '2026-03-05' },
]

// without statistics (a new site) and with statistics of a city-scale log (PRAGMA optimize runs hourly)
describe.each([false, true])('the auditor\'s page, planner statistics %s', (cityStatistics) => {
  beforeAll(() => {
    if (!cityStatistics) return
    conn.sqlite.exec('ANALYZE')
    conn.sqlite.prepare('DELETE FROM sqlite_stat1 WHERE tbl = \'audit_log\'').run()
    const stat = conn.sqlite.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (\'audit_log\', ?, ?)')
    for (const [idx, s] of [[null, '30000000'], ['audit_action_idx', '30000000 500000'], ['audit_actor_idx', '30000000 60'], ['audit_at_idx', '30000000 2'], ['audit_rating_prompt_idx', '3000000 3']]) stat.run(idx, s)
    conn.sqlite.exec('ANALYZE sqlite_schema')
  })
  afterAll(() => {
    if (cityStatistics) conn.sqlite.exec('DROP TABLE sqlite_stat1')
  })

  it('reads each page through the indexes, never the whole log or a sort of all matches', () => {
    for (const filter of FILTERS) {
      for (const page of [1, 4]) expect(plansOf({ ...filter, page, pageSize: 20 }).flatMap(unbounded), JSON.stringify(filter)).toEqual([])
    }
  })

  it('turns days into an id range by two seeks in audit_at_idx, then pages by id through the filter\'s index', () => {
    const plans = plansOf({ action: 'auth', from: '2026-03-02', to: '2026-03-04', page: 1, pageSize: 20 })
    const days = plans.filter(p => /\bat [<>]/.test(p.sql))
    expect(days).toHaveLength(2)
    for (const d of days) expect(d.plan.map(s => s.detail)).toEqual([expect.stringMatching(/^SEARCH audit_log USING COVERING INDEX audit_at_idx \(at[<>]\?\)$/)])
    const merged = plans.find(p => /UNION ALL/.test(p.sql))!.plan.map(s => s.detail)
    expect(merged).toContain('MERGE (UNION ALL)')
    expect(merged.filter(d => d.startsWith('SEARCH audit_log'))).toEqual(Array(4).fill('SEARCH audit_log USING COVERING INDEX audit_action_idx (action=? AND rowid>? AND rowid<?)'))
  })

  it('finds an actor\'s rows through audit_actor_idx in id order, without sorting them', () => {
    const plans = plansOf({ actor: 'citizen', page: 1, pageSize: 20 })
    const list = plans.find(p => /LIMIT \? OFFSET \?/.test(p.sql))!.plan.map(s => s.detail)
    expect(list).toContain('SEARCH audit_log USING COVERING INDEX audit_actor_idx (actor_id=?)')
  })

  it('counts the whole log by its first and last id', () => {
    const statements = plansOf({ page: 1, pageSize: 20 }).filter(p => !/LIMIT \? OFFSET/.test(p.sql))
    expect(statements.map(p => p.sql)).toEqual(['SELECT min(id) FROM audit_log', 'SELECT max(id) FROM audit_log'])
    for (const p of statements) expect(p.plan.map(s => s.detail)).toEqual(['SEARCH audit_log'])
  })
})

describe('the log as it stood when the first page was read (upTo)', () => {
  it('lists no row twice across pages while new rows arrive, counts as of then, and never past the newest row', () => {
    const conn = freshDatabase()
    for (let i = 0; i < 25; i++) writeAudit(conn, { actorRole: 'system', action: 'test.row', subject: `r${i}` })
    const newest = conn.sqlite.prepare('SELECT max(id) FROM audit_log').pluck().get() as number
    const first = listAudit(conn, { action: 'test', page: 1, pageSize: 10, upTo: newest })
    // an auditor's reading and others' work add newer rows between the pages
    for (let i = 0; i < 3; i++) writeAudit(conn, { actorRole: 'system', action: 'test.row', subject: `later${i}` })
    const second = listAudit(conn, { action: 'test', page: 2, pageSize: 10, upTo: newest })
    const third = listAudit(conn, { action: 'test', page: 3, pageSize: 10, upTo: newest })
    const subjects = [...first.items, ...second.items, ...third.items].map(r => r.subject)
    expect(subjects).toEqual(Array.from({ length: 25 }, (_, i) => `r${24 - i}`))
    expect([first.total, second.total, third.total]).toEqual([25, 25, 25])
    // unfiltered, the total is as of upTo too; an upTo beyond the newest row counts no rows that do not exist
    const all = conn.sqlite.prepare('SELECT count(*) FROM audit_log WHERE id <= ?').pluck().get(newest) as number
    expect(listAudit(conn, { page: 1, pageSize: 5, upTo: newest }).total).toBe(all)
    const rows = conn.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
    expect(listAudit(conn, { page: 1, pageSize: 5, upTo: 10 ** 12 }).total).toBe(rows)
  })
})

describe('an auditor reading the rows of an account whose username is a mobile number', () => {
  it('sees the number masked, as everywhere else in the log (chosen before registration refused such names)', () => {
    const fresh = freshDatabase()
    const id = Number(fresh.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name) VALUES ('13812345678', 'x', 'citizen', '赵六')`).run().lastInsertRowid)
    writeAudit(fresh, { actorId: id, actorRole: 'citizen', action: 'auth.login', subject: `user:${id}` })
    const [row] = listAudit(fresh, { actor: '13812345678', page: 1, pageSize: 10 }).items
    expect(row?.actorUsername).toBe('138****5678')
    fresh.sqlite.close()
  })
})
