/**
 * Time limits as a manager supervising them reads them: a case accepted weeks after its acceptance
 * deadline shows as a late acceptance, and as completed late even when it is completed the next
 * day, its handling period having run from receipt (行政许可法 第三十二条); a case that was
 * already overdue when the clerk suspended it stays on the overdue list; an overdue case never
 * reads "0 working days left" on a weekend; and the daily counts recount to the same figures after
 * a holiday is entered later, from the console too (npm run db:counts).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase, writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { seedCatalogue } from '../../db/seed/load'
import { verifyAuditChain } from '../../server/services/audit'
import { invalidateCalendar } from '../../server/services/calendar'
import { receiveCase } from '../../server/services/case-intake'
import { listCases } from '../../server/services/case-queries'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { rebuildDailyCounts, verifyDailyCounts } from '../../server/services/daily-counts'
import { onlineRateReport } from '../../server/services/reports'
import { supervision, workingDaysLeft } from '../../server/services/supervision'
import { applyTransition } from '../../server/services/transitions'
import type { Action } from '../../shared/utils/workflow'
import { addWorkingDays, defaultCalendar } from '../../shared/utils/working-days'
import { freshDatabase, userIdOf } from '../support/db'

// tsx start-up for the console command, on two shared cores
vi.setConfig({ testTimeout: 60_000 })

const at = (local: string) => new Date(`${local}+08:00`)

function serviceOf(conn: Connection, processType: 'promised' | 'instant'): string {
  return (conn.sqlite.prepare(`SELECT code FROM services WHERE department_code = 'SZRS' AND process_type = ? AND status = 'published'
    ORDER BY code LIMIT 1`).get(processType) as { code: string }).code
}

function receive(conn: Connection, serviceCode: string, local: string): string {
  const citizen = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, answers: {}, materials: [],
    applicant: { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    actor: { id: citizen, role: 'citizen' },
  }, at(local)).caseNo)
}

function act(conn: Connection, caseNo: string, action: Action, local: string): void {
  const { version } = conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }
  const user = action === 'resubmit'
    ? { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
    : { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  const comment = action === 'refuse' || action === 'return' || action === 'reject' ? '材料不齐' : null
  applyTransition(conn, { caseNo, action, version, user, comment, now: at(local) })
}

const caseRow = (conn: Connection, caseNo: string) => conn.sqlite.prepare(`SELECT deadline, acceptance_date AS acceptanceDate,
  accepted_late AS acceptedLate, handling_days AS handlingDays FROM cases WHERE case_no = ?`).get(caseNo) as { deadline: string, acceptanceDate: string | null, acceptedLate: number | null, handlingDays: number | null }

const szrs = (conn: Connection, from: string, to: string) => onlineRateReport(conn, { from, to }, 'SZRS', at('2026-04-02T10:00:00')).cases
const supervised = (conn: Connection, from: string, to: string) => supervision(conn, { from, to }, at('2026-04-02T10:00:00')).departments.find(d => d.code === 'SZRS')!

describe('a manager checking how late cases were accepted', () => {
  let conn: Connection
  let lateCase: string

  beforeAll(() => {
    conn = freshDatabase()
    // the review's case: received Monday 2 March (acceptance due 9 March), accepted 31 March, approved 1 April
    lateCase = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T10:00:00')
    act(conn, lateCase, 'accept', '2026-03-31T09:00:00')
    act(conn, lateCase, 'approve', '2026-04-01T10:00:00')
  })

  it('sees a case accepted 15 working days late as a late acceptance, whose handling period ran from receipt: approved the day after, it was late too', () => {
    // 行政许可法 第三十二条: accepted on receipt, Monday 2 March; promised 15 working days: Monday 23 March
    expect(caseRow(conn, lateCase)).toMatchObject({ acceptanceDate: '2026-03-31', acceptedLate: 1, deadline: '2026-03-23' })
    const cases = szrs(conn, '2026-03-01', '2026-04-30')
    // the contract's onTimeRate keeps its definition: completed by the deadline in force
    expect(cases).toMatchObject({ completed: 1, completedOnTime: 0, onTimeRate: 0 })
    expect(cases).toMatchObject({ acceptanceDecided: 1, acceptedLate: 1, acceptanceOnTimeRate: 0 })
    expect(supervised(conn, '2026-03-01', '2026-04-30')).toMatchObject({ completedOnTime: 0, acceptanceDecided: 1, acceptedLate: 1, acceptanceOnTimeRate: 0 })
    // counted on the day of the decision: not in a period that ends before it
    expect(szrs(conn, '2026-03-01', '2026-03-30')).toMatchObject({ acceptanceDecided: 0, acceptanceOnTimeRate: null })
  })

  it('keeps the lateness in the audit log of the acceptance', () => {
    const row = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.accept' AND subject = ?`).get(lateCase) as { detail: string }
    expect(JSON.parse(row.detail)).toMatchObject({ acceptedLate: true })
  })

  it('counts a refusal in time, an acceptance too late to refuse, and an instant item approved on the spot, as acceptance decisions, in time or late', () => {
    const before = szrs(conn, '2026-03-01', '2026-04-30')
    // acceptance due Monday 9 March: on Tuesday it can no longer be refused, only accepted, late
    const refusedLate = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T11:00:00')
    expect(() => act(conn, refusedLate, 'refuse', '2026-03-10T09:00:00')).toThrow(expect.objectContaining({ statusCode: 409 }))
    act(conn, refusedLate, 'accept', '2026-03-10T09:00:00')
    const refusedInTime = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T11:30:00')
    act(conn, refusedInTime, 'refuse', '2026-03-09T17:00:00')
    // an instant item received on Friday 13 March is due that day: approved on Monday it was decided late
    const instantLate = receive(conn, serviceOf(conn, 'instant'), '2026-03-13T10:00:00')
    act(conn, instantLate, 'approve', '2026-03-16T10:00:00')
    const instantInTime = receive(conn, serviceOf(conn, 'instant'), '2026-03-13T10:05:00')
    act(conn, instantInTime, 'approve', '2026-03-13T16:00:00')
    expect([refusedLate, refusedInTime, instantLate, instantInTime].map(c => caseRow(conn, c).acceptedLate)).toEqual([1, 0, 1, 0])
    const after = szrs(conn, '2026-03-01', '2026-04-30')
    expect(after.acceptanceDecided - before.acceptanceDecided).toBe(4)
    expect(after.acceptedLate - before.acceptedLate).toBe(2)
    expect(after.acceptanceOnTimeRate).toBe(Math.floor(((after.acceptanceDecided - after.acceptedLate) / after.acceptanceDecided) * 1e6) / 1e6)
  })

  it('counts a case accepted, returned for corrections and accepted again once, by its first acceptance', () => {
    const before = szrs(conn, '2026-03-01', '2026-04-30').acceptanceDecided
    const caseNo = receive(conn, serviceOf(conn, 'promised'), '2026-03-03T10:00:00')
    act(conn, caseNo, 'accept', '2026-03-04T10:00:00')
    act(conn, caseNo, 'return', '2026-03-05T10:00:00')
    act(conn, caseNo, 'resubmit', '2026-03-20T10:00:00')
    act(conn, caseNo, 'accept', '2026-03-30T10:00:00')
    expect(caseRow(conn, caseNo)).toMatchObject({ acceptanceDate: '2026-03-04', acceptedLate: 0 })
    expect(szrs(conn, '2026-03-01', '2026-04-30').acceptanceDecided).toBe(before + 1)
  })

  it('judges an acceptance after corrections asked for in time before it against the fresh period the resubmission gave', () => {
    const caseNo = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T15:00:00')
    act(conn, caseNo, 'return', '2026-03-03T10:00:00')
    // the notice itself, in time, is not the decision
    expect(caseRow(conn, caseNo)).toMatchObject({ acceptanceDate: null, acceptedLate: null })
    act(conn, caseNo, 'resubmit', '2026-03-16T10:00:00')
    // 5 working days from Monday 16 March: Monday 23 March
    act(conn, caseNo, 'accept', '2026-03-23T10:00:00')
    expect(caseRow(conn, caseNo)).toMatchObject({ acceptanceDate: '2026-03-23', acceptedLate: 0 })
  })

  it('counts corrections asked for only after the acceptance deadline as a late decision, which the fresh period cannot undo', () => {
    const before = szrs(conn, '2026-03-01', '2026-04-30')
    // received Monday 2 March, acceptance due 9 March; the notice of corrections comes on 12 March
    const caseNo = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T16:00:00')
    act(conn, caseNo, 'return', '2026-03-12T10:00:00')
    expect(caseRow(conn, caseNo)).toMatchObject({ acceptanceDate: '2026-03-12', acceptedLate: 1 })
    // then accepted the day after the resubmission, well within the period it gave: still one late decision
    act(conn, caseNo, 'resubmit', '2026-03-16T10:00:00')
    act(conn, caseNo, 'accept', '2026-03-17T10:00:00')
    // accepted on receipt: 15 working days from Monday 2 March (23 March), and the two working days
    // of the corrections, (12 March, 16 March], added
    expect(caseRow(conn, caseNo)).toMatchObject({ acceptanceDate: '2026-03-12', acceptedLate: 1, deadline: '2026-03-25' })
    const after = szrs(conn, '2026-03-01', '2026-04-30')
    expect(after.acceptanceDecided - before.acceptanceDecided).toBe(1)
    expect(after.acceptedLate - before.acceptedLate).toBe(1)
    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.return' AND subject = ?`).get(caseNo) as { detail: string }
    expect(JSON.parse(audit.detail)).toMatchObject({ acceptedLate: true })
  })

  it('recounts the same acceptance figures from the cases, and a rebuild by the console is audited', () => {
    expect(verifyDailyCounts(conn)).toEqual([])
    const report = szrs(conn, '2026-03-01', '2026-04-30')
    conn.sqlite.prepare('UPDATE case_daily SET acceptance_decided = 0, acceptance_late = 0').run()
    expect(verifyDailyCounts(conn).map(d => d.field)).toContain('acceptanceLate')
    rebuildDailyCounts(conn, { actorRole: 'console' })
    expect(verifyDailyCounts(conn)).toEqual([])
    expect(szrs(conn, '2026-03-01', '2026-04-30')).toEqual(report)
    const audit = conn.sqlite.prepare(`SELECT actor_role AS actorRole, detail FROM audit_log WHERE action = 'dailyCounts.rebuild'`).all() as { actorRole: string, detail: string }[]
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actorRole).toBe('console')
    expect(JSON.parse(audit[0]!.detail).corrected).toBeGreaterThan(0)
  })
})

describe('a manager supervising a case suspended after its deadline had passed', () => {
  let conn: Connection
  let lateSuspended: string
  let timelySuspended: string
  let deadline: string
  let suspendedOn: string
  let checkedOn: string

  beforeAll(() => {
    conn = freshDatabase()
    lateSuspended = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T10:00:00')
    act(conn, lateSuspended, 'accept', '2026-03-03T09:00:00')
    deadline = caseRow(conn, lateSuspended).deadline
    // two working days past the deadline the clerk suspends it; the manager looks the working day after
    suspendedOn = addWorkingDays(deadline, 2, defaultCalendar)
    checkedOn = addWorkingDays(suspendedOn, 1, defaultCalendar)
    act(conn, lateSuspended, 'suspend', `${suspendedOn}T10:00:00`)
    // accepted the same day but suspended the next day, in time: its clock stopped by law
    timelySuspended = receive(conn, serviceOf(conn, 'promised'), '2026-03-02T10:30:00')
    act(conn, timelySuspended, 'accept', '2026-03-03T09:30:00')
    act(conn, timelySuspended, 'suspend', '2026-03-04T10:00:00')
  })

  it('still lists it as overdue, marked as suspended, with the delay it had when its clock stopped', () => {
    const s = supervision(conn, {}, at(`${checkedOn}T10:00:00`))
    expect(s.overdue.total).toBe(1)
    expect(s.overdue.items).toEqual([expect.objectContaining({
      caseNo: lateSuspended, status: 'suspended', deadline, deadlineStatus: 'overdue', suspendedSince: suspendedOn, workingDaysLeft: -2,
    })])
    expect(s.departments.find(d => d.code === 'SZRS')!.openOverdue).toBe(1)
    expect(s.cases.map(c => c.caseNo)).toEqual([lateSuspended])
  })

  it('counts it in the report\'s open overdue cases, and not the case suspended in time', () => {
    const r = onlineRateReport(conn, { from: '2026-03-01', to: '2026-03-31' }, null, at(`${checkedOn}T10:00:00`))
    expect(r.cases.openOverdue).toBe(1)
    expect(r.byDepartment.find(d => d.code === 'SZRS')!.cases.openOverdue).toBe(1)
    expect(supervision(conn, {}, at(`${checkedOn}T10:00:00`)).overdue.items.map(c => c.caseNo)).not.toContain(timelySuspended)
  })

  it('flags it overdue in the clerk\'s queue and on the case page too, and not the case suspended in time', () => {
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk' as const, departmentCode: 'SZRS' }
    const queue = listCases(conn, clerk, { status: 'suspended', page: 1, pageSize: 20 }, at(`${checkedOn}T10:00:00`)).items
    expect(queue.find(c => c.caseNo === lateSuspended)).toMatchObject({ overdue: true })
    expect(queue.find(c => c.caseNo === timelySuspended)).toMatchObject({ overdue: false })
    expect(queue.every(c => !('suspendedSince' in c))).toBe(true)
    const page = findVisibleCase(conn, lateSuspended, clerk)!
    expect(caseDetail(conn, page, clerk, at(`${checkedOn}T10:00:00`))).toMatchObject({ overdue: true, deadlineStatus: 'overdue' })
  })
})

describe('the working days left of an overdue case', () => {
  it('is at least one overdue on the weekend after a Friday deadline, never -0 or 0', () => {
    const cal = defaultCalendar
    expect(workingDaysLeft('2026-03-13', '2026-03-13', cal)).toBe(0)
    expect(Object.is(workingDaysLeft('2026-03-13', '2026-03-13', cal), 0)).toBe(true)
    expect(workingDaysLeft('2026-03-13', '2026-03-14', cal)).toBe(-1)
    expect(workingDaysLeft('2026-03-13', '2026-03-15', cal)).toBe(-1)
    expect(workingDaysLeft('2026-03-13', '2026-03-16', cal)).toBe(-1)
    expect(workingDaysLeft('2026-03-13', '2026-03-17', cal)).toBe(-2)
    expect(workingDaysLeft('2026-03-11', '2026-03-13', cal)).toBe(-2)
    expect(workingDaysLeft('2026-03-13', '2026-03-11', cal)).toBe(2)
  })

  it('reaches the page as -1, not "0 left", for a case due Friday 13 March seen on Saturday', () => {
    const conn = freshDatabase()
    const caseNo = receive(conn, serviceOf(conn, 'promised'), '2026-03-06T10:00:00')
    expect(caseRow(conn, caseNo).deadline).toBe('2026-03-13')
    const s = supervision(conn, {}, at('2026-03-14T10:00:00'))
    expect(s.overdue.items).toEqual([expect.objectContaining({ caseNo, deadlineStatus: 'overdue', workingDaysLeft: -1, suspendedSince: null })])
    expect(JSON.stringify(s)).not.toMatch(/:-0[,}]/)
  })
})

describe('the handling days of completed cases after a holiday is entered later', () => {
  it('recount to what was fixed at completion, so verify finds no difference', () => {
    const conn = freshDatabase()
    const caseNo = receive(conn, serviceOf(conn, 'promised'), '2026-03-16T10:00:00')
    act(conn, caseNo, 'accept', '2026-03-17T10:00:00')
    act(conn, caseNo, 'approve', '2026-03-24T10:00:00')
    expect(caseRow(conn, caseNo).handlingDays).toBe(6)
    try {
      conn.sqlite.prepare(`INSERT INTO calendar_days (date, kind, note) VALUES ('2026-03-20', 'holiday', 'entered later')`).run()
      invalidateCalendar()
      expect(verifyDailyCounts(conn)).toEqual([])
      expect(onlineRateReport(conn, { from: '2026-03-01', to: '2026-03-31' }, 'SZRS').cases.averageHandlingDays).toBe(6)
    }
    finally {
      invalidateCalendar()
    }
  })
})

describe('migration 0018 on cases decided before it', () => {
  /** The migration's hand-written backfill, as the migrator runs it. */
  const BACKFILL = readFileSync('db/migrations/0018_acceptance_time_limits.sql', 'utf8')
    .split('--> statement-breakpoint')
    .filter(s => !/ALTER TABLE/.test(s))

  it('gives them the acceptance day, lateness and handling days the workflow gives cases now', () => {
    const conn = freshDatabase()
    const scenario: [string, [Action, string][]][] = [
      ['promised', [['accept', '2026-03-31T09:00:00'], ['approve', '2026-04-01T10:00:00']]],
      ['promised', [['accept', '2026-03-05T09:00:00'], ['suspend', '2026-03-06T09:00:00'], ['resume', '2026-03-12T09:00:00'], ['reject', '2026-03-20T09:00:00']]],
      ['promised', [['return', '2026-03-03T09:00:00'], ['resubmit', '2026-03-16T09:00:00'], ['accept', '2026-03-24T09:00:00']]],
      ['promised', [['accept', '2026-03-04T09:00:00'], ['return', '2026-03-05T09:00:00'], ['resubmit', '2026-03-20T10:00:00'], ['accept', '2026-03-30T10:00:00']]],
      // a refusal after the acceptance deadline (6 March) is no longer possible; accepted late instead
      ['promised', [['accept', '2026-03-12T09:00:00']]],
      ['promised', [['refuse', '2026-03-04T00:30:00']]],
      ['instant', [['approve', '2026-03-02T16:00:00']]],
      ['instant', [['approve', '2026-02-27T16:00:00']]],
      ['promised', []],
    ]
    const cases = scenario.map(([type, steps]) => {
      const caseNo = receive(conn, serviceOf(conn, type as 'promised' | 'instant'), '2026-02-27T15:00:00')
      for (const [action, local] of steps) act(conn, caseNo, action, local)
      return caseNo
    })
    const written = cases.map(c => caseRow(conn, c))
    const daily = conn.sqlite.prepare('SELECT day, department_code, acceptance_decided, acceptance_late FROM case_daily ORDER BY day, department_code').all()
    expect(written.filter(w => w.acceptedLate === 1).length).toBeGreaterThan(0)

    // as the rows were before the migration
    conn.sqlite.prepare('UPDATE cases SET acceptance_date = NULL, accepted_late = NULL, handling_days = NULL').run()
    conn.sqlite.prepare('UPDATE case_daily SET acceptance_decided = 0, acceptance_late = 0').run()
    for (const statement of BACKFILL) conn.sqlite.exec(statement)

    expect(cases.map(c => caseRow(conn, c))).toEqual(written)
    expect(conn.sqlite.prepare('SELECT day, department_code, acceptance_decided, acceptance_late FROM case_daily ORDER BY day, department_code').all()).toEqual(daily)
    expect(verifyDailyCounts(conn)).toEqual([])
  })
})

describe('npm run db:counts on the portal\'s database', () => {
  let root: string
  beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'portal-db-counts-')) })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['db:counts']!
  function run(file: string, args: string[] = []) {
    const [tsx, ...command] = script.split(' ')
    expect(tsx).toBe('tsx')
    return spawnSync(process.execPath, ['--import', 'tsx', ...command, ...args], { env: { ...process.env, DATABASE_URL: `file:${file}` }, encoding: 'utf8' })
  }

  it('lists the differences after an import wrote cases past the counts, and rebuilds them in one audited step', () => {
    const file = join(root, 'portal.db')
    const conn = openDatabase(`file:${file}`)
    applyMigrations(conn, 'db/migrations')
    seedCatalogue(conn)
    // a case imported without the workflow: in cases, not in case_daily
    const code = serviceOf(conn, 'promised')
    conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_name, applicant_id_number, channel, status, process_type, answers, received_date, submitted_at, deadline)
      VALUES ('SZ20260302000001', ?, 'SZRS', '张晓明', '440305199003072319', 'online', 'submitted', 'promised', '{}', '2026-03-02', '2026-03-02T02:00:00.000Z', '2026-03-09')`).run(code)
    conn.sqlite.close()

    const verify = run(file)
    expect(verify.status, verify.stderr).toBe(1)
    expect(verify.stdout).toContain('2026-03-02 SZRS received: cases say 1, case_daily holds 0')

    const rebuild = run(file, ['--rebuild'])
    expect(rebuild.status, rebuild.stderr).toBe(0)
    expect(rebuild.stdout).toMatch(/rebuilt/)
    expect(run(file).status).toBe(0)

    const db = new Database(file, { readonly: true })
    const audit = db.prepare(`SELECT actor_role AS actorRole, detail FROM audit_log WHERE action = 'dailyCounts.rebuild'`).all() as { actorRole: string, detail: string }[]
    db.close()
    expect(audit.map(a => [a.actorRole, JSON.parse(a.detail).corrected])).toEqual([['console', 2]])
    const check = openDatabase(`file:${file}`)
    try { expect(verifyAuditChain(check).firstBadId).toBeNull() }
    finally { check.sqlite.close() }
  })

  it('refuses an argument it does not know', () => {
    const result = run(join(root, 'none.db'), ['--rebuld'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('usage: npm run db:counts')
  })
})
