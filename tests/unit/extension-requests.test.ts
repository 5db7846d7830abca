/**
 * 延期申请 (行政许可法 第四十二条: 经本行政机关负责人批准): a clerk asks the head of the department to
 * extend a case's time limit, the head approves (the case is extended, as the head's act) or
 * declines with a reason; nobody else decides, and a request outlives no chance of an extension.
 */
import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { listMessages } from '../../server/services/case-messages'
import { listCases } from '../../server/services/case-queries'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { rebuildDailyCounts, verifyDailyCounts } from '../../server/services/daily-counts'
import { decideExtension, pendingExtensions, requestExtension } from '../../server/services/extension-requests'
import { disableStaffUser, enableStaffUser } from '../../server/services/staff-accounts'
import { supervision } from '../../server/services/supervision'
import { applyTransition } from '../../server/services/transitions'
import { failure } from '../support/case-errors'
import { freshDatabase, userIdOf } from '../support/db'
import { plansOf } from '../support/plans'

const CITIZEN = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
/** 10:00 in Shenzhen on a day. */
const at = (day: string) => new Date(`${day}T10:00:00+08:00`)

type Staff = { id: number, role: string, departmentCode: string | null }
let conn: Connection
let citizen: Staff
let clerk: Staff
let head: Staff
let clerk2: Staff

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  head = { id: userIdOf(conn, 'head'), role: 'clerk', departmentCode: 'SZRS' }
  clerk2 = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
})

/** A social security card (SZRS-0004, 10 working days) applied for and accepted on Monday 2 March 2026: due 16 March. */
function acceptedCase(): string {
  const caseNo = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: 'SZRS-0004', channel: 'online', formVersionId: null,
    applicant: { userId: citizen.id, ...CITIZEN }, answers: {}, materials: [], actor: citizen,
  }, at('2026-03-02'))).caseNo
  applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now: at('2026-03-02') })
  return caseNo
}

const versionOf = (caseNo: string) => (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').pluck().get(caseNo) as number)
const ask = (caseNo: string, day: string, extra: { days?: number, comment?: string, by?: Staff } = {}) =>
  requestExtension(conn, { caseNo, days: extra.days ?? 5, comment: extra.comment ?? '需组织专家评审', version: versionOf(caseNo), user: extra.by ?? clerk, now: at(day) })
const openId = (caseNo: string) => conn.sqlite.prepare('SELECT id FROM extension_requests WHERE case_no = ? AND outcome IS NULL').pluck().get(caseNo) as number
const decide = (caseNo: string, day: string, approve: boolean, extra: { comment?: string, by?: Staff, request?: number } = {}) =>
  decideExtension(conn, { caseNo, request: extra.request ?? openId(caseNo), approve, comment: extra.comment, version: versionOf(caseNo), user: extra.by ?? head, now: at(day) })
const viewOf = (caseNo: string, viewer: Staff, day: string) => caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer, at(day))
const auditOf = (caseNo: string) => (conn.sqlite.prepare(`SELECT action, actor_id AS actorId, detail FROM audit_log WHERE subject = ? AND action LIKE 'case.ext%' ORDER BY id`).all(caseNo) as { action: string, actorId: number, detail: string }[])
  .map(a => ({ ...a, detail: JSON.parse(a.detail) as Record<string, unknown> }))

describe('a clerk asks the head of the department to extend', () => {
  it('and the head approves: extended by the days asked, with the clerk\'s reason for the applicant, as the head\'s act', () => {
    const caseNo = acceptedCase()
    expect(viewOf(caseNo, clerk, '2026-03-05').extension).toEqual({ departmentHead: false, open: null, declined: null, canRequest: true, canDecide: false, noHead: false })
    const asked = ask(caseNo, '2026-03-05')
    // asking changes nothing of the case itself
    expect(asked).toMatchObject({ version: 2, deadline: '2026-03-16', extendedDays: 0 })
    expect(asked.extension).toMatchObject({ open: { days: 5, reason: '需组织专家评审', requestedBy: '王建国', outcome: null }, canRequest: false, canDecide: false })
    expect(viewOf(caseNo, head, '2026-03-05').extension).toMatchObject({ departmentHead: true, open: { days: 5 }, canRequest: false, canDecide: true })
    expect(pendingExtensions(conn, head, at('2026-03-05'))).toEqual([expect.objectContaining({ caseNo, deadline: '2026-03-16', days: 5, reason: '需组织专家评审', requestedBy: '王建国' })])

    const approved = decide(caseNo, '2026-03-06', true)
    expect(approved).toMatchObject({ version: 3, deadline: '2026-03-23', extendedDays: 5 })
    expect(approved.events.at(-1)).toMatchObject({ action: 'extend', comment: '需组织专家评审', approvedBy: '赵志刚' })
    expect(approved.extension).toEqual({ departmentHead: true, open: null, declined: null, canRequest: false, canDecide: false, noHead: false })
    expect(pendingExtensions(conn, head, at('2026-03-06'))).toEqual([])
    // the applicant is told the new deadline with the reason, and never sees the request
    const applicants = viewOf(caseNo, citizen, '2026-03-06')
    expect(applicants.extension).toBeNull()
    expect(applicants.events.at(-1)).toMatchObject({ action: 'extend', comment: '需组织专家评审' })
    expect(JSON.parse(conn.sqlite.prepare(`SELECT params FROM outbox WHERE template = 'case.extend'`).pluck().get() as string)).toMatchObject({ caseNo, deadline: '2026-03-23' })
    const id = conn.sqlite.prepare('SELECT id FROM extension_requests WHERE case_no = ?').pluck().get(caseNo)
    expect(auditOf(caseNo)).toEqual([
      { action: 'case.extension.request', actorId: clerk.id, detail: { request: id, days: 5, reason: '需组织专家评审' } },
      { action: 'case.extend', actorId: head.id, detail: expect.objectContaining({ extendedDays: 5, approvedBy: '赵志刚', extensionRequest: id }) },
    ])
  })

  it('and the head declines with a reason the clerk reads, after which the clerk may ask again', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    expect(failure(() => decide(caseNo, '2026-03-05', false)).data).toMatchObject({ fieldErrors: { comment: 'validation.required' } })
    expect(failure(() => decide(caseNo, '2026-03-05', false, { comment: '  ' })).data).toMatchObject({ fieldErrors: { comment: 'validation.required' } })
    // an approval gives no reason of its own: the applicant reads the clerk's
    expect(failure(() => decide(caseNo, '2026-03-05', true, { comment: '同意' })).data).toMatchObject({ fieldErrors: { comment: 'case.errors.notForAction' } })
    const declined = decide(caseNo, '2026-03-05', false, { comment: '专家评审可在时限内完成' })
    expect(declined).toMatchObject({ extendedDays: 0, deadline: '2026-03-16' })
    expect(viewOf(caseNo, clerk, '2026-03-05').extension).toMatchObject({
      open: null, canRequest: true,
      declined: { days: 5, outcome: 'declined', declineReason: '专家评审可在时限内完成', decidedBy: '赵志刚' },
    })
    expect(auditOf(caseNo).at(-1)).toMatchObject({ action: 'case.extension.decline', actorId: head.id, detail: { reason: '专家评审可在时限内完成' } })
    ask(caseNo, '2026-03-06', { days: 3, comment: '需补充检测' })
    expect(viewOf(caseNo, clerk, '2026-03-06').extension).toMatchObject({ open: { days: 3 }, declined: null })
    // approved the second time: the earlier refusal is no longer what the page says
    decide(caseNo, '2026-03-06', true)
    expect(viewOf(caseNo, clerk, '2026-03-06').extension).toMatchObject({ open: null, declined: null, canRequest: false })
  })

  it('is refused with the field at fault: days out of range, no reason, a reason too long', () => {
    const caseNo = acceptedCase()
    for (const days of [0, 11, 2.5]) expect(failure(() => ask(caseNo, '2026-03-05', { days })).data, String(days)).toMatchObject({ fieldErrors: { days: 'case.errors.extensionDays' } })
    expect(failure(() => ask(caseNo, '2026-03-05', { comment: ' ' })).data).toMatchObject({ fieldErrors: { comment: 'validation.required' } })
    expect(failure(() => ask(caseNo, '2026-03-05', { comment: '因'.repeat(501) })).data).toMatchObject({ fieldErrors: { comment: 'validation.tooLong' } })
    expect(conn.sqlite.prepare('SELECT count(*) FROM extension_requests').pluck().get()).toBe(0)
  })

  it('is one at a time, not the head\'s (who extends), not another department\'s, and not on a stale page', () => {
    const caseNo = acceptedCase()
    expect(failure(() => ask(caseNo, '2026-03-05', { by: head })).statusCode).toBe(409)
    expect(failure(() => ask(caseNo, '2026-03-05', { by: clerk2 })).statusCode).toBe(404)
    expect(failure(() => requestExtension(conn, { caseNo, days: 5, comment: '需组织专家评审', version: 1, user: clerk, now: at('2026-03-05') })).statusCode).toBe(409)
    ask(caseNo, '2026-03-05')
    expect(failure(() => ask(caseNo, '2026-03-05', { days: 3 })).statusCode).toBe(409)
    expect(conn.sqlite.prepare('SELECT count(*) FROM extension_requests').pluck().get()).toBe(1)
  })

  it('is decided by the head alone, and only while open', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    const request = openId(caseNo)
    expect(failure(() => decide(caseNo, '2026-03-05', true, { by: clerk })).statusCode).toBe(403)
    expect(failure(() => decide(caseNo, '2026-03-05', true, { by: clerk2 })).statusCode).toBe(404)
    expect(failure(() => decide(caseNo, '2026-03-05', true, { request: request + 1 })).statusCode).toBe(409)
    decide(caseNo, '2026-03-05', false, { comment: '不必延期' })
    expect(failure(() => decide(caseNo, '2026-03-05', true, { request })).statusCode).toBe(409)
    expect(findVisibleCase(conn, caseNo, clerk)!.extendedDays).toBe(0)
  })

  it('goes nowhere once the deadline has passed: not listed, not shown, not approvable', () => {
    const caseNo = acceptedCase()
    const later = acceptedCase()
    ask(caseNo, '2026-03-05')
    ask(later, '2026-03-05', { days: 2 })
    // the soonest deadline first: both due 16 March, the older request first
    expect(pendingExtensions(conn, head, at('2026-03-16'))!.map(p => p.caseNo)).toEqual([caseNo, later])
    expect(pendingExtensions(conn, head, at('2026-03-17'))).toEqual([])
    expect(viewOf(caseNo, head, '2026-03-17').extension).toMatchObject({ open: null, canDecide: false })
    expect(failure(() => decide(caseNo, '2026-03-17', true)).statusCode).toBe(409)
    expect(failure(() => ask(later, '2026-03-17', { days: 1 })).statusCode).toBe(409)
  })

  it('is answered when the head extends the case directly', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    applyTransition(conn, { caseNo, action: 'extend', days: 3, comment: '需现场核查', version: versionOf(caseNo), user: head, now: at('2026-03-05') })
    expect(conn.sqlite.prepare('SELECT outcome, decided_by AS decidedBy FROM extension_requests WHERE case_no = ?').get(caseNo)).toEqual({ outcome: 'approved', decidedBy: head.id })
  })
})

describe('a department without a head', () => {
  const hasHead = (code: string) => supervision(conn, {}, at('2026-03-05')).departments.find(d => d.code === code)!.hasHead

  it('lets no clerk ask, says why on the case\'s page, and shows on supervision, until a head is active again', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    const other = acceptedCase()
    disableStaffUser(conn, 'head', '调离')
    // the open request has nobody to decide it, and no new one may be asked
    expect(viewOf(caseNo, clerk, '2026-03-05').extension).toMatchObject({ open: { days: 5 }, canRequest: false, noHead: true })
    expect(viewOf(other, clerk, '2026-03-05').extension).toMatchObject({ open: null, canRequest: false, noHead: true })
    const refused = failure(() => ask(other, '2026-03-05'))
    expect([refused.statusCode, refused.data]).toMatchObject([409, { reason: 'noHead' }])
    expect(conn.sqlite.prepare('SELECT count(*) FROM extension_requests WHERE case_no = ?').pluck().get(other)).toBe(0)
    expect([hasHead('SZRS'), hasHead('SZGA')]).toEqual([false, false])

    enableStaffUser(conn, 'head', '复职')
    expect(viewOf(other, clerk, '2026-03-05').extension).toMatchObject({ canRequest: true, noHead: false })
    expect(hasHead('SZRS')).toBe(true)
    ask(other, '2026-03-05')
  })

  it('is said only where an extension could be asked: not on a case decided or past its deadline', () => {
    const caseNo = acceptedCase()
    disableStaffUser(conn, 'head', '调离')
    expect(viewOf(caseNo, clerk, '2026-03-17').extension).toMatchObject({ canRequest: false, noHead: false })
  })
})

describe('the department\'s queue', () => {
  const marked = (who: Staff, day: string) => listCases(conn, who, { status: 'open', page: 1, pageSize: 20 }, at(day)).items
    .filter(c => c.extensionAwaiting).map(c => c.caseNo)

  it('marks the cases whose request waits for the head, for every clerk of the department, while it can be decided', () => {
    const waiting = acceptedCase()
    const declined = acceptedCase()
    acceptedCase()
    ask(waiting, '2026-03-05')
    ask(declined, '2026-03-05')
    decide(declined, '2026-03-05', false, { comment: '不必延期' })
    expect([marked(clerk, '2026-03-05'), marked(head, '2026-03-05')]).toEqual([[waiting], [waiting]])
    // past the deadline the request goes nowhere, and is no longer marked
    expect(marked(head, '2026-03-17')).toEqual([])
    // a manager's list of every case says nothing of it
    const manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
    expect(listCases(conn, manager, { page: 1, pageSize: 20 }, at('2026-03-05')).items.some(c => 'extensionAwaiting' in c)).toBe(false)
    decide(waiting, '2026-03-06', true)
    expect(marked(clerk, '2026-03-06')).toEqual([])
  })
})

describe('what a request costs to find', () => {
  it('is the open requests read first, never the department\'s accepted cases', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    const plans = plansOf(conn, () => {
      pendingExtensions(conn, head, at('2026-03-05'))
      listCases(conn, head, { status: 'open', page: 1, pageSize: 20 }, at('2026-03-05'))
      supervision(conn, {}, at('2026-03-05'))
    }, /\bextension_requests r\b/)
    // the head's list, the queue's marker, supervision's count
    expect(plans).toHaveLength(3)
    // each request, then its case by its number
    for (const { sql, plan } of plans) expect(plan, sql).toMatch(/(SCAN|SEARCH) r USING INDEX extension_requests_open_idx( \(case_no=\?\))? \| SEARCH c USING INDEX sqlite_autoindex_cases_1 \(case_no=\?\)/)
  })

  it('finds a department\'s heads through their own index, never reading every account', () => {
    const caseNo = acceptedCase()
    const plans = plansOf(conn, () => {
      viewOf(caseNo, clerk, '2026-03-05')
      supervision(conn, {}, at('2026-03-05'))
    }, /\bFROM users u\b/)
    // the case's page (whether anyone could approve) and supervision (which departments have a head)
    expect(plans).toHaveLength(2)
    for (const { sql, plan } of plans) expect(plan, sql).toMatch(/SEARCH u USING INDEX users_department_heads_idx \(department_code=\?\)/)
  })
})

describe('the messages of a request', () => {
  const messagesOf = (who: Staff) => listMessages(conn, who.id, 1, 20).items.map(m => ({ kind: m.kind, caseNo: m.caseNo, params: m.params }))

  it('tell the head who asks, for how long and by when, and the clerk who asked what the head decided', () => {
    const approved = acceptedCase()
    const declined = acceptedCase()
    ask(approved, '2026-03-05')
    ask(declined, '2026-03-05', { days: 2 })
    expect(messagesOf(head)).toEqual([
      { kind: 'extensionRequested', caseNo: declined, params: { caseNo: declined, requestedBy: '王建国', extensionDays: 2, deadline: '2026-03-16' } },
      { kind: 'extensionRequested', caseNo: approved, params: { caseNo: approved, requestedBy: '王建国', extensionDays: 5, deadline: '2026-03-16' } },
    ])
    // nobody else: not the clerk who asked, not another department
    expect([messagesOf(clerk), messagesOf(clerk2)]).toEqual([[], []])

    decide(approved, '2026-03-06', true)
    decide(declined, '2026-03-06', false, { comment: `核对 ${CITIZEN.idNumber} 后无需延期` })
    expect(messagesOf(clerk)).toEqual([
      // the reason stays on the case's page, where it is masked for whoever else reads it
      { kind: 'extensionDeclined', caseNo: declined, params: { caseNo: declined, decidedBy: '赵志刚', deadline: '2026-03-16' } },
      { kind: 'extensionApproved', caseNo: approved, params: { caseNo: approved, decidedBy: '赵志刚', deadline: '2026-03-23' } },
    ])
    expect(messagesOf(head)).toHaveLength(2)
  })

  it('tell the clerk who asked when the head extends the case directly', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    applyTransition(conn, { caseNo, action: 'extend', days: 3, comment: '需现场核查', version: versionOf(caseNo), user: head, now: at('2026-03-05') })
    expect(messagesOf(clerk)).toEqual([{ kind: 'extensionApproved', caseNo, params: { caseNo, decidedBy: '赵志刚', deadline: '2026-03-19' } }])
  })

  it('are not written when the request is refused', () => {
    const caseNo = acceptedCase()
    expect(failure(() => ask(caseNo, '2026-03-05', { comment: '' })).statusCode).toBe(400)
    expect(messagesOf(head)).toEqual([])
  })
})

describe('the head\'s list of requests', () => {
  it('is the head\'s only, and an ID number in a colleague\'s reason reaches it masked', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05', { comment: `核对 ${CITIZEN.idNumber} 的参保记录` })
    expect(pendingExtensions(conn, clerk, at('2026-03-05'))).toBeNull()
    expect(pendingExtensions(conn, clerk2, at('2026-03-05'))).toBeNull()
    const [item] = pendingExtensions(conn, head, at('2026-03-05'))!
    expect(item!.reason).toBe('核对 440305********2319 的参保记录')
    // its author reads it whole on the case's page
    expect(viewOf(caseNo, clerk, '2026-03-05').extension!.open!.reason).toContain(CITIZEN.idNumber)
    expect(viewOf(caseNo, head, '2026-03-05').extension!.open!.reason).not.toContain(CITIZEN.idNumber)
  })
})

describe('a manager supervising extensions', () => {
  const figures = (day: string) => {
    const d = supervision(conn, { from: '2026-03-01', to: '2026-03-31' }, at(day)).departments.find(x => x.code === 'SZRS')!
    return { completed: d.completed, completedOnTime: d.completedOnTime, completedExtended: d.completedExtended, extensionsAwaiting: d.extensionsAwaiting }
  }
  const approve = (caseNo: string, day: string) => applyTransition(conn, { caseNo, action: 'approve', version: versionOf(caseNo), user: clerk, now: at(day) })

  it('sees the requests waiting for the head, and the completions reached only by extending', () => {
    const extended = acceptedCase()
    const plain = acceptedCase()
    const declined = acceptedCase()
    ask(extended, '2026-03-05')
    ask(declined, '2026-03-05')
    expect(figures('2026-03-05')).toMatchObject({ extensionsAwaiting: 2 })
    decide(extended, '2026-03-06', true)
    decide(declined, '2026-03-06', false, { comment: '可在时限内办结' })
    expect(figures('2026-03-06')).toMatchObject({ extensionsAwaiting: 0 })
    // due 23 March after the extension: completed on the 20th, in time only thanks to it
    approve(extended, '2026-03-20')
    approve(plain, '2026-03-13')
    approve(declined, '2026-03-18')
    expect(figures('2026-03-20')).toEqual({ completed: 3, completedOnTime: 2, completedExtended: 1, extensionsAwaiting: 0 })
    // the stored counts agree with a recount over the cases
    expect(verifyDailyCounts(conn)).toEqual([])
  })

  it('stops counting a request once its case can no longer be extended', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    expect(figures('2026-03-16')).toMatchObject({ extensionsAwaiting: 1 })
    expect(figures('2026-03-17')).toMatchObject({ extensionsAwaiting: 0 })
  })

  it('gets the extended completions of before the count (migration 0040) and of a recount', () => {
    const caseNo = acceptedCase()
    ask(caseNo, '2026-03-05')
    decide(caseNo, '2026-03-06', true)
    approve(caseNo, '2026-03-20')
    // as the rows were before migration 0040
    conn.sqlite.prepare('UPDATE case_daily SET completed_extended = 0').run()
    expect(verifyDailyCounts(conn)).toEqual([{ day: '2026-03-20', departmentCode: 'SZRS', field: 'completedExtended', expected: 1, actual: 0 }])
    const backfill = readFileSync('db/migrations/0040_completed_extended.sql', 'utf8').split('--> statement-breakpoint')[1]!
    conn.sqlite.exec(backfill)
    expect(verifyDailyCounts(conn)).toEqual([])
    conn.sqlite.prepare('UPDATE case_daily SET completed_extended = 0').run()
    rebuildDailyCounts(conn)
    expect(figures('2026-03-20')).toMatchObject({ completed: 1, completedExtended: 1 })
  })
})
