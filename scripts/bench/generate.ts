/**
 * Generates the benchmark's dataset into a fresh SQLite file, reproducibly (seeded PRNG, and the
 * same `--today` gives the same file):
 *
 *   npx tsx scripts/bench/generate.ts [--scale 0.1|1] [--quick] [--out /tmp/portal-bench/s1.db] [--seed 20261128] [--today YYYY-MM-DD]
 *
 * At scale 1: at least 10,000 service items, 200,000 citizens, 1,000,000 cases over two years
 * with their events, uploads' metadata and daily counts. `--quick` is scale 0.01.
 *
 * Generation only: synchronous=OFF and journal_mode=OFF while this throwaway file is filled (a
 * crash means generating again), then WAL and FULL are restored before any server opens it.
 */
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { applyMigrations, openDatabase } from '../../db/client'
import { rebuildSearchIndex } from '../../db/search-index'
import { DEMO_CLERK_DEPARTMENT, seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { shanghaiDateOf, addDays } from '../../shared/utils/working-days'
import { DayTable } from './calendar'
import { growCatalogue } from './catalogue'
import { insertCases } from './cases'
import type { CaseService } from './cases'
import { insertCitizens, insertClerks } from './people'
import { makeRng } from './prng'

export interface GenerateOptions { scale: number, out: string, seed?: number, today?: string }
export interface DatasetCounts { scale: number, services: number, citizens: number, accounts: number, cases: number, events: number, uploads: number, dailyRows: number, backlog: number, seconds: number }

export const FULL = { services: 10_000, citizens: 200_000, cases: 1_000_000 } as const
/** Two years of history, ending today. */
const HISTORY_DAYS = 730
/** Days after today the table covers, for deadlines of the longest limits. */
const FUTURE_DAYS = 400
const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url))
// Nothing happens after 08:59 on the last day: a fixed instant, so the same --today gives the same file.
const NOW_ON_TODAY_MS = (8 * 60 + 59) * 60_000
const BULK_TABLES = ['cases', 'case_events', 'uploads', 'case_materials']

/** Submitted cases waiting in the demo clerk's queue, for the transition benchmark. */
export function backlogFor(cases: number): number {
  return Math.min(2000, Math.max(100, Math.round(cases * 0.02)))
}

/** Secondary indexes are dropped during the bulk insert and built once at the end: sorting once beats a million random B-tree inserts. */
function withoutIndexes(sqlite: ReturnType<typeof openDatabase>['sqlite'], fn: () => void): void {
  const marks = BULK_TABLES.map(() => '?').join(', ')
  const indexes = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks})`).all(...BULK_TABLES) as { name: string, sql: string }[]
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`)
  fn()
  for (const i of indexes) sqlite.exec(i.sql)
}

function caseServices(sqlite: ReturnType<typeof openDatabase>['sqlite'], rng: ReturnType<typeof makeRng>): CaseService[] {
  const rows = sqlite.prepare(`SELECT code, department_code AS dept, process_type AS processType, promised_limit_days AS limitDays, form_version_id AS formId
    FROM services ORDER BY code`).all() as { code: string, dept: string, processType: string, limitDays: number, formId: number | null }[]
  // A seeded shuffle decides which items are popular (the weights follow this order).
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!]
  }
  return rows.map(r => ({ code: r.code, dept: r.dept, instant: r.processType === 'instant', limitDays: Math.max(1, r.limitDays), formId: r.formId }))
}

/** Creates the database file `out` (replacing it) and fills it; returns what it holds. */
export function generateDataset(opts: GenerateOptions): DatasetCounts {
  const started = Date.now()
  const rng = makeRng(opts.seed ?? 20261128)
  const today = opts.today ?? shanghaiDateOf(new Date())
  const target = { services: Math.round(FULL.services * opts.scale), citizens: Math.round(FULL.citizens * opts.scale), cases: Math.round(FULL.cases * opts.scale) }
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(opts.out + suffix, { force: true })
  const conn = openDatabase(`file:${opts.out}`)
  const { sqlite } = conn
  applyMigrations(conn, MIGRATIONS)
  seedCatalogue(conn)
  seedDemoAccounts(conn)
  sqlite.pragma('journal_mode = OFF')
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('foreign_keys = OFF')
  sqlite.pragma('cache_size = -262144')
  sqlite.pragma('temp_store = MEMORY')
  const services = growCatalogue(sqlite, rng, target.services)
  sqlite.transaction(() => rebuildSearchIndex(conn))()
  const { hash } = sqlite.prepare(`SELECT password_hash AS hash FROM users WHERE username = 'citizen'`).get() as { hash: string }
  const people = insertCitizens(sqlite, rng, target.citizens, hash)
  const clerks = insertClerks(sqlite, rng, hash)
  const days = new DayTable(addDays(today, -(HISTORY_DAYS - 1)), HISTORY_DAYS + FUTURE_DAYS)
  const backlog = backlogFor(target.cases)
  let result: ReturnType<typeof insertCases> | undefined
  withoutIndexes(sqlite, () => {
    result = insertCases(sqlite, rng, { days, today: HISTORY_DAYS - 1, services: caseServices(sqlite, rng), people, clerks, now: days.midnights[HISTORY_DAYS - 1]! + NOW_ON_TODAY_MS }, target.cases, { dept: DEMO_CLERK_DEPARTMENT, count: backlog })
  })
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  const { accounts } = sqlite.prepare('SELECT count(*) AS accounts FROM users').get() as { accounts: number }
  sqlite.close()
  const { counts, dailyRows } = result!
  return { scale: opts.scale, services, citizens: people.length, accounts, ...counts, dailyRows, backlog, seconds: (Date.now() - started) / 1000 }
}

/** `--scale 0.1`, `--quick`, `--out file`, `--seed n`, `--today YYYY-MM-DD`. */
export function parseArgs(argv: string[]): GenerateOptions {
  const value = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const scale = argv.includes('--quick') ? 0.01 : Number(value('--scale') ?? 1)
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]')
  const seed = value('--seed') === undefined ? undefined : Number(value('--seed'))
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be a whole number')
  const today = value('--today')
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be YYYY-MM-DD')
  return { scale, seed, today, out: resolve(value('--out') ?? `/tmp/portal-bench/scale-${scale}.db`) }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = parseArgs(process.argv.slice(2))
  console.log(JSON.stringify({ out: opts.out, ...generateDataset(opts) }))
}
