/**
 * Demo mode (PORTAL_DEMO=1) only: a year and more of cases, so a newcomer finds a dashboard worth
 * reading. Every case goes through the real code paths (receiveCase, applyTransition, rateCase)
 * at past instants, in the order things happened, so the daily counts, events, audit rows and
 * notices are exactly what live use would have produced: a person's second ID card or renewed
 * driving licence revokes the earlier one as it is issued (result-issue.ts, supersedeEarlier), which is
 * why the steps run in time order and never a licence is issued out of it. Deterministic for a
 * seed and a `now`.
 */
import type { Connection } from '../client'
import { writeTransaction } from '../client'
import type { FormDefinition } from '../../shared/types/catalogue'
import { intakeDefinition } from '../../shared/utils/form-schema'
import { makeIdNumber } from '../../shared/utils/id-number'
import { makeUscc } from '../../shared/utils/uscc'
import { demoText } from './demo-answers'
import { seedLegalEntities } from './legal-entities'
import type { Action } from '../../shared/utils/workflow'
import { addDays, addWorkingDays, isWorkingDay, shanghaiDateOf } from '../../shared/utils/working-days'
import { receiveCase } from '../../server/services/case-intake'
import { loadCalendar } from '../../server/services/calendar'
import { rateCase } from '../../server/services/ratings'
import { applyTransition } from '../../server/services/transitions'

export interface DemoHistoryOptions { months?: number, seed?: number, now?: Date }

/** mulberry32: a small seeded generator, so the same seed always gives the same history. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rng = () => number
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1))

/** `organization`: the company a person with an account manages, for the items organisations apply for */
interface Person { userId: number | null, name: string, idNumber: string, mobile: string, organization?: { id: number, name: string, uscc: string } }
interface Staff { id: number, role: 'clerk', departmentCode: string }
interface Service { code: string, departmentCode: string, audience: 'person' | 'organization' | 'both', processType: 'instant' | 'promised', limit: number, formVersionId: number | null, definition: string | null }

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '梁']
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '晓东', '丽君', '志强', '海燕', '子涵', '浩然']
const TRADES = ['科技', '贸易', '物流', '餐饮管理', '电子', '建筑工程', '文化传播', '医疗器械']
const AREAS = ['440303', '440304', '440305', '440306', '440307', '440308', '440309', '440310']
// not a password hash: verifyPassword refuses it, so these demo people cannot sign in
const NO_SIGN_IN = 'demo-history-no-sign-in'

function makePerson(rng: Rng, n: number): Omit<Person, 'userId'> {
  const birth = `${between(rng, 1960, 2003)}${String(between(rng, 1, 12)).padStart(2, '0')}${String(between(rng, 1, 28)).padStart(2, '0')}`
  const idNumber = makeIdNumber(`${pick(rng, AREAS)}${birth}${String(100 + (n % 900)).padStart(3, '0')}`)
  const mobile = `1${pick(rng, ['35', '36', '37', '38', '39', '50', '58', '86', '88', '89'])}${String(between(rng, 0, 99_999_999)).padStart(8, '0')}`
  return { name: pick(rng, SURNAMES) + pick(rng, GIVEN), idNumber, mobile }
}

/** Applicants: the two demo citizens, people with accounts (online), people without (counter). */
function makePeople(conn: Connection, rng: Rng): { online: Person[], counter: Person[], demo: Person[] } {
  const demo = conn.sqlite.prepare(`SELECT id AS userId, name, id_number AS idNumber, mobile FROM users WHERE username IN ('citizen', 'citizen2') ORDER BY username`).all() as Person[]
  const insert = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile) VALUES (?, ?, 'citizen', ?, ?, ?)`)
  const addOrganization = conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)')
  const online: Person[] = []
  for (let i = 1; i <= 40; i++) {
    const p = makePerson(rng, i)
    const id = Number(insert.run(`demo-person-${String(i).padStart(2, '0')}`, NO_SIGN_IN, p.name, p.idNumber, p.mobile).lastInsertRowid)
    // each runs a small company (from the index, not the generator, so the rest of the history stays the same)
    const organization = { name: `深圳市${p.name.slice(0, 1)}氏${TRADES[i % TRADES.length]}有限公司`, uscc: makeUscc(`91440300MA5${String(100000 + i)}`) }
    const orgId = Number(addOrganization.run(id, organization.name, organization.uscc).lastInsertRowid)
    online.push({ ...p, userId: id, organization: { id: orgId, ...organization } })
  }
  // their companies are in the city's legal-entity data with them as legal representatives
  seedLegalEntities(conn, online.map(p => ({ uscc: p.organization!.uscc, name: p.organization!.name, legalRepresentative: p.name, representativeIdNumber: p.idNumber, status: 'active', statusDate: null })))
  const counter = Array.from({ length: 80 }, (_, i) => ({ ...makePerson(rng, 100 + i), userId: null }))
  return { online, counter, demo }
}

/** One clerk per department: the demo clerks where they exist, a history-only one elsewhere. */
function makeStaff(conn: Connection): Map<string, Staff> {
  const staff = new Map<string, Staff>()
  const existing = conn.sqlite.prepare(`SELECT id, department_code AS dept FROM users WHERE role = 'clerk' AND department_code IS NOT NULL ORDER BY id`).all() as { id: number, dept: string }[]
  for (const s of existing) if (!staff.has(s.dept)) staff.set(s.dept, { id: s.id, role: 'clerk', departmentCode: s.dept })
  const insert = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES (?, ?, 'clerk', ?, '历史演示受理员')`)
  for (const { code } of conn.sqlite.prepare('SELECT code FROM departments ORDER BY code').all() as { code: string }[]) {
    if (staff.has(code)) continue
    const id = Number(insert.run(`demo-staff-${code.toLowerCase()}`, NO_SIGN_IN, code).lastInsertRowid)
    staff.set(code, { id, role: 'clerk', departmentCode: code })
  }
  return staff
}

/** The heads of department among the demo accounts (only they extend a time limit), by department. */
function departmentHeads(conn: Connection): Map<string, Staff> {
  const rows = conn.sqlite.prepare(`SELECT id, department_code AS dept FROM users WHERE role = 'clerk' AND department_head = 1 AND department_code IS NOT NULL ORDER BY id`).all() as { id: number, dept: string }[]
  return new Map(rows.map(r => [r.dept, { id: r.id, role: 'clerk', departmentCode: r.dept }]))
}

/** Plausible answers for a form, so a demo case reads like a real one. */
function demoAnswers(def: FormDefinition | null, person: Person, day: string, rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of def?.fields ?? []) {
    if (f.showIf && out[f.showIf.field] !== f.showIf.equals) continue
    if (f.prefill === 'orgName') out[f.key] = person.organization?.name ?? `深圳市${person.name.slice(0, 1)}氏${TRADES[0]}有限公司`
    else if (f.prefill === 'name' || (f.type === 'text' && /^(applicant|contact)?name$/i.test(f.key))) out[f.key] = person.name
    else if (f.type === 'idNumber') out[f.key] = person.idNumber
    else if (f.type === 'mobile') out[f.key] = person.mobile
    else if (f.type === 'email') out[f.key] = `person${between(rng, 100, 999)}@example.com`
    else if (f.type === 'uscc') out[f.key] = makeUscc(`91440300MA5${String(between(rng, 100000, 999999))}`)
    else if (f.type === 'select' || f.type === 'radio') out[f.key] = f.options?.[0]?.value ?? ''
    else if (f.type === 'number') out[f.key] = f.min ?? 1
    else if (f.type === 'date') out[f.key] = day
    else if (f.type === 'checkbox') out[f.key] = true
    else if (f.type === 'file') out[f.key] = []
    // no draw: the generator's sequence, and so the rest of the history, stays as it was
    else if (f.type === 'bankAccount') out[f.key] = '6222021234567890123'
    else out[f.key] = demoText(f)
    // after the draw above, so that the generator's sequence (and the rest of the history) stays as it was
    if (f.prefill === 'orgCode' && person.organization) out[f.key] = person.organization.uscc
  }
  return out
}

/**
 * The organisation a counter case for an organisations-only item names, as counter intake requires
 * (intakeDefinition: the form's own name and code fields, else the two it adds, a valid USCC), so
 * that its licence goes to the company and not to the person at the counter. Drawn from the person,
 * not the generator, whose sequence (and with it the rest of the history) stays as it was.
 */
function counterOrganisation(def: FormDefinition | null, person: Person): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of intakeDefinition(def ?? { version: 1, fields: [] }, 'counter', 'organization').fields) {
    if (f.prefill === 'orgName') out[f.key] = `深圳市${person.name.slice(0, 1)}氏${TRADES[0]}有限公司`
    if (f.prefill === 'orgCode') out[f.key] = makeUscc(`91440300MA5${person.idNumber.slice(-7, -1)}`)
  }
  return out
}

/** A step of the history: a receipt, a workflow action or a rating, at an instant. */
interface Step { at: number, caseIdx: number, kind: 'receive' | Action | 'rate', comment?: string, score?: number, days?: number }
interface PlannedCase { service: Service, channel: 'online' | 'counter', person: Person, receivedAt: number, version: number, caseNo?: string }

const HOUR = 3_600_000
/** An instant on a Shanghai day, between 09:00 and 17:00 local time. */
const during = (rng: Rng, day: string) => Date.parse(`${day}T09:00:00+08:00`) + Math.floor(rng() * 8 * HOUR)
/** A working day a few working days after `day` (counters and clerks work on working days). */
const later = (day: string, n: number, cal: ReturnType<typeof loadCalendar>) => addWorkingDays(day, n, cal)
/** A late completion comes 1 to 6 working days past the deadline: an extension this long covers most. */
const DEMO_EXTENSION_DAYS = 6

/**
 * What happens to one case after receipt: acceptance, maybe a return for supplement and a
 * resubmission, approval or rejection on time or late, sometimes a refusal or a withdrawal,
 * and a rating now and then. `lateShare` falls over the months as the departments improve.
 */
function planCase(rng: Rng, c: PlannedCase, idx: number, lateShare: number, cal: ReturnType<typeof loadCalendar>, heads: Map<string, Staff>): Step[] {
  const steps: Step[] = [{ at: c.receivedAt, caseIdx: idx, kind: 'receive' }]
  let t = c.receivedAt
  let day = shanghaiDateOf(new Date(t))
  const push = (kind: Step['kind'], nextDay: string, extra: Partial<Step> = {}) => {
    t = Math.max(t + 10 * 60_000, during(rng, nextDay))
    day = shanghaiDateOf(new Date(t))
    steps.push({ at: t, caseIdx: idx, kind, ...extra })
  }
  const applicantActs = c.person.userId !== null && c.channel === 'online'
  const r = rng()
  if (c.service.processType === 'instant') {
    if (r < 0.06) push('refuse', day, { comment: '申请材料不符合受理条件' })
    else push('approve', day)
    return withRating(rng, c, steps, idx, t)
  }
  if (r < 0.04) { push('refuse', later(day, between(rng, 1, 3), cal), { comment: '不属于本部门受理范围' }); return steps }
  if (r < 0.07 && applicantActs) { push('withdraw', addDays(day, between(rng, 0, 2))); return steps }
  if (r < 0.16 && applicantActs) {
    push('return', later(day, between(rng, 1, 2), cal), { comment: '请补充身份证明材料的清晰扫描件' })
    if (applicantActs && rng() < 0.1) { push('withdraw', addDays(day, between(rng, 1, 4))); return steps }
    push('resubmit', addDays(day, between(rng, 1, 5)))
  }
  push('accept', later(day, between(rng, 0, 3), cal))
  if (rng() < 0.03) return steps // left open: overdue once its deadline passes
  const deadline = addWorkingDays(day, c.service.limit, cal)
  const late = rng() < lateShare
  const completion = late ? addWorkingDays(deadline, between(rng, 1, 6), cal) : later(day, between(rng, 0, Math.max(0, c.service.limit - 1)), cal)
  // one late case in two of a department with a head has its limit extended by the head an hour
  // after acceptance (行政许可法 第四十二条), so supervision has completions reached by extending to
  // show; chosen without the generator, so the rest of the history stays the same
  if (late && heads.has(c.service.departmentCode) && idx % 2 === 0) steps.push({ at: t + HOUR, caseIdx: idx, kind: 'extend', days: DEMO_EXTENSION_DAYS, comment: '需组织专家评审，报经负责人批准延长办理期限' })
  if (rng() < 0.08) push('reject', completion, { comment: '经审查，申请不符合法定条件' })
  else push('approve', completion)
  return withRating(rng, c, steps, idx, t)
}

function withRating(rng: Rng, c: PlannedCase, steps: Step[], idx: number, t: number): Step[] {
  const last = steps[steps.length - 1]!.kind
  if (c.person.userId === null || c.channel !== 'online' || (last !== 'approve' && last !== 'reject') || rng() >= 0.45) return steps
  const x = rng()
  const score = x < 0.55 ? 5 : x < 0.8 ? 4 : x < 0.9 ? 3 : x < 0.96 ? 2 : 1
  steps.push({ at: t + between(rng, 1, 72) * HOUR, caseIdx: idx, kind: 'rate', score })
  return steps
}

function loadServices(conn: Connection): Service[] {
  return conn.sqlite.prepare(`SELECT s.code, s.department_code AS departmentCode, s.audience, s.process_type AS processType,
      CASE WHEN s.promised_limit_days > 0 THEN s.promised_limit_days ELSE s.legal_limit_days END AS "limit",
      CASE WHEN s.online_depth >= 3 THEN s.form_version_id END AS formVersionId, fv.definition
    FROM services s LEFT JOIN form_versions fv ON fv.id = s.form_version_id
    WHERE s.status = 'published' ORDER BY s.code`).all() as Service[]
}

/** Cases received in one month, with the online share of that month. */
function planMonth(rng: Rng, ctx: { services: Service[], online: Service[], people: ReturnType<typeof makePeople>, cal: ReturnType<typeof loadCalendar> },
  month: string, onlineShare: number, now: number, perMonth: number): PlannedCase[] {
  const out: PlannedCase[] = []
  const today = shanghaiDateOf(new Date(now))
  const days: string[] = []
  for (let d = `${month}-01`; d.startsWith(month) && d <= today; d = addDays(d, 1)) days.push(d)
  if (!days.length) return out
  const workdays = days.filter(d => isWorkingDay(d, ctx.cal))
  const n = Math.round(perMonth * days.length / 30)
  for (let i = 0; i < n; i++) {
    const channel = rng() < onlineShare ? 'online' : 'counter'
    const service = pick(rng, channel === 'online' ? ctx.online : ctx.services)
    // counters open on working days; online applications come in any day, evenings included
    const day = channel === 'counter' && workdays.length ? pick(rng, workdays) : pick(rng, days)
    const receivedAt = channel === 'online' ? Date.parse(`${day}T07:00:00+08:00`) + Math.floor(rng() * 16 * HOUR) : during(rng, day)
    if (receivedAt > now) continue
    let person = channel === 'counter' ? pick(rng, ctx.people.counter) : rng() < 0.12 ? pick(rng, ctx.people.demo) : pick(rng, ctx.people.online)
    // online, an item for organisations is applied for by someone who runs one (the demo citizens do not);
    // chosen without the generator, so the rest of the history stays the same
    if (channel === 'online' && service.audience === 'organization' && !person.organization) person = ctx.people.online[out.length % ctx.people.online.length]!
    out.push({ service, channel, person, receivedAt, version: 1 })
  }
  return out
}

function runStep(conn: Connection, step: Step, c: PlannedCase, staff: Map<string, Staff>, heads: Map<string, Staff>, rng: Rng): void {
  const now = new Date(step.at)
  const applicant = { id: c.person.userId ?? 0, role: 'citizen', departmentCode: null }
  if (step.kind === 'receive') {
    const clerk = staff.get(c.service.departmentCode)!
    const definition = c.service.definition ? JSON.parse(c.service.definition) as FormDefinition : null
    c.caseNo = receiveCase(conn, {
      serviceCode: c.service.code, channel: c.channel, formVersionId: c.service.formVersionId,
      // an item for organisations, applied for online by someone who manages one, is the organisation's case
      applicant: { userId: c.person.userId, organizationId: c.channel === 'online' && c.service.audience === 'organization' ? c.person.organization?.id ?? null : null, name: c.person.name, idNumber: c.person.idNumber, mobile: c.person.mobile },
      answers: {
        ...demoAnswers(definition, c.person, shanghaiDateOf(now), rng),
        ...(c.channel === 'counter' && c.service.audience === 'organization' ? counterOrganisation(definition, c.person) : {}),
      },
      materials: [],
      actor: c.channel === 'counter' ? { id: clerk.id, role: 'clerk' } : { id: c.person.userId!, role: 'citizen' },
    }, now).caseNo
    return
  }
  if (step.kind === 'rate') {
    rateCase(conn, c.caseNo!, applicant, { score: step.score!, indicators: { satisfaction: step.score!, efficiency: Math.max(1, step.score! - between(rng, 0, 1)) } }, null, now)
    return
  }
  const byApplicant = step.kind === 'resubmit' || step.kind === 'withdraw'
  const user = byApplicant ? applicant : step.kind === 'extend' ? heads.get(c.service.departmentCode)! : staff.get(c.service.departmentCode)!
  applyTransition(conn, {
    caseNo: c.caseNo!, action: step.kind, comment: step.comment ?? null, days: step.days, version: c.version, user, now,
    supplement: step.kind === 'return' ? { fields: [], materials: [] } : undefined,
  })
  c.version += 1
}

/**
 * Runs `fn` with each SQL text prepared once. The services prepare their statements on every
 * call, which is nothing for one request but most of the time of thousands of cases in a row.
 */
function withStatementCache<T>(conn: Connection, fn: () => T): T {
  const db = conn.sqlite
  const original = db.prepare
  const cache = new Map<string, ReturnType<typeof original>>()
  db.prepare = ((source: string) => {
    let statement = cache.get(source)
    if (!statement) cache.set(source, statement = original.call(db, source))
    return statement
  }) as typeof original
  try {
    return fn()
  }
  finally {
    Reflect.deleteProperty(db, 'prepare')
  }
}

/**
 * Seeds `months` months of history up to `now` (about 190 cases a month), the online share
 * rising from 60% to 93%, late completions falling from 15% to 4%. Call on a database with the
 * catalogue and the demo accounts and no cases yet. Returns how many cases it created.
 */
export function seedDemoHistory(conn: Connection, { months = 13, seed = 42, now = new Date() }: DemoHistoryOptions = {}): number {
  const rng = prng(seed)
  const cal = loadCalendar(conn)
  const services = loadServices(conn)
  const ctx = { services, online: services.filter(s => s.formVersionId !== null), people: writeTransaction(conn, () => makePeople(conn, rng)), cal }
  const staff = writeTransaction(conn, () => makeStaff(conn))
  const heads = departmentHeads(conn)
  const t = now.getTime()
  const [y, m] = shanghaiDateOf(now).split('-').map(Number) as [number, number]
  const planned: PlannedCase[] = []
  const steps: Step[] = []
  for (let i = 0; i < months; i++) {
    const month = new Date(Date.UTC(y, m - months + i, 1)).toISOString().slice(0, 7)
    const progress = months > 1 ? i / (months - 1) : 1
    for (const c of planMonth(rng, ctx, month, 0.6 + 0.33 * progress, t, 190)) {
      planned.push(c)
      steps.push(...planCase(rng, c, planned.length - 1, 0.15 - 0.11 * progress, cal, heads).filter(s => s.at <= t))
    }
  }
  // in the order things happened, so case numbers, events and the audit chain read in time order
  steps.sort((a, b) => a.at - b.at || a.caseIdx - b.caseIdx)
  withStatementCache(conn, () => {
    for (let i = 0; i < steps.length; i += 2000) {
      writeTransaction(conn, () => {
        for (const step of steps.slice(i, i + 2000)) runStep(conn, step, planned[step.caseIdx]!, staff, heads, rng)
      })
    }
  })
  writeTransaction(conn, () => {
    // the history's notices went out at the time; only new ones are for the outbox sender
    conn.sqlite.prepare('UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL').run()
    conn.sqlite.prepare('UPDATE messages SET read_at = at WHERE read_at IS NULL AND at < ?').run(new Date(t - 14 * 24 * HOUR).toISOString())
  })
  return planned.length
}
