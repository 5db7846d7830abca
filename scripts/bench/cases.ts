/**
 * Two years of cases with their events, uploads' metadata, daily counts and case-number
 * sequences, inserted with prepared statements in transactions of 50,000 cases. case_daily is
 * summed exactly as server/services/case-intake.ts countReceived/countCompleted would have, one
 * case at a time: received on the received day, completed (approved or rejected) on the
 * completion day, on time when completed on or before the deadline.
 */
import type Database from 'better-sqlite3'
import { formatCaseNo } from '../../shared/utils/case-number'
import type { DayTable } from './calendar'
import type { Person } from './people'
import { planCase } from './plan'
import type { Plan } from './plan'
import type { Rng } from './prng'
import { weightedPicker } from './prng'

export interface CaseService { code: string, dept: string, instant: boolean, limitDays: number, formId: number | null }
export interface CaseWorld { days: DayTable, today: number, services: CaseService[], people: Person[], clerks: Map<string, number[]>, now: number }
export interface CaseCounts { cases: number, events: number, uploads: number }

const BATCH = 50_000
const UPLOAD_SHARE = 0.4
// The reason an applicant reads: the contract requires one for return, refuse and reject.
const REASONS: Record<string, string> = {
  return: '请补充清晰的身份证明材料扫描件', refuse: '申请事项不属于本部门职权范围', reject: '经审查不符合办理条件', suspend: '需现场核查，核查期间暂停计时',
}
const NOTICE = JSON.stringify({ fields: [], materials: ['身份证明材料'], comment: '请补充清晰的身份证明材料扫描件' })

class Writer {
  private readonly caseStmt: Database.Statement
  private readonly eventStmt: Database.Statement
  private readonly uploadStmt: Database.Statement
  private readonly materialStmt: Database.Statement
  readonly counts: CaseCounts = { cases: 0, events: 0, uploads: 0 }
  /** `${day}|${dept}` → [received, receivedOnline, completed, completedOnTime, handlingDays] */
  readonly daily = new Map<string, number[]>()
  readonly uses = new Map<string, number>()
  readonly sequences = new Map<string, number>()

  constructor(private readonly sqlite: Database.Database, private readonly rng: Rng, private readonly w: CaseWorld) {
    this.caseStmt = sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, form_version_id, applicant_id, applicant_name,
        applicant_id_number, applicant_mobile, channel, status, version, process_type, answers, received_date, submitted_at, deadline,
        accepted_at, completed_at, completed_date, suspended_days, suspended_since, supplement_notice, created_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`)
    this.eventStmt = sqlite.prepare(`INSERT INTO case_events (case_no, at, action, from_status, to_status, actor_id, actor_role, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.uploadStmt = sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, ?, ?, 'application/pdf', ?, ?, ?)`)
    this.materialStmt = sqlite.prepare(`INSERT INTO case_materials (case_no, upload_id, field_key, source) VALUES (?, ?, 'attachments', 'upload')`)
  }

  private caseNo(day: string): string {
    const seq = (this.sequences.get(day) ?? 0) + 1
    this.sequences.set(day, seq)
    return formatCaseNo(day, seq)
  }

  private count(day: number, dept: string, slot: number, by: number): void {
    const key = `${this.w.days.date(day)}|${dept}`
    let row = this.daily.get(key)
    if (!row) this.daily.set(key, row = [0, 0, 0, 0, 0])
    row[slot]! += by
  }

  /**
   * Office hours for clerks and counters; online submissions around the clock but the small hours.
   * Never past the day's end in Shanghai, even a few minutes after a late step before it: the day
   * of a step is the plan's (completed_date, the daily counts), and its time must fall on that day.
   */
  private timeOn(day: number, online: boolean, after = 0): number {
    const start = this.w.days.midnights[day]!
    const t = online ? start + this.rng.int(7 * 60, 23 * 60 + 30) * 60_000 : start + this.rng.int(8 * 60 + 45, 17 * 60 + 30) * 60_000
    return Math.min(Math.max(t, after + this.rng.int(2, 90) * 60_000), start + 24 * 3_600_000 - 1_000, this.w.now)
  }

  add(day: number, svc: CaseService, online: boolean, plan: Plan): void {
    const { days } = this.w
    const person = this.rng.pick(this.w.people)
    const clerks = this.w.clerks.get(svc.dept) ?? [null]
    const clerk = this.rng.pick(clerks)
    const applicantId = online || this.rng.chance(0.5) ? person.id : null
    const caseNo = this.caseNo(days.date(day))
    const times: number[] = []
    for (const s of plan.steps) times.push(this.timeOn(s.day, online && s.by === 'applicant', times.at(-1) ?? 0))
    const iso = (i: number | undefined) => i === undefined ? null : new Date(times[i]!).toISOString()
    const acceptIdx = plan.steps.findIndex(s => s.action === 'accept')
    const doneIdx = plan.completed === null ? -1 : plan.steps.length - 1
    this.caseStmt.run(caseNo, svc.code, svc.dept, svc.formId, applicantId, person.name, person.idNumber, person.mobile,
      online ? 'online' : 'counter', plan.status, plan.steps.length, svc.instant ? 'instant' : 'promised',
      JSON.stringify({ name: person.name, idNumber: person.idNumber, mobile: person.mobile }),
      days.date(day), iso(0), days.date(plan.deadline), acceptIdx < 0 ? null : iso(acceptIdx),
      doneIdx < 0 ? null : iso(doneIdx), plan.completed === null ? null : days.date(plan.completed),
      // suspended_since is the day the clock stopped (the suspension, or the return for
      // corrections), as transitions.ts writes it, not its instant
      plan.status === 'suspended' || plan.status === 'supplement' ? days.date(plan.steps.at(-1)!.day) : null, plan.status === 'supplement' ? NOTICE : null,
      online ? person.id : clerk)
    plan.steps.forEach((s, i) => {
      const applicant = s.by === 'applicant'
      this.eventStmt.run(caseNo, iso(i), s.action, s.from, s.to, applicant ? (online ? person.id : clerk) : clerk, applicant && online ? 'citizen' : 'clerk', REASONS[s.action] ?? null)
    })
    this.counts.events += plan.steps.length
    if (online && this.rng.chance(UPLOAD_SHARE)) this.addUpload(caseNo, person.id, iso(0)!)
    this.count(day, svc.dept, 0, 1)
    if (online) this.count(day, svc.dept, 1, 1)
    if (plan.completed !== null) {
      this.count(plan.completed, svc.dept, 2, 1)
      if (plan.completed <= plan.deadline) this.count(plan.completed, svc.dept, 3, 1)
      this.count(plan.completed, svc.dept, 4, days.workingBetween(day, plan.completed))
    }
    this.uses.set(svc.code, (this.uses.get(svc.code) ?? 0) + 1)
    this.counts.cases++
  }

  private addUpload(caseNo: string, ownerId: number, at: string): void {
    const h = this.rng.hex(32)
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
    this.uploadStmt.run(id, ownerId, '身份证明材料.pdf', this.rng.int(40_000, 3_000_000), this.rng.hex(64), `${id}.pdf`, at)
    this.materialStmt.run(caseNo, id)
    this.counts.uploads++
  }

  /** Writes the day counts, the case-number sequences and the items' use counts. */
  finish(): number {
    const daily = this.sqlite.prepare(`INSERT INTO case_daily (day, department_code, received, received_online, completed, completed_on_time, handling_days)
      VALUES (?, ?, ?, ?, ?, ?, ?)`)
    const seq = this.sqlite.prepare('INSERT INTO case_sequences (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = max(last, excluded.last)')
    const use = this.sqlite.prepare('UPDATE services SET use_count = use_count + ? WHERE code = ?')
    this.sqlite.transaction(() => {
      for (const [key, r] of this.daily) daily.run(...key.split('|'), ...r)
      for (const [day, last] of this.sequences) seq.run(day, last)
      for (const [code, n] of this.uses) use.run(n, code)
    })()
    return this.daily.size
  }
}

/** How many cases each day receives: weekdays busier than weekends, volume growing over time. */
function casesPerDay(days: DayTable, today: number, total: number): number[] {
  const weights = Array.from({ length: today + 1 }, (_, i) => (days.isWorking(i) ? 1 : 0.2) * (0.8 + 0.4 * i / today))
  const sum = weights.reduce((a, b) => a + b, 0)
  let acc = 0
  let given = 0
  return weights.map((w) => {
    acc += w
    const upTo = Math.round(total * acc / sum)
    const n = upTo - given
    given = upTo
    return n
  })
}

/**
 * Generates `total` cases up to `today`; the last `backlog` of them are online applications to the
 * demo clerk's department, still waiting for acceptance, for the transition benchmark.
 */
export function insertCases(sqlite: Database.Database, rng: Rng, w: CaseWorld, total: number, backlog: { dept: string, count: number }): { counts: CaseCounts, dailyRows: number } {
  const writer = new Writer(sqlite, rng, w)
  const pick = weightedPicker(w.services.map((_, i) => 1 / (i + 1) ** 0.9), rng)
  const perDay = casesPerDay(w.days, w.today, total - backlog.count)
  const waiting = w.services.filter(s => s.dept === backlog.dept && !s.instant && s.formId !== null)
  if (backlog.count && !waiting.length) throw new Error(`no promised item with a form in ${backlog.dept}`)
  const lastWorking = [...Array(w.today + 1).keys()].filter(i => w.days.isWorking(i)).slice(-3)
  let open = false
  for (let day = 0; day <= w.today; day++) {
    const extra = lastWorking.includes(day) ? Math.floor(backlog.count / 3) + (day === lastWorking.at(-1) ? backlog.count % 3 : 0) : 0
    const onlineShare = 0.72 + 0.18 * day / w.today
    for (let k = 0; k < perDay[day]! + extra; k++) {
      if (!open) { sqlite.exec('BEGIN'); open = true }
      if (k >= perDay[day]!) {
        const svc = rng.pick(waiting)
        writer.add(day, svc, true, { steps: [{ day, action: 'submit', from: null, to: 'submitted', by: 'applicant' }], status: 'submitted', deadline: w.days.addWorking(day, 5), accepted: null, completed: null })
      }
      else {
        const svc = w.services[pick()]!
        writer.add(day, svc, svc.formId !== null && (!w.days.isWorking(day) || rng.chance(onlineShare)), planCase(rng, day, w.today, svc, w.days))
      }
      if (writer.counts.cases % BATCH === 0) { sqlite.exec('COMMIT'); open = false }
    }
  }
  if (open) sqlite.exec('COMMIT')
  return { counts: writer.counts, dailyRows: writer.finish() }
}
