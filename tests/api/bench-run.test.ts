/**
 * `npm run bench:quick` end to end on the built server, so the benchmark cannot rot: every scenario
 * runs without an error and every figure, ratio and budget is printed. What is checked is that
 * the script works and what it counts, never how fast anything was (that is the script's output,
 * not a test's verdict); the home page's script size is a byte count of the build, not a timing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figures } from '../../scripts/bench/measure'
import type { Notices } from '../../scripts/bench/outbox'
import type { Budget, Row } from '../../scripts/bench/table'
import { APPLY, GUIDE, GUIDE_SIGNED_IN, PING, PING_AGAIN, QUEUE, REPORT, SEARCHES, SUBMIT, SUBMIT_PEAK, TRANSITION } from '../../scripts/bench/table'
import { shanghaiDateOf } from '../../shared/utils/working-days'

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-run-'))
const HTTP_SCENARIOS = [PING, ...Object.keys(SEARCHES), GUIDE, GUIDE_SIGNED_IN, QUEUE, REPORT, TRANSITION, PING_AGAIN, SUBMIT, SUBMIT_PEAK, APPLY]
const DB_SCENARIOS = [...Object.keys(SEARCHES), QUEUE, REPORT]

interface LastRun { rows: Row[], budgets: Budget[], homeJs: number, notices: (Notices & { size: string })[] }

let exitCode: number | null
let stdout: string
let stderr: string
let run: LastRun

beforeAll(() => {
  // the build the other API tests start (tests/support/server.ts)
  const output = resolve(process.env.NITRO_OUTPUT_DIR || '.output')
  if (!existsSync(join(output, 'server/index.mjs'))) throw new Error(`no build in ${output}: npm test builds it before the tests`)
  const r = spawnSync('npx', ['tsx', 'scripts/bench/run.ts', '--quick'], {
    encoding: 'utf8', timeout: 420_000, env: { ...process.env, BENCH_DIR: dir, NITRO_OUTPUT_DIR: output },
  })
  exitCode = r.status
  stdout = r.stdout
  stderr = r.stderr
  if (exitCode !== 0) throw new Error(`the benchmark broke (exit ${exitCode}):\n${stderr.slice(-3000)}`)
  run = JSON.parse(readFileSync(join(dir, 'last-run.json'), 'utf8')) as LastRun
}, 480_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const rowOf = (size: string, scenario: string, kind: Row['kind']) => run.rows.find(r => r.size === size && r.scenario === scenario && r.kind === kind)

describe('npm run bench:quick', () => {
  it('finishes without breaking and prints the figures, the growth and the budgets', () => {
    expect(exitCode).toBe(0)
    expect(stdout).toContain('| data | scenario')
    expect(stdout).toContain('req/s ÷ ping')
    expect(stdout).toContain('server CPU ms/req (JS thread)')
    expect(stdout).toMatch(/Growth from 1% to 2% of the data/)
    expect(stdout).toContain('Budgets (at 2%)')
    expect(stdout).not.toContain('first error seen')
  })

  it('measures every scenario at both sizes over HTTP with no error, and the database baselines', () => {
    for (const size of ['1%', '2%']) {
      for (const scenario of HTTP_SCENARIOS) {
        const f: Figures | undefined = rowOf(size, scenario, 'http')?.figures
        expect(f, `${scenario} @${size}`).toBeDefined()
        expect(f!.requests, `${scenario} @${size}`).toBeGreaterThan(0)
        expect(f!.errors, `${scenario} @${size}`).toBe(0)
        expect(f!.p99, `${scenario} @${size}`).toBeGreaterThanOrEqual(f!.p50)
      }
      for (const scenario of DB_SCENARIOS) expect(rowOf(size, scenario, 'db')?.figures.requests, `${scenario} (db) @${size}`).toBeGreaterThan(0)
    }
  })

  it('charges each HTTP scenario with the server\'s CPU, the JavaScript thread a part of the whole', () => {
    // /proc is Linux's: elsewhere the column stays empty and there is nothing to check
    if (!existsSync('/proc/self/task')) return
    for (const r of run.rows.filter(x => x.kind === 'http')) {
      expect(r.figures.cpu, r.scenario).toBeDefined()
      expect(r.figures.cpu!.main, r.scenario).toBeGreaterThan(0)
      expect(r.figures.cpu!.main, r.scenario).toBeLessThanOrEqual(r.figures.cpu!.total)
    }
    expect(stdout).toMatch(/Bound by the JavaScript thread, submissions would reach \d\.\d{3} of ping's rate/)
    expect(stdout).toMatch(/With 64 connections @2% \(a busy morning; the budget is taken at 8, as every other scenario\): \d+ submissions a second, \d\.\d{3} of the faster ping, 0 errors/)
  })

  it('generates cases as the portal writes them: a suspension on its day, a completion on its day in Shanghai', () => {
    const db = new Database(join(dir, 'pristine-0.02.db'), { readonly: true })
    try {
      // a full instant here made the supervision page's overdue list fail (a 500) on the dataset
      const suspended = db.prepare(`SELECT suspended_since FROM cases WHERE status = 'suspended'`).pluck().all() as string[]
      expect(suspended.length).toBeGreaterThan(0)
      expect(suspended.filter(d => !/^\d{4}-\d\d-\d\d$/.test(d))).toEqual([])
      const completed = db.prepare('SELECT case_no AS caseNo, completed_at AS at, completed_date AS day FROM cases WHERE completed_at IS NOT NULL').all() as { caseNo: string, at: string, day: string }[]
      expect(completed.length).toBeGreaterThan(0)
      expect(completed.filter(c => shanghaiDateOf(new Date(c.at)) !== c.day)).toEqual([])
    }
    finally { db.close() }
  })

  it('watches the SMS notices of the writes go out at both sizes, and prints it', () => {
    expect(run.notices.map(n => n.size)).toEqual(['1%', '2%'])
    for (const n of run.notices) {
      // every submission and accepted case queues one; the watch ends when none waits
      expect(n.drainedAfterS, n.size).not.toBeNull()
    }
    expect(stdout).toMatch(/SMS notices @2%: [\d,]+ waiting in the outbox when the writes ended; all sent [\d.]+ s later/)
  })

  it('judges every budget on a measured figure, and the home page\'s script stays under 200 KB compressed', () => {
    expect(run.budgets).toHaveLength(7)
    for (const b of run.budgets) expect(b.measured, b.name).not.toBe('n/a')
    expect(run.homeJs).toBeGreaterThan(10_000)
    expect(run.homeJs).toBeLessThan(200_000)
    expect(run.budgets.find(b => b.name.startsWith('home page JavaScript'))?.met).toBe(true)
  })
})
