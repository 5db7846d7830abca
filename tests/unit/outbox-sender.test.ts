/**
 * Delivering the notification outbox: each message once, retried with backoff after a failure,
 * and nothing personal in the log line.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { backoffMs, claimDue, consoleSender, deliverDue, senderFromEnv, smsSegments } from '../../server/services/outbox-sender'
import type { Delivery, Sender } from '../../server/services/outbox-sender'
import { smsText } from '../../server/services/sms-wording'
import { queueSms } from '../../server/services/notifications'
import { freshDatabase } from '../support/db'

let conn: Connection
const T0 = new Date('2026-03-02T02:00:00Z')

function queue(n: number) {
  writeTransaction(conn, () => {
    for (let i = 1; i <= n; i++) {
      const caseNo = `SZ20260302${String(i).padStart(6, '0')}`
      queueSms(conn, `case:${caseNo}:event:${i}:sms`, '13800138000', 'case.accept', JSON.stringify({ caseNo, deadline: '2026-03-13' }), T0.toISOString())
    }
  })
}

const pending = () => (conn.sqlite.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n

beforeEach(() => {
  conn = freshDatabase({ demo: false })
})

describe('the outbox sender', () => {
  it('sends every due message once, even with two loops running', async () => {
    queue(3)
    const sent: number[] = []
    const sender: Sender = { send: async (m) => { sent.push(m.id) } }
    const [a, b] = await Promise.all([deliverDue(conn, sender, { now: () => T0 }), deliverDue(conn, sender, { now: () => T0 })])
    expect(a.sent + b.sent).toBe(3)
    expect(sent.sort()).toEqual([1, 2, 3])
    expect(pending()).toBe(0)
    expect((await deliverDue(conn, sender, { now: () => new Date(T0.getTime() + 3_600_000) })).sent).toBe(0)
  })

  it('retries a failed message later with backoff until it goes through', async () => {
    queue(1)
    let fail = true
    const sender: Sender = { send: async () => { if (fail) throw new Error('gateway timeout') } }
    expect(await deliverDue(conn, sender, { now: () => T0 })).toEqual({ sent: 0, failed: 1, more: false })
    const row = conn.sqlite.prepare('SELECT attempts, next_attempt_at AS next, last_error AS error FROM outbox').get() as { attempts: number, next: string, error: string }
    expect(row).toEqual({ attempts: 1, next: new Date(T0.getTime() + 30_000).toISOString(), error: 'gateway timeout' })
    // not due yet: nothing is tried
    expect(claimDue(conn, 10, new Date(T0.getTime() + 10_000))).toEqual([])
    fail = false
    expect(await deliverDue(conn, sender, { now: () => new Date(T0.getTime() + 31_000) })).toEqual({ sent: 1, failed: 0, more: false })
    expect(pending()).toBe(0)
  })

  it('counts a send the gateway never answers as failed, tells the sender to stop, and goes on with the others', async () => {
    queue(3)
    let aborted = false
    const sender: Sender = {
      send: (m, signal) => m.id === 2
        ? new Promise<void>(() => { signal?.addEventListener('abort', () => { aborted = true }) })
        : Promise.resolve(),
    }
    expect(await deliverDue(conn, sender, { now: () => T0, sendTimeoutMs: 20 })).toEqual({ sent: 2, failed: 1, more: false })
    expect(aborted).toBe(true)
    const row = conn.sqlite.prepare('SELECT sent_at AS sent, next_attempt_at AS next, last_error AS error FROM outbox WHERE id = 2').get()
    expect(row).toEqual({ sent: null, next: new Date(T0.getTime() + 30_000).toISOString(), error: 'no answer from the sender within 20 ms' })
  })

  it('works through a burst larger than one chunk in one round, and stops a round at its cap', async () => {
    queue(130)
    const sent: number[] = []
    const sender: Sender = { send: async (m) => { sent.push(m.id) } }
    expect(await deliverDue(conn, sender, { now: () => T0, chunk: 50, maxPerRound: 120 })).toEqual({ sent: 120, failed: 0, more: true })
    expect(pending()).toBe(10)
    expect(await deliverDue(conn, sender, { now: () => T0, chunk: 50, maxPerRound: 120 })).toEqual({ sent: 10, failed: 0, more: false })
    expect(sent).toEqual(Array.from({ length: 130 }, (_, i) => i + 1))
    expect(pending()).toBe(0)
  })

  it('keeps a failed message for a retry while the rest of its chunk goes out', async () => {
    queue(5)
    const sender: Sender = { send: async (m) => { if (m.id === 3) throw new Error('number unreachable') } }
    expect(await deliverDue(conn, sender, { now: () => T0 })).toEqual({ sent: 4, failed: 1, more: false })
    const rows = conn.sqlite.prepare('SELECT id, sent_at IS NOT NULL AS sent, last_error AS error FROM outbox ORDER BY id').all()
    expect(rows).toEqual([1, 2, 3, 4, 5].map(id => ({ id, sent: id === 3 ? 0 : 1, error: id === 3 ? 'number unreachable' : null })))
  })

  it('has at most `concurrency` sends waiting on the gateway at once', async () => {
    queue(20)
    let inFlight = 0
    let most = 0
    const sender: Sender = {
      send: async () => {
        most = Math.max(most, ++inFlight)
        await new Promise(r => setImmediate(r))
        inFlight--
      },
    }
    expect((await deliverDue(conn, sender, { now: () => T0, concurrency: 4 })).sent).toBe(20)
    expect(most).toBe(4)
  })

  it('writes a chunk\'s claims and outcomes in two transactions, not one per message', async () => {
    queue(100)
    let writes = 0
    const write = <T>(fn: () => T): T => {
      writes++
      return writeTransaction(conn, fn)
    }
    const sender: Sender = { send: async () => {} }
    expect((await deliverDue(conn, sender, { now: () => T0, chunk: 50, write })).sent).toBe(100)
    // two chunks of 50 (claim + outcomes each), then the claim that finds nothing
    expect(writes).toBe(5)
    expect(pending()).toBe(0)
  })

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 10, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 3_600_000, 3_600_000])
  })

  it('logs a JSON line without the phone number, the code or the text', async () => {
    const lines: string[] = []
    const params = { code: '482913', minutes: 10 }
    const msg: Delivery = { id: 7, channel: 'sms', recipient: '13800138000', template: 'account.passwordReset', params, text: smsText('account.passwordReset', params) }
    await consoleSender(l => lines.push(l)).send(msg)
    expect(lines).toHaveLength(1)
    for (const secret of ['13800138000', '482913', '验证码']) expect(lines[0]).not.toContain(secret)
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'notify.sent', to: '138****8000', template: 'account.passwordReset', segments: 1 })
  })

  it('hands the gateway the words the person reads, the deadline as a day', async () => {
    queue(1)
    const texts: string[] = []
    await deliverDue(conn, { send: async (m) => { texts.push(m.text) } }, { now: () => T0 })
    expect(texts).toEqual(['【深圳市网上办事大厅】您的申请 SZ20260302000001 已受理，承诺于 2026年3月13日前办结。'])
  })

  it('keeps a message whose words cannot be made as failed, with the reason, and sends nothing of it', async () => {
    writeTransaction(conn, () => queueSms(conn, 'case:SZ20260302000001:event:1:sms', '13800138000', 'case.accept', JSON.stringify({ caseNo: 'SZ20260302000001' }), T0.toISOString()))
    const sent: string[] = []
    expect(await deliverDue(conn, { send: async (m) => { sent.push(m.text) } }, { now: () => T0 })).toEqual({ sent: 0, failed: 1, more: false })
    expect(sent).toEqual([])
    expect(conn.sqlite.prepare('SELECT last_error AS error FROM outbox').get()).toEqual({ error: 'the SMS case.accept lacks its parameter deadline' })
  })

  it('counts a long text as the parts it is billed as', () => {
    expect([1, 70, 71, 134, 135].map(n => smsSegments('字'.repeat(n)))).toEqual([1, 1, 2, 2, 3])
  })

  it('is chosen by NOTIFY_SENDER, console by default', () => {
    expect(senderFromEnv({})).toBeTruthy()
    expect(() => senderFromEnv({ NOTIFY_SENDER: 'carrier-pigeon' })).toThrow(/NOTIFY_SENDER/)
  })
})
