/**
 * The scenarios against one running server: reads with autocannon, the two writes in closed loops
 * of fixed concurrency, each read warmed up for a second first (JIT, SQLite's page cache).
 */
import { DEMO_PASSWORD } from '../../db/seed/demo'
import type { Fixtures } from './fixtures'
import { fillAnswers } from './fixtures'
import type { Figures } from './measure'
import { closedLoop, loadGet } from './measure'
import { Session } from './server'
import { APPLY, GUIDE, PING, QUEUE, REPORT, SEARCHES, SUBMIT, TRANSITION } from './table'

export interface ScenarioOptions { url: string, seconds: number, connections: number, fixtures: Fixtures, drafts: string[][], period: { from: string, to: string } }

async function read(url: string, path: string, o: ScenarioOptions, headers?: Record<string, string>): Promise<Figures> {
  await loadGet({ url, path, headers, connections: o.connections, seconds: 1 })
  return loadGet({ url, path, headers, connections: o.connections, seconds: o.seconds })
}

/** The trivial endpoint: /api/bench/ping, or /api/health on a build that predates it. */
async function pingPath(url: string): Promise<string> {
  return (await fetch(`${url}/api/bench/ping`)).status === 200 ? '/api/bench/ping' : '/api/health'
}

function describe(error: { status: number, body: unknown }): Error {
  return new Error(`${error.status} ${JSON.stringify(error.body).slice(0, 300)}`)
}

/** Each worker, as its own citizen, submits its saved drafts one after another until time or they run out. */
async function submissions(o: ScenarioOptions, citizens: Session[], firstError: string[]): Promise<Figures> {
  return closedLoop(citizens.length, o.seconds, async (w) => {
    const id = o.drafts[w]!.pop()
    if (!id) return false
    const done = await citizens[w]!.json('POST', `/api/applications/${id}/submit`, {})
    if (done.status !== 201) {
      firstError[0] ??= `submit: ${describe(done).message}`
      throw describe(done)
    }
    return true
  })
}

/** Draft + submit per task, each worker as its own citizen. */
async function applications(o: ScenarioOptions, citizens: Session[], firstError: string[]): Promise<Figures> {
  const apply = o.fixtures.apply
  if (!apply) throw new Error('no item with a form the benchmark can fill in')
  const answers = o.fixtures.citizens.map(p => fillAnswers(apply.form, p))
  return closedLoop(citizens.length, o.seconds, async (w) => {
    try {
      const draft = await citizens[w]!.json<{ id: string }>('POST', '/api/applications', { serviceCode: apply.code, answers: answers[w] })
      if (draft.status !== 201) throw describe(draft)
      const done = await citizens[w]!.json('POST', `/api/applications/${draft.body.id}/submit`, {})
      if (done.status !== 201) throw describe(done)
      return true
    }
    catch (error) {
      firstError[0] ??= `draft + submit: ${(error as Error).message}`
      throw error
    }
  })
}

/** The clerk accepts distinct submitted cases, each once, until time or the cases run out. */
async function transitions(o: ScenarioOptions, clerk: Session, firstError: string[]): Promise<Figures> {
  let next = 0
  const list = o.fixtures.waiting
  return closedLoop(o.connections, o.seconds, async () => {
    const c = list[next++]
    if (!c) return false
    const res = await clerk.json('POST', `/api/cases/${c.caseNo}/transitions`, { action: 'accept', version: c.version })
    if (res.status !== 200) {
      firstError[0] ??= `transition: ${describe(res).message}`
      throw describe(res)
    }
    return true
  })
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
  await run(GUIDE, () => read(url, `/services/${o.fixtures.guideCode}`, o))
  const clerk = await Session.signIn(url, 'clerk', DEMO_PASSWORD)
  await run(QUEUE, () => read(url, '/api/cases', o, clerk.headers))
  const manager = await Session.signIn(url, 'manager', DEMO_PASSWORD)
  // One manager at a time: the budget is how long a manager waits for the dashboard, not how
  // long eight identical yearly reports queue behind each other on one core.
  await run(REPORT, () => read(url, `/api/reports/online-rate?from=${o.period.from}&to=${o.period.to}`, { ...o, connections: 1 }, manager.headers))
  const transitionErrors: string[] = []
  await run(TRANSITION, () => transitions(o, clerk, transitionErrors))
  const citizens = await Promise.all(o.fixtures.citizens.map(p => Session.signIn(url, p.username, DEMO_PASSWORD)))
  const submitErrors: string[] = []
  await run(SUBMIT, () => submissions(o, citizens, submitErrors))
  await run(APPLY, () => applications(o, citizens, submitErrors))
  errors.push(...transitionErrors, ...submitErrors)
  return { figures, errors }
}
