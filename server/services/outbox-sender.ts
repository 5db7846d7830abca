/**
 * Delivering the outbox (SMS, e-mail) written by notifications.ts. Rows are claimed before they
 * are sent (a lease in `next_attempt_at`), so two delivery loops never send one message twice;
 * a failure is retried with exponential backoff until it goes through. The provider sits behind
 * `Sender`: a console sender by default (NOTIFY_SENDER=console), a real gateway the same way.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { maskMobile } from '../../shared/utils/mask'

export interface OutboxMessage {
  id: number
  channel: 'sms' | 'email'
  recipient: string
  template: string
  params: Record<string, string | number>
}

export interface Sender {
  send(msg: OutboxMessage): Promise<void>
}

/** Masks a recipient for logs: a mobile as 138****5678, an address as z***@example.com. */
export function maskRecipient(channel: 'sms' | 'email', recipient: string): string {
  if (channel === 'sms') return maskMobile(recipient)
  const at = recipient.lastIndexOf('@')
  return at > 0 ? `${recipient[0]}***${recipient.slice(at)}` : '***'
}

/** Writes one JSON line per message, with no phone number, name or ID number in it. */
export function consoleSender(log: (line: string) => void = line => console.info(line)): Sender {
  return {
    async send(msg) {
      log(JSON.stringify({ level: 'info', event: 'notify.sent', id: msg.id, channel: msg.channel, to: maskRecipient(msg.channel, msg.recipient), template: msg.template, caseNo: msg.params.caseNo ?? null }))
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
/** Delay before retry n (1, 2, …): 30 s doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1))
}

interface Row { id: number, channel: 'sms' | 'email', recipient: string, template: string, params: string, attempts: number }

/** Claims up to `limit` due rows in one short transaction: they are leased, not yet sent. */
export function claimDue(conn: Connection, limit: number, now = new Date()): (OutboxMessage & { attempts: number })[] {
  return writeTransaction(conn, () => {
    const rows = conn.sqlite.prepare(`SELECT id, channel, recipient, template, params, attempts FROM outbox
      WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?`).all(now.toISOString(), limit) as Row[]
    const lease = conn.sqlite.prepare('UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?')
    const until = new Date(now.getTime() + LEASE_MS).toISOString()
    for (const r of rows) lease.run(until, r.id)
    return rows.map(r => ({ ...r, attempts: r.attempts + 1, params: JSON.parse(r.params) as OutboxMessage['params'] }))
  })
}

/** Sends the due messages once each; returns how many went out and how many failed (to be retried). */
export async function deliverDue(conn: Connection, sender: Sender, opts: { limit?: number, now?: () => Date } = {}): Promise<{ sent: number, failed: number }> {
  const clock = opts.now ?? (() => new Date())
  const claimed = claimDue(conn, opts.limit ?? 50, clock())
  let sent = 0
  let failed = 0
  for (const msg of claimed) {
    try {
      await sender.send(msg)
      writeTransaction(conn, () => conn.sqlite.prepare('UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ?').run(clock().toISOString(), msg.id))
      sent++
    }
    catch (error) {
      const retryAt = new Date(clock().getTime() + backoffMs(msg.attempts)).toISOString()
      // the provider's message only: it never contains the recipient, we do not put it there
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'send failed'
      writeTransaction(conn, () => conn.sqlite.prepare('UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?').run(retryAt, reason, msg.id))
      failed++
    }
  }
  return { sent, failed }
}
