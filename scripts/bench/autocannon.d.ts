// autocannon ships no types: the part of its programmatic API the benchmark uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  /** What a request of a sequence sends; setupRequest may change it before each send. */
  export interface RequestParams { method?: string, path?: string, headers?: Record<string, string>, body?: string }

  /**
   * One step of the sequence each connection repeats. `context` is per connection and starts
   * empty at every round of the sequence, so a step can pass what it learnt to the next one.
   */
  export interface Request extends RequestParams {
    /** null: send nothing for this step; autocannon starts the next round */
    setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams | null
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
  }

  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    headers?: Record<string, string>
    method?: string
    body?: string
    requests?: Request[]
  }

  interface Histogram { average: number, p50: number, p99: number, max: number }

  interface Result {
    requests: Histogram & { total: number }
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  function autocannon(opts: Options): Instance
  export default autocannon
}
