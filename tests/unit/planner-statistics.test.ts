import { describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { refreshPlannerStatistics } from '../../server/services/planner-statistics'
import { freshDatabase, userIdOf } from '../support/db'

describe('the planner\'s statistics', () => {
  it('are gathered for the tables the server has queried, so indexes are chosen by what they hold', () => {
    const conn = freshDatabase()
    const stats = () => conn.sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).pluck().get() === 1
      ? conn.sqlite.prepare('SELECT DISTINCT tbl FROM sqlite_stat1').pluck().all() as string[]
      : []
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
    writeTransaction(conn, () => {
      for (let i = 0; i < 50; i++) {
        receiveCase(conn, { serviceCode: 'SZRS-0001', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }, answers: {}, materials: [], actor: citizen })
      }
    })
    expect(stats()).not.toContain('cases')
    conn.sqlite.prepare(`SELECT case_no FROM cases WHERE department_code = ? AND status = ? ORDER BY deadline`).all('SZRS', 'submitted')
    refreshPlannerStatistics(conn)
    expect(stats()).toContain('cases')
  })
})
