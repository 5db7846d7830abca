/**
 * Sent notices leave the outbox OUTBOX_RETENTION_DAYS after they were sent (they hold a person's
 * mobile number); unsent ones stay whatever their age, and each step of the purge is audited.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { outboxRetentionDays, purgeSentNotices } from '../../server/services/outbox-retention'
import { freshDatabase } from '../support/db'

let conn: Connection
const NOW = new Date('2026-12-01T02:00:00Z')
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString()

/** One SMS notice created `createdDaysAgo` days ago, sent `sentDaysAgo` days ago (null: not yet). */
function notice(key: string, createdDaysAgo: number, sentDaysAgo: number | null) {
  writeTransaction(conn, () => conn.sqlite.prepare(`INSERT INTO outbox (dedupe_key, channel, recipient, template, params, created_at, next_attempt_at, sent_at)
    VALUES (?, 'sms', '13800138000', 'case.submitted', '{}', ?, ?, ?)`).run(key, daysAgo(createdDaysAgo), daysAgo(createdDaysAgo), sentDaysAgo === null ? null : daysAgo(sentDaysAgo)))
}
const keys = () => (conn.sqlite.prepare('SELECT dedupe_key AS k FROM outbox ORDER BY id').all() as { k: string }[]).map(r => r.k)
const purgeAudits = () => (conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'outbox.purge' ORDER BY id`).all() as { detail: string }[]).map(r => JSON.parse(r.detail))

beforeEach(() => {
  conn = freshDatabase({ demo: false })
})

describe('the outbox retention', () => {
  it('removes notices sent before the retention period, keeps recent and unsent ones', async () => {
    notice('sent-long-ago', 400, 400)
    notice('sent-just-over', 181, 180.5)
    notice('sent-just-under', 200, 179.5)
    notice('never-sent-old', 400, null)
    notice('sent-today', 0, 0)
    expect(await purgeSentNotices(conn, NOW, 180)).toBe(2)
    expect(keys()).toEqual(['sent-just-under', 'never-sent-old', 'sent-today'])
    expect(purgeAudits()).toEqual([{ notices: 2, days: 180 }])
  })

  it('goes through a large backlog in steps, each its own audited transaction', async () => {
    for (let i = 0; i < 7; i++) notice(`old-${i}`, 300, 300)
    notice('recent', 1, 1)
    const transactions = vi.spyOn(conn.sqlite, 'transaction')
    expect(await purgeSentNotices(conn, NOW, 180, 3)).toBe(7)
    expect(keys()).toEqual(['recent'])
    expect(purgeAudits().map(d => d.notices)).toEqual([3, 3, 1])
    expect(transactions.mock.calls.length).toBe(3)
    transactions.mockRestore()
    // nothing more to do: no transaction writes an audit row for nothing
    expect(await purgeSentNotices(conn, NOW, 180, 3)).toBe(0)
    expect(purgeAudits()).toHaveLength(3)
  })

  it('finds the old rows through the index on sent_at, not by reading the outbox', () => {
    const plan = conn.sqlite.prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?`)
      .all(NOW.toISOString(), 10) as { detail: string }[]
    expect(plan.map(p => p.detail).join('\n')).toMatch(/SEARCH outbox USING (COVERING )?INDEX outbox_pending_idx \(sent_at>\? AND sent_at<\?\)/)
  })

  it('reads the period from OUTBOX_RETENTION_DAYS, 180 days when unset or not a positive number', () => {
    expect(outboxRetentionDays({})).toBe(180)
    expect(outboxRetentionDays({ OUTBOX_RETENTION_DAYS: '30' })).toBe(30)
    expect(outboxRetentionDays({ OUTBOX_RETENTION_DAYS: '0' })).toBe(180)
    expect(outboxRetentionDays({ OUTBOX_RETENTION_DAYS: 'soon' })).toBe(180)
  })
})
