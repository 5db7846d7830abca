/**
 * The benchmark's generator in quick mode (1% of the data), so `npm run bench` cannot rot: what
 * it produces is checked by counting, never by timing.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { verifyDailyCounts } from '../../server/services/daily-counts'

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-quick-'))
const TODAY = '2026-11-27'

interface Printed { services: number, citizens: number, accounts: number, cases: number, events: number, uploads: number, backlog: number }

function generate(out: string): Printed {
  const stdout = execFileSync('npx', ['tsx', 'scripts/bench/generate.ts', '--quick', '--today', TODAY, '--out', out], { encoding: 'utf8', timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Printed
}

const count = (conn: Connection, sql: string) => (conn.sqlite.prepare(sql).get() as { n: number }).n

let printed: Printed
let conn: Connection

beforeAll(() => {
  printed = generate(join(dir, 'a.db'))
  conn = openDatabase(`file:${join(dir, 'a.db')}`)
})

afterAll(() => {
  conn?.sqlite.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the benchmark dataset in quick mode', () => {
  it('holds 1% of the people and cases, and at least the seeded catalogue', () => {
    expect(printed.cases).toBe(10_000)
    expect(printed.citizens).toBe(2_000)
    expect(count(conn, 'SELECT count(*) AS n FROM cases')).toBe(10_000)
    expect(count(conn, `SELECT count(*) AS n FROM users WHERE username LIKE 'bench0%' AND role = 'citizen'`)).toBe(2_000)
    expect(count(conn, 'SELECT count(*) AS n FROM users')).toBe(printed.accounts)
    expect(count(conn, `SELECT count(*) AS n FROM services WHERE status = 'published'`)).toBe(printed.services)
    expect(count(conn, 'SELECT count(*) AS n FROM services_fts')).toBe(printed.services)
  })

  it('gives every case its history, and online cases some uploaded materials', () => {
    expect(count(conn, 'SELECT count(*) AS n FROM case_events')).toBe(printed.events)
    expect(count(conn, 'SELECT count(*) AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_no = c.case_no)')).toBe(0)
    expect(count(conn, 'SELECT count(*) AS n FROM cases WHERE version <> (SELECT count(*) FROM case_events e WHERE e.case_no = cases.case_no)')).toBe(0)
    expect(printed.uploads).toBeGreaterThan(0)
    expect(count(conn, 'SELECT count(*) AS n FROM uploads')).toBe(printed.uploads)
    expect(count(conn, 'SELECT count(*) AS n FROM case_materials')).toBe(printed.uploads)
    expect(conn.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([])
  })

  it('keeps daily counts the report can trust: totals equal the cases, every day and department agrees', () => {
    const totals = conn.sqlite.prepare('SELECT sum(received) AS received, sum(completed) AS completed FROM case_daily').get() as { received: number, completed: number }
    expect(totals.received).toBe(10_000)
    expect(totals.completed).toBe(count(conn, `SELECT count(*) AS n FROM cases WHERE status IN ('approved', 'rejected')`))
    expect(verifyDailyCounts(conn)).toEqual([])
    const counted = count(conn, `SELECT count(*) AS n FROM (SELECT department_code, status, count(*) AS n FROM cases GROUP BY 1, 2
      EXCEPT SELECT department_code, status, n FROM case_status_counts WHERE n > 0)`)
    expect(counted).toBe(0)
    expect(count(conn, 'SELECT sum(n) AS n FROM case_status_counts')).toBe(10_000)
  })

  it('spans two years up to the given day, and continues case numbers after the generated ones', () => {
    const span = conn.sqlite.prepare('SELECT min(received_date) AS first, max(received_date) AS last FROM cases').get() as { first: string, last: string }
    expect(span).toEqual({ first: '2024-11-28', last: TODAY })
    const last = conn.sqlite.prepare('SELECT last FROM case_sequences WHERE day = ?').get(TODAY) as { last: number }
    expect(count(conn, `SELECT count(*) AS n FROM cases WHERE received_date = '${TODAY}'`)).toBe(last.last)
  })

  it('leaves submitted cases in the demo clerk\'s queue for the transition benchmark, in WAL mode', () => {
    expect(count(conn, `SELECT count(*) AS n FROM cases WHERE department_code = 'SZRS' AND status = 'submitted'`)).toBeGreaterThanOrEqual(printed.backlog)
    expect(conn.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
  })

  it('is reproducible: the same seed and day give the same cases', () => {
    const digest = (c: Connection) => {
      const h = createHash('sha256')
      for (const r of c.sqlite.prepare('SELECT case_no, service_code, applicant_id_number, status, deadline, completed_date FROM cases ORDER BY case_no').iterate()) h.update(JSON.stringify(r))
      return h.digest('hex')
    }
    generate(join(dir, 'b.db'))
    const again = openDatabase(`file:${join(dir, 'b.db')}`)
    try {
      expect(digest(again)).toBe(digest(conn))
    }
    finally {
      again.sqlite.close()
    }
  })
})
