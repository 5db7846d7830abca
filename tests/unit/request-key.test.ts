/**
 * A keyed POST whose answer is lost is asked again with the same key, each attempt with its own
 * time to answer (ofetch's own timeout and retries shared one timer, so after a timeout its retries
 * were aborted unsent), against a real HTTP server and the real ofetch.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ofetch } from 'ofetch'
import { afterEach, describe, expect, it } from 'vitest'
import { newRequestKey, postWithKey } from '../../composables/useRequestKey'

type Handler = (n: number, key: string | undefined) => { status: number, body: unknown, holdMs?: number }
const servers: ReturnType<typeof createServer>[] = []
afterEach(() => { for (const s of servers.splice(0)) s.close() })

/** A server answering the n-th request (from 1) as `handler` says; the keys it saw. */
async function serve(handler: Handler) {
  const keys: (string | undefined)[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined
      keys.push(key)
      const a = handler(keys.length, key)
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body))
      }, a.holdMs ?? 0)
    })
  })
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/counter-cases`, keys }
}

const fetcher = (u: string, o: Record<string, unknown>) => ofetch(u, o)
const fast = { timeoutMs: 300, delayMs: 10, fetcher }

describe('a keyed POST whose answer is lost', () => {
  it('is sent again with the same key after a timeout, and gets the answer of the attempt that came through', async () => {
    // the first answer comes too late: the page has given up on it
    const { url, keys } = await serve(n => ({ status: 201, body: { caseNo: `SZ2026120300000${n}` }, holdMs: n === 1 ? 2000 : 0 }))
    const key = newRequestKey()
    expect(await postWithKey(url, key, { a: 1 }, fast)).toEqual({ caseNo: 'SZ20261203000002' })
    expect(keys).toEqual([key, key])
  })

  it('is sent again after a gateway\'s error, at most three times in all', async () => {
    const { url, keys } = await serve(() => ({ status: 502, body: { message: 'Bad Gateway' } }))
    await expect(postWithKey(url, 'k'.repeat(32), {}, fast)).rejects.toMatchObject({ statusCode: 502 })
    expect(keys).toHaveLength(3)
  })

  it('is not sent again when the answer says what happened (400, 409)', async () => {
    for (const status of [400, 409]) {
      const { url, keys } = await serve(() => ({ status, body: { data: { caseNo: 'SZ20261203000001' } } }))
      await expect(postWithKey(url, 'k'.repeat(32), {}, fast)).rejects.toMatchObject({ statusCode: status })
      expect(keys).toHaveLength(1)
    }
  })

  it('makes keys of 32 hex digits, a new one each time', () => {
    const a = newRequestKey()
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(newRequestKey()).not.toBe(a)
  })
})
