/**
 * Migration 0035 (db/migrations/0035_case_event_notice.sql): a return's event keeps what its
 * one-time notice asked for. Returns made before it get the notice the audit log kept for them
 * (case.return, detail.notice), so that a case waiting on a correction when the portal is updated
 * is held to the one-time rule as a new one is; a return the log cannot be matched to stays unknown.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import { receiveCounterCase } from '../../server/services/counter'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

const BACKFILL = readFileSync('db/migrations/0035_case_event_notice.sql', 'utf8')
  .split('--> statement-breakpoint')
  .filter(s => !/ALTER TABLE/.test(s))

describe('returns made before their notices were kept on their events', () => {
  it('get the notice the audit log kept, matched return by return; one the log cannot be matched to stays unknown', () => {
    const conn = freshDatabase()
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const version = (caseNo: string) => conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').pluck().get(caseNo) as number
    const act = (caseNo: string, action: 'return' | 'resubmit', when: string, fields: string[] = []) => applyTransition(conn, {
      caseNo, action, version: version(caseNo), user: clerk, now: new Date(when),
      ...(action === 'return' ? { comment: '请补正', supplement: { fields, materials: [] } } : {}),
      ...(action === 'resubmit' && fields.length ? { answers: { cardBank: 'ccb' } } : {}),
    })
    // counter cases of a person without an account, whose corrections the clerk records
    const intake = () => writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' },
      answers: { cardBank: 'boc', collectWay: 'branch' }, clerk,
    }, new Date('2026-03-02T02:00:00Z'))).caseNo
    // two rounds of corrections on one case, one on another
    const twice = intake()
    act(twice, 'return', '2026-03-03T02:00:00Z', ['cardBank'])
    act(twice, 'resubmit', '2026-03-04T02:00:00Z', ['cardBank'])
    act(twice, 'return', '2026-03-05T02:00:00Z', ['cardBank'])
    const once = intake()
    act(once, 'return', '2026-03-03T02:00:00Z', ['collectWay'])
    // a return event with no audit row of its own (written by the benchmark's generator, say)
    const unmatched = intake()
    act(unmatched, 'return', '2026-03-03T02:00:00Z', ['cardBank'])
    conn.sqlite.prepare(`INSERT INTO case_events (case_no, at, action, from_status, to_status, actor_id, actor_role, comment)
      VALUES (?, '2026-03-04T02:00:00Z', 'return', 'submitted', 'supplement', ?, 'clerk', '请补正')`).run(unmatched, clerk.id)

    const notices = () => conn.sqlite.prepare(`SELECT case_no AS caseNo, notice FROM case_events WHERE action = 'return' ORDER BY id`).all()
    const written = notices()
    expect(written.filter(r => (r as { notice: string | null }).notice !== null)).toHaveLength(4)
    // as the rows were before the migration
    conn.sqlite.prepare('UPDATE case_events SET notice = NULL').run()
    for (const statement of BACKFILL) conn.sqlite.exec(statement)

    // (as the audit log keeps them now, with the last day to correct each gave)
    expect(notices()).toEqual([
      { caseNo: twice, notice: '{"fields":["cardBank"],"materials":[],"due":"2026-03-17"}' },
      { caseNo: twice, notice: '{"fields":["cardBank"],"materials":[],"due":"2026-03-19"}' },
      { caseNo: once, notice: '{"fields":["collectWay"],"materials":[],"due":"2026-03-17"}' },
      { caseNo: unmatched, notice: null },
      { caseNo: unmatched, notice: null },
    ])
    expect(written.slice(0, 3)).toEqual(notices().slice(0, 3))
    // nothing else changed, and the temporary tables are gone
    expect(conn.sqlite.prepare(`SELECT count(*) FROM case_events WHERE action <> 'return' AND notice IS NOT NULL`).pluck().get()).toBe(0)
    expect(conn.sqlite.prepare(`SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'`).pluck().get()).toBe(0)
  })
})
