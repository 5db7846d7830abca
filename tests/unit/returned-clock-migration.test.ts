/**
 * Migration 0027 (db/migrations/0027_returned_clock_stopped.sql): a case waiting in supplement
 * from before a return kept the day its clock stopped gets the Shanghai day of its last return, so
 * that one returned when already late is counted overdue on supervision as a new one is.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { supervision } from '../../server/services/supervision'
import { applyTransition } from '../../server/services/transitions'
import { receiveCounterCase } from '../support/calendar-cases'
import { freshDatabase, userIdOf } from '../support/db'

const BACKFILL = readFileSync('db/migrations/0027_returned_clock_stopped.sql', 'utf8')

describe('cases returned before the day their clock stopped was kept on them', () => {
  it('get the Shanghai day of their last return, and one returned late is overdue again', () => {
    const conn = freshDatabase()
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const act = (caseNo: string, action: 'accept' | 'return', version: number, when: string) =>
      applyTransition(conn, { caseNo, action, version, user: clerk, comment: action === 'return' ? '请补正' : null, supplement: action === 'return' ? { fields: [], materials: [] } : undefined, now: new Date(when) })
    // accepted Mon 2 Mar 2026 (due 16 Mar); returned late at 00:30 on 21 Mar, Shanghai time (16:30Z on the 20th)
    const late = receiveCounterCase(conn, clerk, new Date('2026-03-02T02:00:00Z'))
    act(late, 'accept', 1, '2026-03-02T02:00:00Z')
    act(late, 'return', 2, '2026-03-20T16:30:00Z')
    const inTime = receiveCounterCase(conn, clerk, new Date('2026-03-02T02:00:00Z'))
    act(inTime, 'accept', 1, '2026-03-02T02:00:00Z')
    act(inTime, 'return', 2, '2026-03-04T02:00:00Z')
    // as the rows were before the migration
    conn.sqlite.prepare(`UPDATE cases SET suspended_since = NULL WHERE status = 'supplement'`).run()
    const overdueOn23 = () => supervision(conn, {}, new Date('2026-03-23T02:00:00Z')).overdue.items.map(c => c.caseNo)
    expect(overdueOn23()).not.toContain(late)

    conn.sqlite.exec(BACKFILL)
    const since = (no: string) => conn.sqlite.prepare('SELECT suspended_since FROM cases WHERE case_no = ?').pluck().get(no)
    expect([since(late), since(inTime)]).toEqual(['2026-03-21', '2026-03-04'])
    expect(overdueOn23()).toContain(late)
    expect(overdueOn23()).not.toContain(inTime)
  })
})
