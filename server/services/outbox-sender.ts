/**
 * Delivering the outbox (SMS, e-mail) written by notifications.ts. Rows are claimed before they
 * are sent (a lease in `next_attempt_at`), so two delivery loops never send one message twice;
 * a failure is retried with exponential backoff until it goes through. The provider sits behind
 * `Sender`: a console sender by default (NOTIFY_SENDER=console), a real gateway the same way.
 */
import pMap from 'p-map'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { maskMobile } from '../../shared/utils/mask'
import { smsText } from './sms-wording'

export interface OutboxMessage {
  id: number
  channel: 'sms' | 'email'
  recipient: string
  template: string
  params: Record<string, string | number>
}

/** A message as it goes to the gateway: its template and parameters, and the text they make. */
export interface Delivery extends OutboxMessage {
  /** the words the person reads (sms-wording.ts) */
  text: string
}

export interface Sender {
  /** `signal` aborts when the send has taken too long (SEND_TIMEOUT_MS): a gateway call should stop then */
  send(msg: Delivery, signal?: AbortSignal): Promise<void>
}

/** Masks a recipient for logs: a mobile as 138****5678, an address as z***@example.com. */
export function maskRecipient(channel: 'sms' | 'email', recipient: string): string {
  if (channel === 'sms') return maskMobile(recipient)
  const at = recipient.lastIndexOf('@')
  return at > 0 ? `${recipient[0]}***${recipient.slice(at)}` : '***'
}

/**
 * How many SMS a text is billed as: one up to 70 characters (UCS-2, as any Chinese text is sent),
 * else 67 a part, the rest of each part carrying the header that joins them.
 */
export function smsSegments(text: string): number {
  const n = text.length
  return n <= 70 ? 1 : Math.ceil(n / 67)
}

/** Writes one JSON line per message, with no phone number, name, ID number or code in it (nor its text). */
export function consoleSender(log: (line: string) => void = line => console.info(line)): Sender {
  return {
    async send(msg) {
      log(JSON.stringify({ level: 'info', event: 'notify.sent', id: msg.id, channel: msg.channel, to: maskRecipient(msg.channel, msg.recipient), template: msg.template, caseNo: msg.params.caseNo ?? null, segments: smsSegments(msg.text) }))
    },
  }
}

/** The sender named by NOTIFY_SENDER (only `console` is built in). */
export function senderFromEnv(env: Record<string, string | undefined> = process.env): Sender {
  const name = env.NOTIFY_SENDER || 'console'
  if (name === 'console') return consoleSender()
  throw new Error(`NOTIFY_SENDER=${name}: no such sender (available: console)`)
}

/** Messages not yet sent, for monitoring (GET /api/health). */
export function outboxBacklog(conn: Connection): number {
  return (conn.sqlite.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n
}

/** How long a claimed row is reserved for the loop that claimed it. */
export const LEASE_MS = 60_000
/**
 * How long one send may take before it counts as failed and is retried later. A gateway that
 * never answers would otherwise hold its round, and with it every later notice, for good; and it
 * is well within the lease, so the outcome is written before another loop may claim the row.
 */
export const SEND_TIMEOUT_MS = 20_000
/** Delay before retry n (1, 2, …): 30 s doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1))
}

interface Row { id: number, channel: 'sms' | 'email', recipient: string, template: string, params: string, attempts: number }
type Claimed = OutboxMessage & { attempts: number }

/** Runs a write transaction: by default one of its own; the server passes its group commit. */
export type Write = <T>(fn: () => T) => T | Promise<T>

function claimRows(conn: Connection, limit: number, now: Date): Claimed[] {
  const rows = conn.sqlite.prepare(`SELECT id, channel, recipient, template, params, attempts FROM outbox
    WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?`).all(now.toISOString(), limit) as Row[]
  const lease = conn.sqlite.prepare('UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?')
  const until = new Date(now.getTime() + LEASE_MS).toISOString()
  for (const r of rows) lease.run(until, r.id)
  return rows.map(r => ({ ...r, attempts: r.attempts + 1, params: JSON.parse(r.params) as OutboxMessage['params'] }))
}

/** Claims up to `limit` due rows in one short transaction: they are leased, not yet sent. */
export function claimDue(conn: Connection, limit: number, now = new Date()): Claimed[] {
  return writeTransaction(conn, () => claimRows(conn, limit, now))
}

/** The sender's answer, or a failure once `ms` have passed without one (the sender is told to stop). */
async function sendWithin(sender: Sender, msg: OutboxMessage, ms: number): Promise<void> {
  const delivery: Delivery = { ...msg, text: smsText(msg.template, msg.params) }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`no answer from the sender within ${ms} ms`))
    }, ms)
  })
  try {
    await Promise.race([sender.send(delivery, controller.signal), timedOut])
  }
  finally {
    clearTimeout(timer)
  }
}

type Outcome = { id: number, sent: true } | { id: number, sent: false, retryAt: string, reason: string }

/** What became of each message of a chunk, written in one transaction. */
function recordOutcomes(conn: Connection, outcomes: Outcome[], at: string): void {
  const sent = conn.sqlite.prepare('UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ?')
  const retry = conn.sqlite.prepare('UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?')
  for (const o of outcomes) {
    if (o.sent) sent.run(at, o.id)
    else retry.run(o.retryAt, o.reason, o.id)
  }
}

export interface DeliveryOptions {
  /** messages claimed, sent and recorded together (default 50) */
  chunk?: number
  /** messages one round sends at most, so that a round ends (default 1,000) */
  maxPerRound?: number
  /** sends in flight at once (default 8): a gateway call mostly waits on the network */
  concurrency?: number
  /** a send taking longer counts as failed (default SEND_TIMEOUT_MS) */
  sendTimeoutMs?: number
  now?: () => Date
  write?: Write
}

export interface DeliveryRound { sent: number, failed: number, /** the round stopped at maxPerRound: more may be due */ more: boolean }

/**
 * Sends the due messages, each once; a failure is kept for a retry with backoff. Works through
 * the outbox a chunk at a time (claim, send with bounded concurrency, record the outcomes in one
 * write), so that a busy morning's notices keep up with its cases: one write per chunk, not one
 * disk sync per message. A crash between a send and its record sends that message again after
 * the lease (at least once, never lost).
 */
export async function deliverDue(conn: Connection, sender: Sender, opts: DeliveryOptions = {}): Promise<DeliveryRound> {
  const clock = opts.now ?? (() => new Date())
  const write: Write = opts.write ?? (fn => writeTransaction(conn, fn))
  const chunk = opts.chunk ?? 50
  const maxPerRound = opts.maxPerRound ?? 1000
  let sent = 0
  let failed = 0
  while (sent + failed < maxPerRound) {
    const wanted = Math.min(chunk, maxPerRound - sent - failed)
    const claimed = await write(() => claimRows(conn, wanted, clock()))
    if (!claimed.length) return { sent, failed, more: false }
    const outcomes = await pMap(claimed, async (msg): Promise<Outcome> => {
      try {
        await sendWithin(sender, msg, opts.sendTimeoutMs ?? SEND_TIMEOUT_MS)
        return { id: msg.id, sent: true }
      }
      catch (error) {
        // the provider's message only: it never contains the recipient, we do not put it there
        const reason = error instanceof Error ? error.message.slice(0, 200) : 'send failed'
        return { id: msg.id, sent: false, retryAt: new Date(clock().getTime() + backoffMs(msg.attempts)).toISOString(), reason }
      }
    }, { concurrency: opts.concurrency ?? 8 })
    await write(() => recordOutcomes(conn, outcomes, clock().toISOString()))
    for (const o of outcomes) {
      if (o.sent) sent++
      else failed++
    }
    if (claimed.length < wanted) return { sent, failed, more: false }
  }
  return { sent, failed, more: true }
}
