/**
 * The printed result: one table of figures with their ratios to the baselines, the growth from the
 * smaller dataset to the larger one, and the budgets met or missed.
 */
import type { Figures } from './measure'

export interface Row { size: string, scale: number, scenario: string, kind: 'http' | 'db', figures: Figures }
export interface Budget { name: string, limit: string, measured: string, met: boolean }

/** The framework's ceiling: the trivial endpoint. */
export const PING = 'ping (framework baseline)'
/** The same again just before the submissions: this machine's speed drifts over minutes (its ratio to the first ping shows how much). */
export const PING_AGAIN = 'ping again, just before the submissions'
export const SEARCHES = { 'search, 1 character (证)': '证', 'search, 2 characters (社保)': '社保', 'search, 4 characters (营业执照)': '营业执照' } as const
export const QUEUE = 'clerk\'s queue'
export const REPORT = 'online-rate report, one year'
/** The budget's submission: the submit of a draft saved earlier, as the form page autosaves while a person types. */
export const SUBMIT = 'submit an application (saved draft)'
/** Connections of the busy-morning submissions: the group commit's largest batch (db/group-commit.ts, MAX_BATCH). */
export const PEAK_CONNECTIONS = 64
/**
 * For information: the same submissions with PEAK_CONNECTIONS people at once, as on a busy
 * morning. More writes arrive together, so more share a transaction and a disk sync: what the
 * server carries then, not the budget's figure, which is taken at the other scenarios' 8.
 */
export const SUBMIT_PEAK = `submit a saved draft, ${PEAK_CONNECTIONS} connections`
/** For information: a whole application from nothing, the draft's creation and the submit in sequence. */
export const APPLY = 'create a draft + submit it'
export const TRANSITION = 'case transition (accept)'
export const GUIDE = 'guide page, not signed in (kept rendered)'
export const GUIDE_SIGNED_IN = 'guide page, signed in (rendered each time)'

const ms = (n: number) => Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : 'n/a'

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map(r => [...(r[i] ?? '')].length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join(' | ')} |`
  return [line(cells[0]!), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n')
}

function find(rows: Row[], size: string, scenario: string, kind: Row['kind']): Row | undefined {
  return rows.find(r => r.size === size && r.scenario === scenario && r.kind === kind)
}

/** Figures, with throughput ÷ the trivial endpoint's and, for queries, p50 ÷ the database's p50. */
export function figuresTable(rows: Row[]): string {
  const out = [['data', 'scenario', 'where', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'req/s ÷ ping', 'p50 ÷ db p50', 'server CPU ms/req (JS thread)']]
  for (const r of rows) {
    const ping = find(rows, r.size, PING, 'http')
    const db = r.kind === 'http' ? find(rows, r.size, r.scenario, 'db') : undefined
    const f = r.figures
    out.push([r.size, r.scenario, r.kind === 'http' ? 'HTTP' : 'db only', f.rps.toFixed(0), ms(f.p50), ms(f.p99), String(f.errors),
      r.kind === 'http' && ping && r.scenario !== PING ? (f.rps / ping.figures.rps).toFixed(3) : '—',
      db ? (f.p50 / db.figures.p50).toFixed(1) : '—',
      f.cpu ? `${f.cpu.total.toFixed(3)} (${f.cpu.main.toFixed(3)})` : '—'])
  }
  return pad(out)
}

/** p50 at the larger size ÷ p50 at the smaller; within log10(growth) + 1 counts as logarithmic. */
export function growthTable(rows: Row[], small: Row['size'], large: Row['size'], growth: number): { text: string, limit: number } {
  const limit = Math.log10(growth) + 1
  const out = [['scenario', 'where', `p50 @${small}`, `p50 @${large}`, 'ratio', 'verdict']]
  for (const r of rows.filter(x => x.size === large)) {
    const before = find(rows, small, r.scenario, r.kind)
    if (!before) continue
    const ratio = r.figures.p50 / before.figures.p50
    const verdict = !Number.isFinite(ratio) ? 'n/a' : ratio <= limit ? 'grows ≤ log' : 'GROWS FASTER than log'
    out.push([r.scenario, r.kind === 'http' ? 'HTTP' : 'db only', ms(before.figures.p50), ms(r.figures.p50), Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a', verdict])
  }
  return { text: pad(out), limit }
}

export function budgetTable(budgets: Budget[]): string {
  return pad([['budget', 'limit', 'measured', 'result'], ...budgets.map(b => [b.name, b.limit, b.measured, b.met ? 'met' : 'MISSED'])])
}
