/**
 * Case deadlines around every 2025–2026 holiday of the State Council's notices, each counted by
 * hand on a paper calendar (a period runs from the day after it starts; adjusted weekend
 * working days count, holidays do not), then checked through the case services themselves.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { changeCalendar } from '../../server/services/calendar-admin'
import { invalidateCalendar, loadCalendar } from '../../server/services/calendar'
import { receiveCase } from '../../server/services/case-intake'
import { applyTransition } from '../../server/services/transitions'
import { addWorkingDays, deadlineStatus } from '../../shared/utils/working-days'
import { freshDatabase, userIdOf } from '../support/db'

/** [holiday, received, working days, deadline, how it was counted] */
const AROUND_HOLIDAYS: [string, string, number, string, string][] = [
  ['2025 元旦', '2024-12-30', 5, '2025-01-07', 'Dec 31; Jan 1 off; Jan 2, 3; weekend; Jan 6, 7'],
  ['2025 春节 (work Sun 26 Jan)', '2025-01-24', 5, '2025-02-07', 'Sat 25 off; Sun 26 worked; Mon 27; 28 Jan–4 Feb off; Feb 5, 6, 7'],
  ['2025 春节 (work Sat 8 Feb)', '2025-02-05', 3, '2025-02-08', 'Feb 6, 7, Sat 8 worked'],
  ['2025 清明', '2025-04-03', 1, '2025-04-07', 'Fri 4–Sun 6 off; Mon 7'],
  ['2025 劳动节 (work Sun 27 Apr)', '2025-04-25', 5, '2025-05-06', 'Sat 26 off; Sun 27 worked; Apr 28, 29, 30; 1–5 May off; Tue 6'],
  ['2025 端午', '2025-05-30', 1, '2025-06-03', 'Sat 31 May–Mon 2 Jun off; Tue 3'],
  ['2025 国庆中秋 (work Sun 28 Sep)', '2025-09-26', 5, '2025-10-10', 'Sat 27 off; Sun 28 worked; Sep 29, 30; 1–8 Oct off; Oct 9, 10'],
  ['2025 国庆中秋 (work Sat 11 Oct)', '2025-09-30', 3, '2025-10-11', '1–8 Oct off; Oct 9, 10, Sat 11 worked'],
  ['2026 元旦 (work Sun 4 Jan)', '2025-12-31', 2, '2026-01-05', '1–3 Jan off; Sun 4 worked; Mon 5'],
  ['2026 春节 (work Sat 14 Feb)', '2026-02-12', 5, '2026-02-26', 'Fri 13; Sat 14 worked; 15–23 Feb off; Feb 24, 25, 26'],
  ['2026 春节 (work Sat 28 Feb)', '2026-02-24', 4, '2026-02-28', 'Feb 25, 26, 27, Sat 28 worked'],
  ['2026 清明', '2026-04-03', 1, '2026-04-07', 'Sat 4–Mon 6 off; Tue 7'],
  ['2026 劳动节 (work Sat 9 May)', '2026-04-30', 5, '2026-05-11', '1–5 May off; May 6, 7, 8, Sat 9 worked; Sun 10 off; Mon 11'],
  ['2026 端午', '2026-06-18', 2, '2026-06-23', 'Fri 19–Sun 21 off; Jun 22, 23'],
  ['2026 中秋 (work Sun 20 Sep)', '2026-09-18', 1, '2026-09-20', 'Sat 19 off; Sun 20 worked'],
  ['2026 中秋', '2026-09-24', 2, '2026-09-29', 'Fri 25–Sun 27 off; Sep 28, 29'],
  ['2026 国庆 (work Sat 10 Oct)', '2026-09-30', 5, '2026-10-13', '1–7 Oct off; Oct 8, 9, Sat 10 worked; Sun 11 off; Oct 12, 13'],
  ['an ordinary weekend', '2026-03-06', 1, '2026-03-09', 'Sat 7, Sun 8 off; Mon 9'],
]

let conn: Connection

beforeEach(() => {
  invalidateCalendar()
  conn = freshDatabase()
})

/** The citizen submits a social security card application (SZRS-0004, promised 10 working days) at 10:00 Shenzhen time. */
function receive(day: string): string {
  const citizen = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: 'SZRS-0004', channel: 'online', formVersionId: null,
    applicant: { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    answers: {}, materials: [], actor: { id: citizen, role: 'citizen' },
  }, new Date(`${day}T02:00:00Z`))).caseNo
}

describe('deadlines around every holiday of 2025 and 2026', () => {
  it.each(AROUND_HOLIDAYS)('%s: received %s + %i working days → %s (%s)', (_name, received, days, deadline) => {
    expect(addWorkingDays(received, days, loadCalendar(conn))).toBe(deadline)
  })

  it.each(AROUND_HOLIDAYS.filter(r => r[2] === 5))('%s: a case received %s (+%i) must be accepted or not by %s', (_name, received, _days, deadline) => {
    const caseNo = receive(received)
    expect((conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline).toBe(deadline)
  })

  it('counts the Shanghai day: a case submitted at 23:30 on 30 Sep 2026 (15:30 UTC) is received on 30 Sep', () => {
    const citizen = userIdOf(conn, 'citizen')
    const r = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZRS-0004', channel: 'online', formVersionId: null,
      applicant: { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile: null },
      answers: {}, materials: [], actor: { id: citizen, role: 'citizen' },
    }, new Date('2026-09-30T15:30:00Z')))
    expect(r.receivedDate).toBe('2026-09-30')
    expect(r.deadline).toBe('2026-10-13')
  })

  it('sets the handling deadline on acceptance across the Spring Festival', () => {
    const caseNo = receive('2026-02-12')
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    // Fri 13, Sat 14 (worked), 24, 25, 26, 27 Feb, Sat 28 (worked), 2, 3, 4 Mar
    const c = applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now: new Date('2026-02-12T06:00:00Z') })
    expect(c.deadline).toBe('2026-03-04')
  })
})

describe('near and overdue across a holiday', () => {
  it.each([
    ['2026-09-28', 'ok', '29, 30 Sep and 8 Oct: three working days left'],
    ['2026-09-29', 'near', '30 Sep and 8 Oct: two left'],
    ['2026-10-02', 'near', 'in the holiday: only 8 Oct left'],
    ['2026-10-08', 'near', 'due today'],
    ['2026-10-09', 'overdue', 'the day after'],
  ] as [string, 'ok' | 'near' | 'overdue', string][])('a deadline of Thu 8 Oct 2026 seen on %s is %s (%s)', (today, status) => {
    expect(deadlineStatus('2026-10-08', today, loadCalendar(conn))).toBe(status)
  })
})

describe('later years maintained by administrators', () => {
  it('moves deadlines once a 2027 holiday is added, and back when it is removed', () => {
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    // Fri 1 Jan is off by law, then the weekend: Mon 4 Jan
    expect(addWorkingDays('2026-12-31', 1, loadCalendar(conn))).toBe('2027-01-04')
    writeTransaction(conn, () => changeCalendar(conn, { add: [{ date: '2027-01-04', kind: 'holiday', note: '元旦' }], remove: [] }, admin))
    // the notice adds Mon 4 Jan: Tue 5 Jan
    expect(addWorkingDays('2026-12-31', 1, loadCalendar(conn))).toBe('2027-01-05')
    writeTransaction(conn, () => changeCalendar(conn, { add: [], remove: ['2027-01-04'] }, admin))
    expect(addWorkingDays('2026-12-31', 1, loadCalendar(conn))).toBe('2027-01-04')
    const audit = conn.sqlite.prepare('SELECT count(*) AS n FROM audit_log WHERE action = \'calendar.update\'').get() as { n: number }
    expect(audit.n).toBe(2)
  })

  it('gives a case received after the change the new deadline, though one received the same day before it had the old one', () => {
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' }
    const deadlineOf = (caseNo: string) => (conn.sqlite.prepare('SELECT deadline FROM cases WHERE case_no = ?').get(caseNo) as { deadline: string }).deadline
    // Wed 30 Dec + 5: Dec 31, (Jan 1 off by law), Jan 4, 5, 6, 7
    expect(deadlineOf(receive('2026-12-30'))).toBe('2027-01-07')
    writeTransaction(conn, () => changeCalendar(conn, { add: [{ date: '2027-01-04', kind: 'holiday', note: '元旦' }], remove: [] }, admin))
    // Jan 4 off now: Dec 31, Jan 5, 6, 7, 8
    expect(deadlineOf(receive('2026-12-30'))).toBe('2027-01-08')
  })
})
