/**
 * Sent notices do not stay in the outbox for ever. Each row holds a person's mobile number and
 * what was sent to it; once delivered, it is needed only to answer "what did you send me"
 * (the person's data export, for a while) and for support. OUTBOX_RETENTION_DAYS (default 180)
 * after it was sent, a row goes. Unsent rows stay whatever their age: they are still owed.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { writeAudit } from './audit'

/** OUTBOX_RETENTION_DAYS, a positive number of days (default 180). */
export function outboxRetentionDays(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.OUTBOX_RETENTION_DAYS)
  return Number.isFinite(n) && n > 0 ? n : 180
}

/** Rows deleted per write transaction: a busy year's backlog goes a few milliseconds at a time. */
export const NOTICES_PER_STEP = 1000

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * Deletes notices sent more than `days` ago, in steps of `step` rows, each a short write
 * transaction with its audit row (`outbox.purge`), with a turn of the event loop between steps.
 * Found through outbox_pending_idx (sent_at first). Returns how many went.
 */
export async function purgeSentNotices(conn: Connection, now = new Date(), days = outboxRetentionDays(), step = NOTICES_PER_STEP): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString()
  const purge = conn.sqlite.prepare(`DELETE FROM outbox WHERE id IN
    (SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?)`)
  let removed = 0
  for (;;) {
    const n = writeTransaction(conn, () => {
      const { changes } = purge.run(cutoff, step)
      if (changes) writeAudit(conn, { actorRole: 'system', action: 'outbox.purge', detail: { notices: changes, days } })
      return changes
    })
    removed += n
    if (n < step) return removed
    await nextTurn()
  }
}
