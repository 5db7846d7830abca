/**
 * The lists of cases read what a page needs, not the whole table: a manager's newest cases by
 * walking the case numbers backwards, a search by the primary key's range of a case-number
 * prefix, a clerk's open queue through the open cases only. And they list the same cases, in
 * the same order and with the same totals, as the plain queries they replaced.
 *
 * And a clerk's open queue is headed by the cases whose clock runs: one waiting on the applicant's
 * corrections or suspended comes after them, and says its clock is stopped instead of showing a
 * deadline it cannot miss yet.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { DEMO_CLERK2_DEPARTMENT, DEMO_CLERK_DEPARTMENT } from '../../db/seed/demo'
import { receiveCase } from '../../server/services/case-intake'
import { caseNoRange, listCases, OPEN_STATUSES } from '../../server/services/case-queries'
import type { CaseListFilter } from '../../server/services/case-queries'
import type { CaseViewer } from '../../server/services/case-views'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { at, receiveCounterCase } from '../support/calendar-cases'
import { freshDatabase, userIdOf } from '../support/db'
import { plansOf } from '../support/plans'

const PEOPLE = [
  { username: 'citizen', name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
  { username: 'citizen2', name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' },
]
/** Working days in two weeks of November 2026, Shanghai time. */
const DAYS = ['2026-11-02', '2026-11-03', '2026-11-05', '2026-11-23', '2026-11-24', '2026-11-26']

let conn: Connection
let manager: CaseViewer, clerk: CaseViewer, clerk2: CaseViewer, citizen: CaseViewer

/** Ten cases a day for each of two departments, some accepted (a new deadline), refused, decided, suspended or returned for corrections. */
function fillHistory(): void {
  const servicesOf = (dept: string) => (conn.sqlite.prepare(`SELECT code FROM services WHERE department_code = ? AND status = 'published' ORDER BY process_type DESC, code LIMIT 3`)
    .all(dept) as { code: string }[]).map(r => r.code)
  const depts = [{ clerk, services: servicesOf(DEMO_CLERK_DEPARTMENT) }, { clerk: clerk2, services: servicesOf(DEMO_CLERK2_DEPARTMENT) }]
  let i = 0
  for (const day of DAYS) {
    for (let slot = 0; slot < 20; slot++, i++) {
      const dept = depts[slot % 2]!
      const person = PEOPLE[slot % 3 === 0 ? 1 : 0]!
      const userId = userIdOf(conn, person.username)
      const now = new Date(`${day}T${String(9 + Math.floor(slot / 3)).padStart(2, '0')}:${String((slot % 3) * 17).padStart(2, '0')}:00+08:00`)
      const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
        serviceCode: dept.services[i % dept.services.length]!, channel: 'online', formVersionId: null,
        applicant: { userId, name: person.name, idNumber: person.idNumber, mobile: person.mobile }, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
      }, now))
      const act = (action: TransitionInput['action'], version: number, comment?: string) => applyTransition(conn, { caseNo, action, version, comment, user: dept.clerk, now })
      if (i % 7 === 3) act('refuse', 1, '不属于本部门受理范围')
      else if (i % 3 === 1 && act('accept', 1).status === 'accepted') {
        if (i % 6 === 1) act('approve', 2)
        else if (i === 4) act('suspend', 2, '等待专家鉴定')
        else if (i % 12 === 10) act('return', 2, '请补正收入证明')
      }
      else if (i % 5 === 2) act('return', 1, '请补正身份证明')
    }
  }
}

beforeAll(() => {
  conn = freshDatabase()
  manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: DEMO_CLERK_DEPARTMENT }
  clerk2 = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: DEMO_CLERK2_DEPARTMENT }
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  fillHistory()
}, 60_000)

/**
 * The list as the queries before these changes gave it: LIKE for the prefix, a manager's and a
 * citizen's cases by submission time, a clerk's by deadline, the open queue's stopped clocks
 * (returned for corrections, suspended) after the running ones.
 */
function asBefore(viewer: CaseViewer, f: Omit<CaseListFilter, 'page' | 'pageSize'>): string[] {
  const where = [viewer.role === 'clerk' ? 'department_code = :dept' : viewer.role === 'citizen' ? 'applicant_id = :id' : '1 = 1']
  if (f.status === 'open') where.push(`status IN (${OPEN_STATUSES.map(s => `'${s}'`).join(', ')})`)
  else if (f.status) where.push('status = :status')
  if (f.q) where.push('case_no LIKE :prefix')
  const stoppedLast = f.status === 'open' ? `status IN ('supplement', 'suspended'), ` : ''
  const order = viewer.role === 'clerk' ? `${stoppedLast}deadline ASC, submitted_at ASC` : 'submitted_at DESC, case_no DESC'
  return conn.sqlite.prepare(`SELECT case_no FROM cases WHERE ${where.join(' AND ')} ORDER BY ${order}`).pluck()
    .all({ dept: viewer.departmentCode, id: viewer.id, status: f.status === 'open' ? null : f.status ?? null, prefix: `${f.q?.toUpperCase()}%` }) as string[]
}

/** Every page in turn, each with the same total; the case numbers in the order listed. */
function allPages(viewer: CaseViewer, f: Omit<CaseListFilter, 'page' | 'pageSize'>, pageSize: number): { caseNos: string[], totals: number[] } {
  const caseNos: string[] = []
  const totals: number[] = []
  for (let page = 1; ; page++) {
    const list = listCases(conn, viewer, { ...f, page, pageSize })
    totals.push(list.total)
    caseNos.push(...list.items.map(c => c.caseNo))
    if (list.items.length < pageSize) return { caseNos, totals }
  }
}

function expectAsBefore(viewer: CaseViewer, f: Omit<CaseListFilter, 'page' | 'pageSize'>, pageSizes = [1, 7, 100]): void {
  const before = asBefore(viewer, f)
  for (const pageSize of pageSizes) {
    const { caseNos, totals } = allPages(viewer, f, pageSize)
    expect(caseNos, `${viewer.role} ${JSON.stringify(f)} by ${pageSize}`).toEqual(before)
    expect(new Set(totals)).toEqual(new Set([before.length]))
  }
}

const STATUSES = [undefined, 'open', 'submitted', 'supplement', 'accepted', 'suspended', 'approved', 'not_accepted', 'withdrawn'] as const

describe('the lists show the same cases in the same order as before', () => {
  it('has a history to list: both departments, all of the statuses above but a withdrawal, one suspended case', () => {
    const statuses = conn.sqlite.prepare('SELECT status, count(*) AS n FROM cases GROUP BY status').all() as { status: string, n: number }[]
    expect(Object.fromEntries(statuses.map(s => [s.status, s.n]))).toMatchObject({ suspended: 1, supplement: expect.any(Number), submitted: expect.any(Number), accepted: expect.any(Number), approved: expect.any(Number), not_accepted: expect.any(Number) })
    // returned both before acceptance (the old acceptance deadline) and after it
    expect(conn.sqlite.prepare(`SELECT count(DISTINCT accepted_at IS NULL) FROM cases WHERE status = 'supplement'`).pluck().get()).toBe(2)
    // deadlines tie within a day, so the clerk's order also rests on the submission time
    expect((conn.sqlite.prepare('SELECT count(DISTINCT deadline) AS n FROM cases').get() as { n: number }).n).toBeLessThan(DAYS.length * 3)
  })

  it('a manager pages through every case newest first, whatever the status filter, one case a page or a hundred', () => {
    // the page size and page number move a status between walking the case numbers and reading
    // the status index; paging across that change must neither skip nor repeat a case
    for (const status of STATUSES) expectAsBefore(manager, { status })
  })

  it('a clerk pages through the department\'s queue soonest deadline first, open (stopped clocks last) or any status', () => {
    for (const status of STATUSES) {
      expectAsBefore(clerk, { status })
      expectAsBefore(clerk2, { status }, [7])
    }
  })

  it('a citizen pages through their own cases newest first', () => {
    for (const status of [undefined, 'open', 'approved'] as const) expectAsBefore(citizen, { status })
  })

  it('a search by the beginning of a case number finds exactly the numbers that begin with it, in either case', () => {
    const some = asBefore(manager, {})
    const prefixes = ['S', 'sz', 'SZ2026', 'SZ202611', 'SZ2026110', 'sz20261102', 'SZ20261123', 'SZ202611230000', some[0]!, some[17]!.toLowerCase(), some.at(-1)!,
      'SZ9', 'SZ20261199', 'Z', '2026', 'SZ20261102999999']
    for (const q of prefixes) {
      for (const status of [undefined, 'open', 'submitted', 'suspended'] as const) {
        expectAsBefore(manager, { q, status }, [7, 100])
        expectAsBefore(clerk, { q, status }, [7])
      }
      expectAsBefore(citizen, { q }, [7])
    }
    expect(asBefore(manager, { q: 'SZ20261123' }).length).toBe(20)
    expect(asBefore(manager, { q: 'sz2026110' }).length).toBe(60)
  })
})

describe('a clerk\'s queue a month after a case went back to the applicant', () => {
  let db: Connection
  let szrs: CaseViewer & { departmentCode: string }
  const cases = {} as Record<'lateRunning' | 'nearAccepted' | 'fresh' | 'returned' | 'suspended' | 'suspendedLate', string>
  const REASONS: Partial<Record<TransitionInput['action'], string>> = { return: '请补正身份证明', suspend: '现场核查' }
  const act = (caseNo: string, action: TransitionInput['action'], version: number, day: string) =>
    applyTransition(db, { caseNo, action, version, comment: REASONS[action] ?? null, user: szrs, now: at(day) })
  const queue = (f: Partial<CaseListFilter> = {}) => listCases(db, szrs, { status: 'open', page: 1, pageSize: 20, ...f }, at('2026-04-03'))
  const rows = (f: Partial<CaseListFilter> = {}) => queue(f).items.map(c => [c.caseNo, c.status, c.deadlineStatus, c.overdue])

  beforeAll(() => {
    db = freshDatabase()
    szrs = { id: userIdOf(db, 'clerk'), role: 'clerk', departmentCode: DEMO_CLERK_DEPARTMENT }
    // a minute apart, so that cases due the same day keep the order they came in (submitted_at)
    let minute = 0
    const received = (day: string) => receiveCounterCase(db, szrs, new Date(at(day).getTime() + ++minute * 60_000))
    // received Mon 2 March and returned the next day: its stored deadline stays 9 March, the acceptance deadline then
    cases.returned = received('2026-03-02')
    act(cases.returned, 'return', 1, '2026-03-03')
    // accepted 2 March (due 16 March), suspended in time on the 4th, and one only on the 20th, already late
    cases.suspended = received('2026-03-02')
    act(cases.suspended, 'accept', 1, '2026-03-02')
    act(cases.suspended, 'suspend', 2, '2026-03-04')
    cases.suspendedLate = received('2026-03-02')
    act(cases.suspendedLate, 'accept', 1, '2026-03-02')
    act(cases.suspendedLate, 'suspend', 2, '2026-03-20')
    // running: never accepted (due 9 March), accepted 23 March (due Tue 7 April), received 1 April (due 9 April)
    cases.lateRunning = received('2026-03-02')
    cases.nearAccepted = received('2026-03-20')
    act(cases.nearAccepted, 'accept', 1, '2026-03-23')
    cases.fresh = received('2026-04-01')
  })

  /** The open queue on Fri 3 April: case, status, flag, overdue. */
  const expectedQueue = () => [
    [cases.lateRunning, 'submitted', 'overdue', true],
    [cases.nearAccepted, 'accepted', 'near', false],
    [cases.fresh, 'submitted', 'ok', false],
    [cases.returned, 'supplement', 'paused', false],
    [cases.suspended, 'suspended', 'paused', false],
    // suspended when already late: it stays late (as supervision counts it), its clock stopped all the same
    [cases.suspendedLate, 'suspended', 'overdue', true],
  ]

  it('lists the running cases first, soonest deadline first, then those whose clock is stopped, flagged paused', () => {
    expect(rows()).toEqual(expectedQueue())
    expect(queue().total).toBe(6)
  })

  it('pages across the turn from running to stopped clocks without skipping or repeating a case', () => {
    for (const pageSize of [1, 2, 4]) {
      const paged = [1, 2, 3, 4, 5, 6].flatMap(page => rows({ page, pageSize }))
      expect(paged, `by ${pageSize}`).toEqual(expectedQueue())
      expect(queue({ page: 2, pageSize }).total).toBe(6)
    }
  })

  it('flags the stopped clocks paused on their own tabs and on the tab of every status too', () => {
    expect(rows({ status: 'supplement' })).toEqual([[cases.returned, 'supplement', 'paused', false]])
    expect(rows({ status: 'suspended' })).toEqual([[cases.suspended, 'suspended', 'paused', false], [cases.suspendedLate, 'suspended', 'overdue', true]])
    // every status: the department's history soonest deadline first, as before
    expect(rows({ status: undefined }).map(r => r[0])).toEqual([cases.returned, cases.lateRunning, cases.suspended, cases.suspendedLate, cases.nearAccepted, cases.fresh])
    expect(rows({ status: undefined }).find(r => r[0] === cases.returned)).toEqual([cases.returned, 'supplement', 'paused', false])
  })
})

describe('a case-number prefix as a range of case numbers', () => {
  it('runs from the prefix, upper-cased, up to the prefix with its last character raised by one', () => {
    expect(caseNoRange('sz2026112')).toEqual({ lo: 'SZ2026112', hi: 'SZ2026113' })
    expect(caseNoRange('SZ20261129')).toEqual({ lo: 'SZ20261129', hi: 'SZ2026112:' })
    expect(caseNoRange('s')).toEqual({ lo: 'S', hi: 'T' })
    expect(caseNoRange('SZ')).toEqual({ lo: 'SZ', hi: 'S[' })
  })

  it('holds every string LIKE the prefix and nothing else, at the edges of digits and letters', () => {
    const strings = ['SZ2026112', 'SZ20261129', 'SZ2026112999', 'SZ202611299999999', 'SZ2026113', 'SZ2026111999999999', 'SZ202611', 'SZ2026112:', 'SZ', 'SZZ', 'SZZZ', 'S[', 'SY', 'T', 'S']
    for (const q of ['SZ2026112', 'SZ20261129', 'SZ', 'SZZ', 'S', 'SY']) {
      const { lo, hi } = caseNoRange(q)
      expect(strings.filter(s => s >= lo && s < hi), q).toEqual(strings.filter(s => s.startsWith(q)))
    }
  })

  it('refuses what the case search does not accept (LIKE wildcards, other characters)', () => {
    for (const q of ['', 'SZ%', 'SZ_1', 'SZ 2026', '办件']) expect(() => caseNoRange(q), q).toThrow(RangeError)
  })
})

/** The plan of every statement on cases that `fn` prepares. */
const casePlansOf = (db: Connection, fn: () => unknown) => plansOf(db, fn, /\bFROM cases c\b/)

const listOf = (plans: { sql: string, plan: string }[]) => plans.filter(p => /LIMIT/.test(p.sql)).map(p => p.plan)
const countOf = (plans: { sql: string, plan: string }[]) => plans.filter(p => /count\(\*\)/.test(p.sql)).map(p => p.plan)
/** A walk of the primary key in order, with no sort after it: it stops once the page is full. */
const WALK = /^SCAN c USING INDEX sqlite_autoindex_cases_1(?! \()/
const RANGE = 'SEARCH c USING INDEX sqlite_autoindex_cases_1 (case_no>? AND case_no<?)'

/**
 * What matters in every plan of a list: cases are read through an index's search, or by the
 * primary key walked in order and left as soon as the page is full; never the whole table, nor
 * a sort of every case.
 */
function expectNoWholeTable(plans: { sql: string, plan: string }[]): void {
  for (const { sql, plan } of plans) {
    const scan = /\bSCAN c\b.*/.exec(plan)?.[0]
    if (scan) {
      expect(scan, sql).toMatch(WALK)
      expect(plan, sql).not.toContain('TEMP B-TREE')
      expect(sql).toMatch(/LIMIT/)
    }
  }
}

function expectPlans(db: Connection): void {
  const plans = (viewer: CaseViewer, f: CaseListFilter) => casePlansOf(db, () => listCases(db, viewer, f))
  // a manager's page of every case: the newest case numbers, no count of the cases (the totals table)
  const all = plans(manager, { page: 3, pageSize: 20 })
  expect(listOf(all)).toEqual([expect.stringMatching(WALK)])
  expect(countOf(all)).toEqual([])
  // a common status walks the same way, skipping others; the one suspended case is read by the status index
  expect(listOf(plans(manager, { status: 'submitted', page: 1, pageSize: 20 }))).toEqual([expect.stringMatching(WALK)])
  expect(listOf(plans(manager, { status: 'suspended', page: 1, pageSize: 20 }))[0]).toMatch(/^SEARCH c USING INDEX cases_status_deadline_idx \(status=\?\)/)
  // a prefix: the range of the primary key, backwards for the manager (no sort), counted on the key alone
  const searched = plans(manager, { q: 'SZ202611', page: 1, pageSize: 20 })
  expect(listOf(searched)).toEqual([expect.stringMatching(new RegExp(`^${RANGE.replace(/[()?]/g, '\\$&')}`))])
  expect(listOf(searched)[0]).not.toContain('TEMP B-TREE')
  expect(countOf(searched)).toEqual(['SEARCH c USING COVERING INDEX sqlite_autoindex_cases_1 (case_no>? AND case_no<?)'])
  // a clerk searching one day's numbers reads that day's range, not the department's history
  for (const status of [undefined, 'open'] as const) {
    const clerkSearch = plans(clerk, { q: 'SZ20261123', status, page: 1, pageSize: 20 })
    expect([...listOf(clerkSearch), ...countOf(clerkSearch)].map(p => p.split(' | ')[0])).toEqual([RANGE, RANGE])
  }
  // a clerk's open queue: the open cases of the department by cases_dept_queue_idx, sorted (stopped clocks last, then deadline)
  const queue = plans(clerk, { status: 'open', page: 1, pageSize: 20 })
  expect(listOf(queue)[0]).toMatch(/^SEARCH c USING INDEX cases_dept_queue_idx \(department_code=\? AND status=\?\)/)
  expect(countOf(queue)).toEqual([])
  // and, whatever the filter, nothing reads every case
  for (const viewer of [manager, clerk, citizen]) {
    for (const status of STATUSES) {
      for (const q of [undefined, 'SZ', 'SZ202611', 'SZ20261123000005']) {
        for (const page of [1, 4]) expectNoWholeTable(plans(viewer, { status, q, page, pageSize: 20 }))
      }
    }
  }
}

describe('the lists read only what their page needs', () => {
  it('as the planner chooses without statistics (a database as migrated)', () => {
    expect(conn.sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).pluck().get()).toBe(0)
    expectPlans(conn)
  })

  it('and the same once the planner has statistics (ANALYZE, as PRAGMA optimize gathers them)', () => {
    const analysed = openDatabase('file::memory:', { image: conn.sqlite.serialize() })
    try {
      analysed.sqlite.exec('ANALYZE')
      expect(analysed.sqlite.prepare(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases'`).pluck().get()).toBeGreaterThan(0)
      expectPlans(analysed)
    }
    finally { analysed.sqlite.close() }
  })
})
