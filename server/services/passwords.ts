/**
 * Password hashing with scrypt at N = 2^17, r = 8, p = 1 (OWASP's minimum for scrypt), run on
 * libuv's thread pool so that a sign-in never blocks other requests.
 *
 * Each hash holds one of the pool's 4 threads for about 0.4 s and 128 MiB, and the pool also
 * reads and writes the uploaded files and syncs the database's WAL (the group commit). The limits
 * per address did not stop about fifteen addresses sending wrong passwords (an unknown username
 * costs a hash too) from filling the pool and stalling every upload and commit behind them. So at
 * most MAX_CONCURRENT_HASHES run at once, MAX_WAITING_HASHES wait their turn, and past that a
 * hash is refused at once with HashingBusy: the sign-in, registration, password change or reset
 * then fails before anything is written, so a refusal never counts as a wrong password.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto'

/**
 * scrypt's cost, N. The unit tests sign in thousands of times in vitest's own processes, at 0.4 s
 * of CPU each at the real cost, a third of their time: there it is 2^12. Nowhere else: a server,
 * the test suites' included, always hashes at 2^17 (a variable to lower it would one day be left
 * set on a live server, whose accounts' hashes would stay weak for good). A hash keeps its
 * parameters, so the tests' cheap ones are still checked by them. The one exception is the demo
 * accounts' published password (PUBLISHED_PASSWORD_COST), fixed in code, not by a variable.
 */
export function scryptCost(env: NodeJS.ProcessEnv = process.env): number {
  return env.VITEST === 'true' ? 2 ** 12 : 2 ** 17
}

const N = scryptCost()
const r = 8
const p = 1
const KEY_LENGTH = 32
// scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is below that.
const MAX_MEMORY = 256 * 1024 * 1024

/** Hashes at once: half the pool, leaving the other half to file I/O and the WAL's fsyncs. */
export const MAX_CONCURRENT_HASHES = 2
/** Hashes that may wait for a turn: four rounds of two, under two seconds' wait, room for a burst of honest sign-ins. */
export const MAX_WAITING_HASHES = 8
/** What a refused hash tells the client to wait: the queue drains in about two seconds. */
export const HASHING_RETRY_SECONDS = 2

/** A hash refused because as many as may are running and waiting; nothing was checked or written. */
export class HashingBusy extends Error {
  // read by the HTTP layer: a 503 with Retry-After, and the message key in data.reason
  readonly statusCode = 503
  readonly retryAfterSeconds = HASHING_RETRY_SECONDS
  readonly data = { reason: 'account.busy', retryAfterSeconds: HASHING_RETRY_SECONDS }
  constructor() {
    super('account.busy')
    this.name = 'HashingBusy'
  }
}

/**
 * Runs tasks `running` at a time with up to `waiting` more queued in order; past that, run()
 * rejects with HashingBusy without starting the task.
 */
export class HashingGate {
  private active = 0
  private readonly queue: (() => void)[] = []

  constructor(readonly running: number, readonly waiting: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.running) this.active++
    else if (this.queue.length < this.waiting) await new Promise<void>(resolve => this.queue.push(resolve))
    else throw new HashingBusy()
    try {
      return await task()
    }
    finally {
      // the slot passes straight to the next in the queue, so a newcomer cannot take it first
      const next = this.queue.shift()
      if (next) next()
      else this.active--
    }
  }
}

/** The one gate every hash of the server goes through (the Sync twin below does not: tools only). */
export const passwordHashing = new HashingGate(MAX_CONCURRENT_HASHES, MAX_WAITING_HASHES)

function derive(password: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return passwordHashing.run(() => new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r: rr, p: pp, maxmem: MAX_MEMORY }, (err, key) => err ? reject(err) : resolve(key))
  }))
}

/** `scrypt$N$r$p$salt$hash`, base64url parts: the parameters travel with the hash. Rejects with HashingBusy when the gate is full. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, r, p)
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Whether the password is the hash's; rejects with HashingBusy when the gate is full (it is then neither right nor wrong). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(rr), Number(pp))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash that never matches, verified against for unknown users so timing does not reveal them. */
export const DUMMY_HASH = `scrypt$${N}$${r}$${p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`

/**
 * The cost of a hash of a password everyone can read: the demo accounts' (PORTAL_DEMO=1 only),
 * published in the README and the contract. A costly hash of it protects nothing, and every
 * sign-in to a demo account held one of the two hashing slots for 0.4 s of CPU (the test suites
 * sign in to them hundreds of times: a third of the API suite's time). A password such an account
 * chooses later is hashed at the full cost, as any other.
 */
export const PUBLISHED_PASSWORD_COST = 2 ** 12

/** The synchronous twin, for seeding and command-line tools only (it blocks the event loop); `n` below N only for PUBLISHED_PASSWORD_COST. */
export function hashPasswordSync(password: string, n = N): string {
  const salt = randomBytes(16)
  const key = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY })
  return ['scrypt', n, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}
