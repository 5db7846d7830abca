/**
 * A manager opening the dashboard, supervision and satisfaction pages on 15 March 2027 without
 * choosing a period: all three count the same twelve months, so a department's on-time figures and
 * the number of ratings read the same on each. Before, supervision and satisfaction counted from
 * 1 January and the dashboard twelve months back: a case completed in June 2026 counted on one
 * page and not on the other.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { rateCase } from '../../server/services/ratings'
import { defaultFrom, reportPeriod } from '../../server/services/report-period'
import { onlineRateReport } from '../../server/services/reports'
import { satisfactionReport } from '../../server/services/satisfaction'
import { supervision } from '../../server/services/supervision'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

// Monday 15 March 2027, 10:00 in Shanghai
const NOW = new Date('2027-03-15T10:00:00+08:00')

describe('the default period of the manager pages', () => {
  it('is the twelve calendar months up to today, this month so far included', () => {
    expect(reportPeriod({}, NOW)).toEqual({ from: '2026-04-01', to: '2027-03-15' })
  })

  it('is counted on the Shanghai calendar: 16:30 UTC on 31 March is already 1 April', () => {
    expect(reportPeriod({}, new Date('2027-03-31T16:30:00Z'))).toEqual({ from: '2026-05-01', to: '2027-04-01' })
    expect(reportPeriod({}, new Date('2027-03-31T15:59:59Z'))).toEqual({ from: '2026-04-01', to: '2027-03-31' })
  })

  it('fills in the end given alone with the twelve months up to it, and the start given alone with today', () => {
    expect(reportPeriod({ to: '2026-12-31' }, NOW)).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(reportPeriod({ from: '2027-01-01' }, NOW)).toEqual({ from: '2027-01-01', to: '2027-03-15' })
    expect(reportPeriod({ from: '2026-06-01', to: '2026-06-30' }, NOW)).toEqual({ from: '2026-06-01', to: '2026-06-30' })
    // a lone start after today is left after its end, for the page's API to refuse
    expect(reportPeriod({ from: '2027-04-01' }, NOW)).toEqual({ from: '2027-04-01', to: '2027-03-15' })
  })

  it('starts on the first of the month eleven months before, across a year and from 29 February', () => {
    expect(defaultFrom('2027-01-10')).toBe('2026-02-01')
    expect(defaultFrom('2028-02-29')).toBe('2027-03-01')
    expect(defaultFrom('2026-12-31')).toBe('2026-01-01')
  })
})

describe('the same figure on the three pages, with no period chosen', () => {
  let conn: Connection
  const service = () => conn.sqlite.prepare(`SELECT code FROM services WHERE department_code = 'SZRS' AND process_type = 'promised'
    AND online_depth >= 3 AND form_version_id IS NOT NULL AND status = 'published' ORDER BY code LIMIT 1`).get() as { code: string }

  /** A case of the demo citizen received, accepted and approved on Shanghai days, then rated. */
  function completedAndRated(received: string, approved: string, score: number) {
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' as const }
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const caseNo = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: service().code, channel: 'online', formVersionId: null, answers: {}, materials: [],
      applicant: { userId: citizen.id, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }, actor: citizen,
    }, new Date(`${received}T10:00:00+08:00`)).caseNo)
    for (const [action, day] of [['accept', received], ['approve', approved]] as const) {
      const { version } = conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }
      applyTransition(conn, { caseNo, action, version, user: clerk, comment: null, now: new Date(`${day}T15:00:00+08:00`) })
    }
    rateCase(conn, caseNo, { ...citizen, departmentCode: null }, { score }, null, new Date(`${approved}T18:00:00+08:00`))
  }

  beforeAll(() => {
    conn = freshDatabase()
    // June 2026: inside the twelve months, before this year's 1 January
    completedAndRated('2026-06-01', '2026-06-03', 1)
    completedAndRated('2027-02-01', '2027-02-02', 5)
    // before the twelve months: on no page
    completedAndRated('2026-03-02', '2026-03-03', 2)
  })

  it('gives the dashboard, supervision and satisfaction the same period and the same counts', () => {
    const period = reportPeriod({}, NOW)
    const dashboard = onlineRateReport(conn, period, null, NOW)
    const supervised = supervision(conn, {}, NOW)
    const ratings = satisfactionReport(conn, period, NOW)!
    expect([dashboard.from, dashboard.to]).toEqual(['2026-04-01', '2027-03-15'])
    expect([supervised.from, supervised.to]).toEqual([dashboard.from, dashboard.to])
    expect([ratings.from, ratings.to]).toEqual([dashboard.from, dashboard.to])

    const onDashboard = dashboard.byDepartment.find(d => d.code === 'SZRS')!.cases
    const onSupervision = supervised.departments.find(d => d.code === 'SZRS')!
    expect(onDashboard).toMatchObject({ completed: 2, completedOnTime: 2 })
    expect(onSupervision).toMatchObject({ completed: onDashboard.completed, completedOnTime: onDashboard.completedOnTime })
    expect(ratings.overall.count).toBe(2)
    expect(dashboard.satisfaction.count).toBe(ratings.overall.count)
  })

  it('counts on supervision the poor ratings still unanswered, and those past their 15 working days', () => {
    // the two poor ratings (June 2026 and March 2026) were never answered: both long overdue
    expect(supervision(conn, {}, NOW).rectifications).toEqual({ open: 2, overdue: 2 })
    // on the day of the June rating its follow-up was open and not yet overdue
    expect(supervision(conn, {}, new Date('2026-06-04T10:00:00+08:00')).rectifications).toEqual({ open: 2, overdue: 1 })
  })
})
