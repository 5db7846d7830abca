/**
 * The gate in front of password hashing: a few hashes run at once and a few wait their turn, so
 * that wrong sign-ins from many addresses cannot take all of libuv's threads from the uploads and
 * the database's syncs; past the queue a hash is refused at once, saying when to try again.
 * Driven by work the test finishes itself, nothing timed; only the cost's own tests compute hashes.
 */
import { scryptSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { HASHING_RETRY_SECONDS, HashingBusy, HashingGate, hashPassword, scryptCost, verifyPassword } from '../../server/services/passwords'

/** Work the test finishes when it likes, recording that it started. */
function controlled(started: string[], name: string) {
  let finish!: () => void
  const done = new Promise<string>((resolve) => { finish = () => resolve(name) })
  return { task: () => { started.push(name); return done }, finish }
}

/** Lets every promise continuation that is due run. */
const settle = () => new Promise(resolve => setImmediate(resolve))

describe('the hashing gate', () => {
  it('runs as many at once as it may, queues the next in order, and refuses past the queue without starting the work', async () => {
    const gate = new HashingGate(2, 1)
    const started: string[] = []
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(n => controlled(started, n))
    const running = [gate.run(a!.task), gate.run(b!.task)]
    const queued = gate.run(c!.task)
    await expect(gate.run(d!.task)).rejects.toBeInstanceOf(HashingBusy)
    await settle()
    expect(started).toEqual(['a', 'b'])

    // a's place goes to c, the one waiting; the queue has room again, for one
    a!.finish()
    expect(await running[0]).toBe('a')
    await settle()
    expect(started).toEqual(['a', 'b', 'c'])
    const next = gate.run(e!.task)
    await expect(gate.run(d!.task)).rejects.toBeInstanceOf(HashingBusy)

    b!.finish()
    c!.finish()
    await settle()
    e!.finish()
    expect(await Promise.all([running[1], queued, next])).toEqual(['b', 'c', 'e'])
    expect(started).toEqual(['a', 'b', 'c', 'e'])
  })

  it('frees the place of a hash that failed', async () => {
    const gate = new HashingGate(1, 0)
    await expect(gate.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed')
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next')
  })
})

describe('a refused hash', () => {
  it('is a 503 saying when to try again, with a message the pages have in both languages', () => {
    const busy = new HashingBusy()
    expect(busy).toMatchObject({ statusCode: 503, retryAfterSeconds: HASHING_RETRY_SECONDS, data: { reason: 'account.busy', retryAfterSeconds: HASHING_RETRY_SECONDS } })
    for (const locale of ['zh', 'en']) {
      const messages = JSON.parse(readFileSync(`i18n/locales/${locale}/account.json`, 'utf8')) as { account: Record<string, unknown> }
      expect(messages.account.busy).toEqual(expect.any(String))
    }
  })
})

describe('the cost of a hash', () => {
  it('is scrypt at N = 2^17 on every server, lowered only in vitest\'s own processes', () => {
    expect(scryptCost({})).toBe(2 ** 17)
    expect(scryptCost({ NODE_ENV: 'production', PORTAL_DEMO: '1' })).toBe(2 ** 17)
    // the variable an earlier version of this took is no way to weaken a server's hashes
    expect(scryptCost({ PORTAL_TEST_FAST_HASHING: '1', PORTAL_DEMO: '1' })).toBe(2 ** 17)
    expect(scryptCost({ VITEST: 'true' })).toBe(2 ** 12)
  })

  it('keeps its parameters with the hash, and checks a hash of the real cost by them', async () => {
    const stored = await hashPassword('correct horse')
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 12), '8', '1'])
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    // a server's hash, as the demo seed and every account outside the unit tests have it
    const salt = Buffer.alloc(16, 7)
    const key = scryptSync('correct horse', salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 })
    const real = ['scrypt', 2 ** 17, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
    expect(await verifyPassword('correct horse', real)).toBe(true)
    expect(await verifyPassword('wrong horse', real)).toBe(false)
  })
})
