/**
 * The scenarios against one running server, all driven by autocannon: each read warmed up for a
 * second first (JIT, SQLite's page cache); the writes each use up what they write on (drafts,
 * waiting cases), so they run once, without a warm-up.
 */
import { DEMO_PASSWORD } from '../../db/seed/demo'
import type { Fixtures } from './fixtures'
import { fillAnswers } from './fixtures'
import type { Figures, Step } from './measure'
import { loadChain, loadGet } from './measure'
import { Session } from './server'
import type { CpuTime } from './server'
import { APPLY, GUIDE, GUIDE_SIGNED_IN, PEAK_CONNECTIONS, PING, PING_AGAIN, QUEUE, REPORT, SEARCHES, SUBMIT, SUBMIT_PEAK, TRANSITION } from './table'

export interface ScenarioOptions {
  url: string, seconds: number, connections: number, fixtures: Fixtures, drafts: string[][], period: { from: string, to: string }
  /** the server's CPU time so far, to charge each measured load with what it cost the server */
  cpu?: () => CpuTime | null
}

/** Runs one measured load and adds to its figures the server's CPU per request. */
async function withCpu(o: ScenarioOptions, load: () => Promise<Figures>): Promise<Figures> {
  const before = o.cpu?.()
  const f = await load()
  const after = o.cpu?.()
  if (before && after && f.requests) f.cpu = { total: (after.total - before.total) / f.requests, main: (after.main - before.main) / f.requests }
  return f
}

async function read(url: string, path: string, o: ScenarioOptions, headers?: Record<string, string>): Promise<Figures> {
  await loadGet({ url, path, headers, connections: o.connections, seconds: 1 })
  return withCpu(o, () => loadGet({ url, path, headers, connections: o.connections, seconds: o.seconds }))
}

/** A signed-in browser's headers for a JSON write. */
function jsonHeaders(s: Session): Record<string, string> {
  return { ...s.headers, 'content-type': 'application/json' }
}

/** The trivial endpoint: /api/bench/ping, or /api/health on a build that predates it. */
async function pingPath(url: string): Promise<string> {
  return (await fetch(`${url}/api/bench/ping`)).status === 200 ? '/api/bench/ping' : '/api/health'
}

/** Each connection submits the next saved draft, round-robin over the citizens, until time or the drafts run out. */
function submissions(o: ScenarioOptions, citizens: Session[], onError: (m: string) => void): Promise<Figures> {
  let turn = 0
  const submit: Step = {
    status: 201,
    request: () => {
      // the drafts are per citizen; skip citizens whose drafts are used up
      for (let tried = 0; tried < citizens.length; tried++) {
        const w = turn++ % citizens.length
        const id = o.drafts[w]!.pop()
        if (id) return { method: 'POST', path: `/api/applications/${id}/submit`, headers: jsonHeaders(citizens[w]!), body: '{}' }
      }
      return null
    },
  }
  return loadChain({ url: o.url, connections: o.connections, seconds: o.seconds, steps: [submit], onError })
}

/** Draft + submit per round, each round as the next citizen. */
function applications(o: ScenarioOptions, citizens: Session[], onError: (m: string) => void): Promise<Figures> {
  const apply = o.fixtures.apply
  if (!apply) throw new Error('no item with a form the benchmark can fill in')
  const drafts = o.fixtures.citizens.map(p => JSON.stringify({ serviceCode: apply.code, answers: fillAnswers(apply.form, p) }))
  let turn = 0
  const create: Step = {
    status: 201,
    request: (kept) => {
      const w = turn++ % citizens.length
      kept.citizen = w
      return { method: 'POST', path: '/api/applications', headers: jsonHeaders(citizens[w]!), body: drafts[w] }
    },
    keep: (body, kept) => { kept.id = (JSON.parse(body) as { id: string }).id },
  }
  const submit: Step = {
    status: 201,
    request: kept => ({ method: 'POST', path: `/api/applications/${kept.id as string}/submit`, headers: jsonHeaders(citizens[kept.citizen as number]!), body: '{}' }),
  }
  return loadChain({ url: o.url, connections: o.connections, seconds: o.seconds, steps: [create, submit], onError })
}

/** The clerk accepts distinct submitted cases, each once, until time or the cases run out. */
function transitions(o: ScenarioOptions, clerk: Session, onError: (m: string) => void): Promise<Figures> {
  let next = 0
  const accept: Step = {
    status: 200,
    request: () => {
      const c = o.fixtures.waiting[next++]
      return c ? { method: 'POST', path: `/api/cases/${c.caseNo}/transitions`, headers: jsonHeaders(clerk), body: JSON.stringify({ action: 'accept', version: c.version }) } : null
    },
  }
  return loadChain({ url: o.url, connections: o.connections, seconds: o.seconds, steps: [accept], onError })
}

/** Every scenario once, in an order where the writes come after the reads they would disturb. */
export async function runScenarios(o: ScenarioOptions, log: (s: string) => void): Promise<{ figures: Map<string, Figures>, errors: string[] }> {
  const { url } = o
  const figures = new Map<string, Figures>()
  const errors: string[] = []
  const run = async (name: string, fn: () => Promise<Figures>) => {
    log(`  ${name}…`)
    figures.set(name, await fn())
  }
  await run(PING, async () => read(url, await pingPath(url), o))
  for (const [name, q] of Object.entries(SEARCHES)) await run(name, () => read(url, `/api/services?q=${encodeURIComponent(q)}`, o))
  // A visitor who is not signed in gets the page kept from an earlier render (server/utils/public-page-cache.ts);
  // a signed-in person's page is rendered for them, which is what rendering a guide costs.
  await run(GUIDE, () => read(url, `/services/${o.fixtures.guideCode}`, o))
  const reader = await Session.signIn(url, o.fixtures.citizens[0]!.username, DEMO_PASSWORD)
  await run(GUIDE_SIGNED_IN, () => read(url, `/services/${o.fixtures.guideCode}`, o, reader.headers))
  const clerk = await Session.signIn(url, 'clerk', DEMO_PASSWORD)
  await run(QUEUE, () => read(url, '/api/cases', o, clerk.headers))
  const manager = await Session.signIn(url, 'manager', DEMO_PASSWORD)
  // One manager at a time: the budget is how long a manager waits for the dashboard, not how
  // long eight identical yearly reports queue behind each other on one core.
  await run(REPORT, () => read(url, `/api/reports/online-rate?from=${o.period.from}&to=${o.period.to}`, { ...o, connections: 1 }, manager.headers))
  // the first error of each write scenario, to tell what broke
  const firstError = new Map<string, string>()
  const onError = (scenario: string) => (m: string) => { if (!firstError.has(scenario)) firstError.set(scenario, `${scenario}: ${m}`) }
  await run(TRANSITION, () => withCpu(o, () => transitions(o, clerk, onError(TRANSITION))))
  const citizens = await Promise.all(o.fixtures.citizens.map(p => Session.signIn(url, p.username, DEMO_PASSWORD)))
  await run(PING_AGAIN, async () => read(url, await pingPath(url), o))
  await run(SUBMIT, () => withCpu(o, () => submissions(o, citizens, onError(SUBMIT))))
  await run(SUBMIT_PEAK, () => withCpu(o, () => submissions({ ...o, connections: PEAK_CONNECTIONS }, citizens, onError(SUBMIT_PEAK))))
  await run(APPLY, () => withCpu(o, () => applications(o, citizens, onError(APPLY))))
  errors.push(...firstError.values())
  return { figures, errors }
}
