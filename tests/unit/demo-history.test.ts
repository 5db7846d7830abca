/**
 * The demo history a newcomer sees with PORTAL_DEMO=1: a year and more of cases made through the
 * real intake and workflow, whose daily counts agree with the cases to the last figure.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { seedDemoHistory } from '../../db/seed/demo-history'
import type { FormDefinition } from '../../shared/types/catalogue'
import { verifyDailyCounts } from '../../server/services/daily-counts'
import { onlineRateReport } from '../../server/services/reports'
import { isValidIdNumber } from '../../shared/utils/id-number'
import { usccProblem } from '../../shared/utils/uscc'
import { freshDatabase } from '../support/db'

const NOW = new Date('2026-11-28T04:00:00Z')

describe('a newcomer opening the dashboard of a demo portal', () => {
  let conn: Connection
  let created: number

  beforeAll(() => {
    conn = freshDatabase()
    created = seedDemoHistory(conn, { now: NOW })
  }, 120_000)

  it('finds a few thousand cases over at least twelve months, online and at the counter', () => {
    expect(created).toBeGreaterThanOrEqual(2000)
    expect(created).toBeLessThanOrEqual(4000)
    const months = conn.sqlite.prepare(`SELECT count(DISTINCT substr(received_date, 1, 7)) AS n FROM cases`).get() as { n: number }
    expect(months.n).toBeGreaterThanOrEqual(12)
    const depts = conn.sqlite.prepare(`SELECT count(DISTINCT department_code) AS n FROM cases`).get() as { n: number }
    expect(depts.n).toBeGreaterThanOrEqual(10)
    const channels = conn.sqlite.prepare(`SELECT channel, count(*) AS n FROM cases GROUP BY channel`).all() as { channel: string, n: number }[]
    expect(channels.map(c => c.channel).sort()).toEqual(['counter', 'online'])
  })

  it('sees the online share rise month by month from about 60% to over 90%', () => {
    const r = onlineRateReport(conn, { from: '2025-11-01', to: '2026-11-28' })
    const shares = r.trend.map(p => p.onlineRate!)
    expect(shares[0]).toBeLessThan(0.7)
    expect(shares.at(-1)).toBeGreaterThan(0.88)
    expect(shares.at(-1)).toBeGreaterThan(shares[0]!)
  })

  it('sees late completions, open overdue cases, returns, refusals, withdrawals, extensions and ratings', () => {
    const n = (sql: string) => (conn.sqlite.prepare(sql).get() as { n: number }).n
    expect(n(`SELECT count(*) AS n FROM cases WHERE status IN ('approved', 'rejected') AND completed_date > deadline`)).toBeGreaterThan(20)
    expect(n(`SELECT count(*) AS n FROM cases WHERE status IN ('submitted', 'accepted') AND deadline < '2026-11-28'`)).toBeGreaterThan(0)
    expect(n(`SELECT count(DISTINCT case_no) AS n FROM case_events WHERE action = 'resubmit'`)).toBeGreaterThan(0)
    expect(n(`SELECT count(*) AS n FROM cases WHERE status = 'not_accepted'`)).toBeGreaterThan(0)
    expect(n(`SELECT count(*) AS n FROM cases WHERE status = 'withdrawn'`)).toBeGreaterThan(0)
    expect(n(`SELECT count(*) AS n FROM ratings`)).toBeGreaterThan(100)
    // limits extended by the head of the demo clerk's department, who alone may
    expect(n(`SELECT count(*) AS n FROM cases WHERE extended_days > 0 AND status IN ('approved', 'rejected') AND completed_date <= deadline`)).toBeGreaterThan(5)
    expect(n(`SELECT count(*) AS n FROM case_events e JOIN users u ON u.id = e.actor_id WHERE e.action = 'extend' AND u.username <> 'head'`)).toBe(0)
    expect(n(`SELECT count(*) AS n FROM cases c JOIN users u ON u.id = c.applicant_id WHERE u.username IN ('citizen', 'citizen2')`)).toBeGreaterThan(10)
  })

  it('finds the e-licences of items for organisations held by the applying companies, with valid credit codes', () => {
    const byKind = conn.sqlite.prepare(`SELECT r.holder_kind AS kind, count(*) AS n FROM results r JOIN cases c ON c.case_no = r.case_no
      JOIN services s ON s.code = c.service_code WHERE s.audience = 'organization' AND c.channel = 'online' AND c.applicant_id IN
      (SELECT user_id FROM organizations) GROUP BY r.holder_kind`).all() as { kind: string, n: number }[]
    expect(byKind.map(k => k.kind)).toEqual(['organization'])
    expect(byKind[0]!.n).toBeGreaterThan(10)
    const codes = conn.sqlite.prepare(`SELECT holder_id_number AS uscc, holder_name AS name FROM results WHERE holder_kind = 'organization'`).all() as { uscc: string, name: string }[]
    // the demo citizens run no company, so they hold no company's licence either
    const demoHeld = conn.sqlite.prepare(`SELECT count(*) AS n FROM results r JOIN users u ON u.id = r.holder_id
      WHERE u.username IN ('citizen', 'citizen2') AND r.holder_kind = 'organization'`).get() as { n: number }
    expect(demoHeld.n).toBe(0)
    for (const { uscc, name } of codes) {
      expect(usccProblem(uscc)).toBeNull()
      expect(name).toMatch(/有限公司$/)
    }
  })

  it('finds the e-licences of counter cases for organisations-only items held by the companies their answers name, as counter intake requires', () => {
    const byKind = conn.sqlite.prepare(`SELECT r.holder_kind AS kind, count(*) AS n FROM results r JOIN cases c ON c.case_no = r.case_no
      JOIN services s ON s.code = c.service_code WHERE s.audience = 'organization' AND c.channel = 'counter' GROUP BY r.holder_kind`).all() as { kind: string, n: number }[]
    expect(byKind.map(k => k.kind)).toEqual(['organization'])
    expect(byKind[0]!.n).toBeGreaterThan(5)
  })

  it('gives every generated applicant a valid ID number and nothing happens after now', () => {
    const ids = conn.sqlite.prepare('SELECT DISTINCT applicant_id_number AS id FROM cases').all() as { id: string }[]
    for (const { id } of ids) expect(isValidIdNumber(id, '2026-11-28')).toBe(true)
    const last = conn.sqlite.prepare('SELECT max(at) AS at FROM case_events').get() as { at: string }
    expect(last.at <= NOW.toISOString()).toBe(true)
  })

  it('reads answers a clerk would expect in each box: a bank under the bank, the applicant\'s name only where the form asks for it, each within its length', () => {
    const rows = conn.sqlite.prepare(`SELECT c.answers, c.applicant_name AS name, f.definition FROM cases c JOIN form_versions f ON f.id = c.form_version_id`)
      .all() as { answers: string, name: string, definition: string }[]
    expect(rows.length).toBeGreaterThan(100)
    let banks = 0
    for (const row of rows) {
      const answers = JSON.parse(row.answers) as Record<string, unknown>
      const fields = (JSON.parse(row.definition) as FormDefinition).fields
      for (const f of fields.filter(f => (f.type === 'text' || f.type === 'textarea') && typeof answers[f.key] === 'string')) {
        const answer = answers[f.key] as string
        expect(answer).not.toBe('演示数据')
        if (f.maxLength) expect(answer.length).toBeLessThanOrEqual(f.maxLength)
        if (/bank/i.test(f.key)) {
          banks++
          expect(answer).toMatch(/银行/)
        }
        if (answer === row.name) expect([f.prefill, f.key]).toEqual(expect.arrayContaining([expect.stringMatching(/^(name|applicantName|contactName)$/)]))
      }
    }
    expect(banks).toBeGreaterThan(0)
  })

  it('finds every holder with one valid licence of a kind held once at a time, the earlier ones shown as replaced', () => {
    const held = conn.sqlite.prepare(`SELECT r.holder_id_number AS holder, r.result_name AS title, count(*) AS n FROM results r
      JOIN services s ON s.code = r.service_code WHERE json_extract(s.details, '$.resultReplacesEarlier') IS 1
        AND r.revoked_at IS NULL AND (r.valid_until IS NULL OR r.valid_until >= '2026-11-28')
      GROUP BY r.holder_kind, r.holder_id_number, r.result_name HAVING n > 1`).all()
    expect(held).toEqual([])
    // the demo citizen's ID cards: the one of the last replacement valid, every earlier one replaced by the next
    const cards = conn.sqlite.prepare(`SELECT r.code, r.superseded_by AS supersededBy, r.revoked_at AS revokedAt FROM results r JOIN users u ON u.id = r.holder_id
      WHERE u.username = 'citizen' AND r.result_name = '中华人民共和国居民身份证' ORDER BY r.issued_at`).all() as { code: string, supersededBy: string | null, revokedAt: string | null }[]
    expect(cards.length).toBeGreaterThan(1)
    expect(cards.map(c => c.supersededBy)).toEqual([...cards.slice(1).map(c => c.code), null])
    expect(cards.at(-1)!.revokedAt).toBeNull()
  })

  it('finds the daily counts exactly consistent with the cases', () => {
    expect(verifyDailyCounts(conn)).toEqual([])
  })

  it('gets the same history again from the same seed and date', () => {
    const again = freshDatabase()
    seedDemoHistory(again, { now: NOW })
    const sig = (c: Connection) => c.sqlite.prepare(`SELECT count(*) AS n, sum(channel = 'online') AS online, group_concat(status, '') AS s FROM (SELECT * FROM cases ORDER BY case_no)`).get()
    expect(sig(again)).toEqual(sig(conn))
  }, 120_000)
})
