/**
 * Measuring: autocannon for reads (its own histogram keeps whole milliseconds, so the latencies
 * are collected from its `response` events with full precision) for reads and writes alike, and
 * a plain loop for the queries on the database without HTTP.
 */
import autocannon from 'autocannon'
import type { Request, RequestParams } from 'autocannon'

export interface Figures {
  requests: number, seconds: number, rps: number, p50: number, p99: number, errors: number
  /** the server's CPU milliseconds per request (per round for a chain), all threads and the JavaScript thread; absent where not measured */
  cpu?: { total: number, main: number }
}

/** Percentiles of latencies in milliseconds. */
export function figuresOf(latencies: number[], seconds: number, errors: number): Figures {
  const sorted = Float64Array.from(latencies).sort()
  const at = (q: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN
  return { requests: sorted.length, seconds, rps: sorted.length / seconds, p50: at(0.5), p99: at(0.99), errors }
}

export interface HttpLoad { url: string, path: string, headers?: Record<string, string>, connections: number, seconds: number }

/** GET `path` with autocannon; any status but 2xx is an error. */
export async function loadGet(load: HttpLoad): Promise<Figures> {
  const latencies: number[] = []
  let errors = 0
  const instance = autocannon({ url: load.url + load.path, connections: load.connections, duration: load.seconds, headers: load.headers })
  instance.on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms)
    if (status < 200 || status > 299) errors++
  })
  const result = await instance
  return figuresOf(latencies, result.duration, errors + result.errors + result.timeouts)
}

export type Sent = Required<Pick<RequestParams, 'method' | 'path' | 'headers'>> & { body?: string }

/** One request of a chain that each connection repeats (create a draft, then submit it). */
export interface Step {
  /** what to send, from what earlier steps of the round kept; null: nothing left to do */
  request: (kept: Record<string, unknown>) => Sent | null
  /** the status of a success; any other answer is an error and ends the round */
  status: number
  /** keeps what later steps need from a successful answer */
  keep?: (body: string, kept: Record<string, unknown>) => void
}

export interface HttpChain { url: string, connections: number, seconds: number, steps: Step[], onError?: (message: string) => void }

/**
 * Writes with autocannon, the client the reads and the ping baseline use, so every figure pays
 * the same client cost (a fetch-based loop took about 0.8 ms of the machine's CPU per request,
 * five times autocannon's, on a machine whose two cores the client shares with the server).
 * Each connection repeats the chain of steps; a round's latency is from its first request to
 * its last answer. When the first step has nothing left to send, the run stops early.
 */
export async function loadChain(chain: HttpChain): Promise<Figures> {
  const latencies: number[] = []
  let errors = 0
  let exhausted = false
  let last: Sent | undefined
  const requests: Request[] = chain.steps.map((step, i) => ({
    // what autocannon passes in carries the host and port: keep them
    setupRequest: (request, kept) => {
      if (i === 0) kept.started = performance.now()
      const next = exhausted || kept.failed ? null : step.request(kept)
      if (next) return (last = { ...request, ...next })
      // autocannon needs something to send for a first step: the request before, never counted
      if (i === 0) {
        if (!exhausted) setImmediate(() => instance.stop())
        exhausted = true
        return last ?? { ...request, method: 'GET', path: '/api/health' }
      }
      return null // a later step of a failed round: autocannon starts the next round
    },
    onResponse: (status, body, kept) => {
      if (exhausted) return
      if (status !== step.status) {
        errors++
        kept.failed = true
        chain.onError?.(`${status} ${body.slice(0, 300)}`)
      }
      else {
        step.keep?.(body, kept)
        if (i === chain.steps.length - 1) latencies.push(performance.now() - (kept.started as number))
      }
    },
  }))
  const instance = autocannon({ url: chain.url, connections: chain.connections, duration: chain.seconds, requests })
  const result = await instance
  return figuresOf(latencies, result.duration, errors + result.errors + result.timeouts)
}

/** Calls `fn` back to back for `seconds` in this process: the database's ceiling. */
export function tightLoop(seconds: number, fn: () => unknown): Figures {
  const latencies: number[] = []
  const started = performance.now()
  const end = started + seconds * 1000
  while (performance.now() < end) {
    const t = performance.now()
    fn()
    latencies.push(performance.now() - t)
  }
  return figuresOf(latencies, (performance.now() - started) / 1000, 0)
}
