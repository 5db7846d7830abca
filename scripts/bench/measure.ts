/**
 * Measuring: autocannon for reads (its own histogram keeps whole milliseconds, so the latencies
 * are collected from its `response` events with full precision), a closed loop of fixed
 * concurrency for the writes that need a chain of requests, and a plain loop for the queries
 * on the database without HTTP.
 */
import autocannon from 'autocannon'

export interface Figures { requests: number, seconds: number, rps: number, p50: number, p99: number, errors: number }

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

/**
 * Runs `task` on `concurrency` workers until `seconds` pass or `task` returns false, meaning it
 * found nothing left to do and did nothing. A task that throws counts as an error; its time counts.
 */
export async function closedLoop(concurrency: number, seconds: number, task: (worker: number) => Promise<boolean>): Promise<Figures> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const end = started + seconds * 1000
  const worker = async (w: number) => {
    while (performance.now() < end) {
      const t = performance.now()
      let did = true
      try { did = await task(w) }
      catch { errors++ }
      if (!did) return
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  return figuresOf(latencies, (performance.now() - started) / 1000, errors)
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
