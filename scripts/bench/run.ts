/**
 * `npm run bench` (`npm run bench:quick` for the 1% / 2% datasets in seconds): generates the
 * dataset at two sizes, starts the built server on each, measures every scenario over loopback
 * and prints the figures, their ratios to the baselines, the growth between the sizes and the
 * budgets. Exits non-zero only when the benchmark itself breaks, never for a missed budget.
 *
 * Options: --quick, --seconds N (per scenario), --fresh (regenerate even if a dataset with the
 * same generator, seed and day is cached under /tmp/portal-bench, or BENCH_DIR), --db-only (no
 * server: the datasets and the database baselines only, to study a query).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cpus } from 'node:os'
import Database from 'better-sqlite3'
import { addDays, shanghaiDateOf } from '../../shared/utils/working-days'
import { measureQueries } from './baselines'
import { prepareDrafts, readFixtures } from './fixtures'
import { generateDataset } from './generate'
import { homePageScript } from './home-js'
import type { Figures } from './measure'
import type { Notices } from './outbox'
import { noticesLine, watchNotices } from './outbox'
import { runScenarios } from './scenarios'
import { serverCpu, startServer, stopServer } from './server'
import type { Budget, Row } from './table'
import { budgetTable, figuresTable, growthTable, PEAK_CONNECTIONS, PING, PING_AGAIN, QUEUE, REPORT, SEARCHES, SUBMIT, SUBMIT_PEAK } from './table'

const ROOT = resolve(import.meta.dirname, '../..')
// BENCH_DIR: where datasets are cached and runs write (a test runs the quick mode in a directory of its own)
const WORK = process.env.BENCH_DIR || '/tmp/portal-bench'
const JS_BUDGET = 200_000
/** Submissions per second at least this share of the ping's requests per second. */
const SUBMIT_SHARE = 0.3
const GENERATOR = ['generate', 'catalogue', 'people', 'cases', 'plan', 'calendar', 'prng'].map(f => `scripts/bench/${f}.ts`)
const log = (s: string) => process.stderr.write(`${s}\n`)
// One audit key for every dataset of the run, in this process (the drafts made before the server
// starts are audited) and in each server: the server refuses a signed audit log without its key
// (server/services/audit.ts), and this process keeps the first key it reads for the next dataset.
process.env.AUDIT_HMAC_KEY ||= 'portal-bench-audit-key'

function ensureBuild(): string {
  const output = resolve(ROOT, process.env.NITRO_OUTPUT_DIR || '.output')
  if (existsSync(join(output, 'server/index.mjs'))) return output
  log(`no build in ${output}: building (a few minutes)…`)
  const r = spawnSync('npx', ['nuxt', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NITRO_OUTPUT_DIR: output } })
  if (r.status !== 0) throw new Error('the build failed')
  return output
}

/** What the generated file depends on: the generator, the migrations, the seed, and its parameters. */
function datasetKey(scale: number, today: string): string {
  const h = createHash('sha256').update(JSON.stringify({ scale, today }))
  for (const f of GENERATOR) h.update(f).update(readFileSync(join(ROOT, f)))
  for (const dir of ['db/migrations', 'db/migrations/meta', 'db/seed', 'db/seed/catalogue']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      if (/\.(ts|sql|json)$/.test(f)) h.update(f).update(readFileSync(join(ROOT, dir, f)))
    }
  }
  return h.digest('hex')
}

/** A fresh copy of the dataset for one run (the run writes to it), generated when not cached. */
function prepareDataset(scale: number, today: string, fresh: boolean): string {
  mkdirSync(WORK, { recursive: true })
  const pristine = join(WORK, `pristine-${scale}.db`)
  const key = datasetKey(scale, today)
  if (fresh || !existsSync(pristine) || !existsSync(`${pristine}.key`) || readFileSync(`${pristine}.key`, 'utf8') !== key) {
    log(`generating the ${scale * 100}% dataset…`)
    rmSync(`${pristine}.key`, { force: true })
    const counts = generateDataset({ scale, out: pristine, today })
    log(`  ${JSON.stringify(counts)}`)
    writeFileSync(`${pristine}.key`, key)
  }
  const dir = join(WORK, `run-${scale}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  copyFileSync(pristine, join(dir, 'portal.db'))
  return dir
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

interface SizeResult { rows: Row[], errors: string[], homeJs?: number, notices?: Notices & { size: string } }

async function benchSize(output: string | null, scale: number, opts: { today: string, seconds: number, fresh: boolean, measureJs: boolean }): Promise<SizeResult> {
  const size = `${+(scale * 100).toFixed(2)}%`
  const dir = prepareDataset(scale, opts.today, opts.fresh)
  const dbPath = join(dir, 'portal.db')
  const period = { from: addDays(opts.today, -364), to: opts.today }
  const fixtures = readFixtures(dbPath, 8)
  // enough for the two submission scenarios (8 and PEAK_CONNECTIONS connections) at 4,000 a second together
  const drafts = output ? prepareDrafts(dbPath, fixtures, opts.seconds * 1000) : []
  const db = new Database(dbPath, { readonly: true })
  const { clerkId } = db.prepare(`SELECT id AS clerkId FROM users WHERE username = 'clerk'`).get() as { clerkId: number }
  db.close()
  log(`[${size}] database baselines…`)
  const base = await measureQueries({ dbPath, seconds: Math.max(1, opts.seconds / 2), searches: SEARCHES, clerkId, period })
  const rows: Row[] = Object.entries(base).map(([key, figures]) => ({ size, scale, kind: 'db', figures, scenario: key === 'queue' ? QUEUE : key === 'report' ? REPORT : key }))
  if (!output) return { rows, errors: [] }
  log(`[${size}] starting the server…`)
  const server = await startServer(output, dbPath, dir)
  try {
    const { figures, errors } = await runScenarios({ url: server.url, seconds: opts.seconds, connections: 8, fixtures, drafts, period, cpu: () => serverCpu(server) }, log)
    for (const [scenario, f] of figures) rows.push({ size, scale, kind: 'http', scenario, figures: f })
    log(`[${size}] watching the SMS notices of the writes go out…`)
    const notices = { size, ...await watchNotices(server.url) }
    const homeJs = opts.measureJs ? await homePageScript(server.url) : undefined
    return { rows: rows.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'http' ? -1 : 1)), errors, homeJs, notices }
  }
  finally {
    await stopServer(server)
  }
}

/** The figures of an HTTP scenario at one size. */
function httpAt(rows: Row[], size: string, scenario: string): Figures | undefined {
  return rows.find(r => r.size === size && r.kind === 'http' && r.scenario === scenario)?.figures
}

/** The faster of the two pings (first, and just before the submissions): against it the submissions' share is the lower. */
function fasterPing(rows: Row[], size: string): Figures | undefined {
  return [httpAt(rows, size, PING), httpAt(rows, size, PING_AGAIN)].filter((f): f is Figures => !!f).sort((a, b) => b.rps - a.rps)[0]
}

function budgets(rows: Row[], size: string, homeJs: number | undefined): Budget[] {
  const at = (scenario: string) => httpAt(rows, size, scenario)
  const out: Budget[] = []
  for (const scenario of [...Object.keys(SEARCHES), QUEUE]) {
    const f = at(scenario)
    out.push({ name: `${scenario}: p99 @${size}`, limit: '< 50 ms', measured: f ? `${f.p99.toFixed(1)} ms` : 'n/a', met: !!f && f.p99 < 50 })
  }
  const report = at(REPORT)
  out.push({ name: `${REPORT}: p99 @${size}`, limit: '< 500 ms', measured: report ? `${report.p99.toFixed(1)} ms` : 'n/a', met: !!report && report.p99 < 500 })
  const submit = at(SUBMIT)
  const ping = fasterPing(rows, size)?.rps ?? Number.NaN
  const share = submit ? submit.rps / ping : Number.NaN
  out.push({ name: `submissions/s ÷ ping req/s, no error @${size}`, limit: `≥ ${SUBMIT_SHARE.toFixed(2)}, 0 errors`, measured: submit ? `${share.toFixed(3)} (${submit.rps.toFixed(0)}/s ÷ ${ping.toFixed(0)}/s, the faster ping), ${submit.errors} errors` : 'n/a', met: share >= SUBMIT_SHARE && submit?.errors === 0 })
  out.push({ name: 'home page JavaScript, gzip -9', limit: '< 200 KB (200,000 B)', measured: homeJs === undefined ? 'n/a' : `${homeJs.toLocaleString('en')} B`, met: homeJs !== undefined && homeJs < JS_BUDGET })
  return out
}

/**
 * What the server's CPU says about the submissions' budget: were both the submissions and the
 * ping bound by the JavaScript thread, their rates would stand in the inverse ratio of its time
 * per request. A measured ratio below that bound means the submissions also waited (the disk).
 */
function submissionCpu(rows: Row[], size: string): string | null {
  const submit = httpAt(rows, size, SUBMIT)?.cpu
  const ping = fasterPing(rows, size)?.cpu
  if (!submit || !ping) return null
  return `Server CPU per request @${size}: a submission ${submit.total.toFixed(3)} ms (JavaScript thread ${submit.main.toFixed(3)} ms), `
    + `the faster ping ${ping.total.toFixed(3)} ms (${ping.main.toFixed(3)} ms). Bound by the JavaScript thread, submissions would reach `
    + `${(ping.main / submit.main).toFixed(3)} of ping's rate; ${SUBMIT_SHARE.toFixed(2)} needs a submission within ${(ping.main / SUBMIT_SHARE).toFixed(3)} ms of it.`
}

/** What the submissions carry with a busy morning's connections, for information beside the budget's figure. */
function peakLine(rows: Row[], size: string): string | null {
  const peak = httpAt(rows, size, SUBMIT_PEAK)
  const ping = fasterPing(rows, size)
  if (!peak || !ping) return null
  return `With ${PEAK_CONNECTIONS} connections @${size} (a busy morning; the budget is taken at 8, as every other scenario): ${peak.rps.toFixed(0)} submissions a second, `
    + `${(peak.rps / ping.rps).toFixed(3)} of the faster ping, ${peak.errors} errors`
    + (peak.cpu ? `, ${peak.cpu.main.toFixed(3)} ms of the JavaScript thread each.` : '.')
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick')
  const seconds = Number(argValue('--seconds') ?? (quick ? 1 : 5))
  const today = shanghaiDateOf(new Date())
  const scales = quick ? [0.01, 0.02] : [0.1, 1]
  // --db-only: the datasets and the database baselines, without building or starting the server
  const output = process.argv.includes('--db-only') ? null : ensureBuild()
  const results: SizeResult[] = []
  for (const [i, scale] of scales.entries()) {
    results.push(await benchSize(output, scale, { today, seconds, fresh: process.argv.includes('--fresh'), measureJs: i === scales.length - 1 }))
  }
  const rows = results.flatMap(r => r.rows)
  const [small, large] = scales.map(s => `${+(s * 100).toFixed(2)}%`) as [string, string]
  const growth = growthTable(rows, small, large, scales[1]! / scales[0]!)
  const homeJs = results.at(-1)!.homeJs
  const b = budgets(rows, large, homeJs)
  const when = `${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model.trim()}) · Node ${process.version} · ${seconds} s per scenario, 8 connections (the report: 1)`
  console.log(`\n## Benchmark ${when}\n\n${figuresTable(rows)}\n`)
  console.log(`Growth from ${small} to ${large} of the data (${scales[1]! / scales[0]!}×). Rule: p50 ratio ≤ log10(${scales[1]! / scales[0]!}) + 1 = ${growth.limit.toFixed(2)} means "grows ≤ log".\n\n${growth.text}\n`)
  console.log(`Budgets (at ${large}):\n\n${budgetTable(b)}\n`)
  const cpu = submissionCpu(rows, large)
  if (cpu) console.log(`${cpu}\n`)
  const peak = peakLine(rows, large)
  if (peak) console.log(`${peak}\n`)
  const notices = results.flatMap(r => (r.notices ? [r.notices] : []))
  if (notices.length) console.log(`${notices.map(n => noticesLine(n.size, n)).join('\n')}\n`)
  console.log(b.every(x => x.met) ? 'All budgets met.' : `Budgets missed: ${b.filter(x => !x.met).map(x => x.name).join('; ')}`)
  for (const e of results.flatMap(r => r.errors)) console.log(`first error seen: ${e}`)
  writeFileSync(join(WORK, 'last-run.json'), JSON.stringify({ when, rows, budgets: b, homeJs, notices }, null, 2))
}

main().catch((error: Error) => {
  console.error(`the benchmark broke: ${error.stack ?? error.message}`)
  process.exit(1)
})
