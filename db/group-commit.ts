/**
 * Group commit. With synchronous=FULL every COMMIT waits for the disk (about 1.6 ms here), and one
 * connection commits one transaction at a time, so under load most of a write's time is the sync.
 * Writes that arrive together therefore share one transaction and one sync: each runs in its own
 * SAVEPOINT (a failing one rolls back only itself and rejects only its caller), and every caller
 * is answered only after the shared COMMIT has returned, so an acknowledged write is as durable as
 * with a transaction of its own. The batch is still one short, synchronous transaction that takes
 * the write lock up front (BEGIN IMMEDIATE).
 */
import type Database from 'better-sqlite3'

interface Job { run: () => unknown, resolve: (value: unknown) => void, reject: (error: unknown) => void }
type Outcome = { ok: true, value: unknown } | { ok: false, error: unknown }

/** A bound on one transaction's length, so a burst never holds the write lock for long. */
export const MAX_BATCH = 64

export function makeGroupCommit(sqlite: () => Database.Database, onBatch?: (size: number) => void) {
  let queue: Job[] = []
  let scheduled = false

  function schedule(): void {
    if (scheduled) return
    scheduled = true
    // After the current I/O phase: every request that arrived meanwhile joins this batch.
    setImmediate(flush)
  }

  function flush(): void {
    scheduled = false
    const jobs = queue.slice(0, MAX_BATCH)
    queue = queue.slice(MAX_BATCH)
    if (queue.length) schedule()
    const db = sqlite()
    let outcomes: Outcome[]
    try {
      outcomes = db.transaction(() => jobs.map((job): Outcome => {
        try {
          // Nested in the batch, better-sqlite3 runs this as a SAVEPOINT.
          return { ok: true, value: db.transaction(job.run)() }
        }
        catch (error) {
          // Some errors (disk full, I/O) make SQLite roll back the whole transaction, not just the
          // savepoint: then nothing of the batch stands, so every caller must hear of the failure.
          if (!db.inTransaction) throw error
          return { ok: false, error }
        }
      })).immediate()
    }
    catch (error) {
      for (const job of jobs) job.reject(error) // the COMMIT itself failed: nothing was acknowledged
      return
    }
    onBatch?.(jobs.length)
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!
      if (outcome.ok) job.resolve(outcome.value)
      else job.reject(outcome.error)
    })
  }

  /** Runs `fn` in the next group transaction; resolves after its COMMIT. Keep `fn` short and synchronous. */
  return function inGroupCommit<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject })
      schedule()
    })
  }
}
