/**
 * Ratings (好差评) as the applicant, the department and the city see them: rating once after
 * completion, a bad rating opening a rectification due in 15 working days, the answer reaching the
 * applicant, the clerk's prompt, and the statistics.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { ratingInputSchema, rectificationAnswerSchema, revokeInputSchema } from '../../shared/utils/rating-schemas'
import { receiveCase } from '../../server/services/case-intake'
import { collectPersonalData } from '../../server/services/personal-data'
import { getCaseRating, promptRating, rateCase, RatingError } from '../../server/services/ratings'
import { answerRectification, listRectifications } from '../../server/services/rectifications'
import { satisfactionReport } from '../../server/services/satisfaction'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

function actor(conn: Connection, username: string) {
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode FROM users WHERE username = ?`)
    .get(username) as { id: number, role: string, departmentCode: string | null }
}

/** A case of `username` for an item of the demo clerk's department, taken as far as `until`. */
function caseOf(conn: Connection, opts: { username?: string, serviceCode?: string, until: 'submitted' | 'approved' | 'rejected', now?: Date }): string {
  const now = opts.now ?? new Date('2026-09-21T02:00:00Z')
  const username = opts.username ?? 'citizen'
  const userId = userIdOf(conn, username)
  const serviceCode = opts.serviceCode ?? (opts.until === 'rejected' ? 'SZRS-0002' : 'SZRS-0006')
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
    applicant: { userId, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
  }, now))
  const clerk = actor(conn, 'clerk')
  if (opts.until === 'approved') applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now })
  if (opts.until === 'rejected') {
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
    applyTransition(conn, { caseNo, action: 'reject', version: 2, comment: '材料不符合条件', user: clerk, now })
  }
  return caseNo
}

const rate = (conn: Connection, caseNo: string, username: string, body: unknown, now = new Date('2026-09-21T03:00:00Z')) =>
  writeTransaction(conn, () => rateCase(conn, caseNo, actor(conn, username), ratingInputSchema.parse(body), '127.0.0.1', now))

function refusal(fn: () => unknown): number {
  try {
    fn()
  }
  catch (e) {
    if (e instanceof RatingError) return e.statusCode
    throw e
  }
  return 0
}

describe('rating a completed case', () => {
  it('the applicant rates an approved case once, with indicators and a comment', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen'))!.canRate).toBe(true)
    const view = rate(conn, caseNo, 'citizen', { score: 5, comment: ' 很快 ', indicators: { satisfaction: 5, efficiency: 4, guideAccuracy: 5, convenience: 5, easeOfUse: 4 } })
    expect(view).toMatchObject({ canRate: false, rating: { score: 5, comment: '很快', indicators: { efficiency: 4 } }, rectification: null })
    expect(refusal(() => rate(conn, caseNo, 'citizen', { score: 4 }))).toBe(409)
  })

  it('a rejected case can be rated too; a case still in progress cannot', () => {
    const conn = freshDatabase()
    expect(rate(conn, caseOf(conn, { until: 'rejected' }), 'citizen', { score: 3 }).rating!.score).toBe(3)
    expect(refusal(() => rate(conn, caseOf(conn, { until: 'submitted' }), 'citizen', { score: 3 }))).toBe(409)
  })

  it('nobody rates for someone else: another citizen gets 404, a clerk or manager cannot', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    expect(refusal(() => rate(conn, caseNo, 'citizen2', { score: 1 }))).toBe(404)
    expect(refusal(() => rate(conn, caseNo, 'clerk', { score: 5 }))).toBe(404)
    expect(refusal(() => rate(conn, 'SZ20260921999999', 'citizen', { score: 5 }))).toBe(404)
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen2'))).toBeNull()
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk2'))).toBeNull()
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk'))!.canRate).toBe(false)
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 0 })
  })
})

describe('the words of a rating, an answer and a revocation', () => {
  it.each([
    ['a lone high surrogate', 'ab\uD800cd'],
    ['a lone low surrogate', 'ab\uDC00cd'],
    ['a NUL', 'ab\u0000cd'],
    ['a bell', 'ab\u0007cd'],
    ['a right-to-left override, which shows what follows reversed', '退款账号 \u202E6222020000000001'],
    ['a zero-width space inside a number', '12345\u200B678'],
    ['nothing visible', '\u3164\u115F'],
  ])('refuses %s as an invisible control character', (_what, text) => {
    const parsed = ratingInputSchema.safeParse({ score: 4, comment: text })
    expect(parsed.success ? null : parsed.error.issues.map(i => i.message)).toEqual(['validation.controlChars'])
    expect(rectificationAnswerSchema.safeParse({ answer: text }).success).toBe(false)
    expect(revokeInputSchema.safeParse({ reason: text }).success).toBe(false)
  })

  it('keeps line breaks, tabs and characters outside the basic plane (a whole surrogate pair)', () => {
    expect(ratingInputSchema.parse({ score: 5, comment: '办得快\n窗口\t热情 𠮷 👍' }).comment).toBe('办得快\n窗口\t热情 𠮷 👍')
    // and what a phone keyboard adds to emoji: the variation selector, the zero-width joiner
    expect(ratingInputSchema.parse({ score: 5, comment: '谢谢❤️ 👨‍👩‍👧' }).comment).toBe('谢谢❤️ 👨‍👩‍👧')
  })
})

describe('a bad rating opens a rectification', () => {
  it('due 15 working days later, past the Mid-Autumn and National Day holidays', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    // rated on Monday 21 September 2026: 25–27 Sep and 1–7 Oct are off, Saturday 10 Oct is a working day
    const view = rate(conn, caseNo, 'citizen', { score: 2, comment: '等了很久' })
    expect(view.rectification).toMatchObject({ deadline: '2026-10-19', status: 'open', answer: null })
    const clerkList = listRectifications(conn, actor(conn, 'clerk'), { status: 'open', page: 1, pageSize: 20 })
    expect(clerkList.items).toMatchObject([{ caseNo, score: 2, comment: '等了很久', deadline: '2026-10-19', department: { code: 'SZRS' } }])
    expect(listRectifications(conn, actor(conn, 'clerk2'), { page: 1, pageSize: 20 }).total).toBe(0)
    expect(listRectifications(conn, actor(conn, 'manager'), { page: 1, pageSize: 20 }).total).toBe(1)
    expect(rate(conn, caseOf(conn, { until: 'approved' }), 'citizen', { score: 3 }).rectification).toBeNull()
  })

  it('the department answers once; the applicant reads the answer and gets a message', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    const id = rate(conn, caseNo, 'citizen', { score: 1 }).rectification!.id
    expect(refusal(() => writeTransaction(conn, () => answerRectification(conn, id, actor(conn, 'clerk2'), '答复', null)))).toBe(404)
    const answered = writeTransaction(conn, () => answerRectification(conn, id, actor(conn, 'clerk'), '已优化流程，感谢反馈', null, new Date('2026-10-09T02:00:00Z')))
    expect(answered).toMatchObject({ status: 'answered', overdue: false })
    expect(refusal(() => writeTransaction(conn, () => answerRectification(conn, id, actor(conn, 'clerk'), '再次', null)))).toBe(409)
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen'))!.rectification).toMatchObject({ status: 'answered', answer: '已优化流程，感谢反馈' })
    const message = conn.sqlite.prepare(`SELECT kind FROM messages WHERE case_no = ? AND kind = 'ratingAnswered'`).get(caseNo)
    expect(message).toEqual({ kind: 'ratingAnswered' })
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'rectification.answer'`).get()).toEqual({ n: 1 })
    expect(listRectifications(conn, actor(conn, 'clerk'), { status: 'open', page: 1, pageSize: 20 }).total).toBe(0)
    expect(listRectifications(conn, actor(conn, 'clerk'), { status: 'answered', page: 1, pageSize: 20 }).total).toBe(1)
  })
})

describe('ID and mobile numbers a rating\'s words carry', () => {
  const COMMENT = '办理太慢，我的身份证号 440301198506154332，手机 13912345678'
  const MASKED = '办理太慢，我的身份证号 440301********4332，手机 139****5678'

  it('reach staff masked, on the case and in the rectification list; the person who rated reads them as written', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    const own = rate(conn, caseNo, 'citizen', { score: 2, comment: COMMENT })
    expect(own.rating!.comment).toBe(COMMENT)
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen'))!.rating!.comment).toBe(COMMENT)
    for (const staff of ['clerk', 'manager']) {
      expect(getCaseRating(conn, caseNo, actor(conn, staff))!.rating!.comment).toBe(MASKED)
      expect(listRectifications(conn, actor(conn, staff), { page: 1, pageSize: 20 }).items).toMatchObject([{ caseNo, comment: MASKED }])
    }
    // the text is kept as written: it is the person's own, in the copy of their data
    expect(conn.sqlite.prepare('SELECT comment FROM ratings WHERE case_no = ?').get(caseNo)).toEqual({ comment: COMMENT })
    expect(collectPersonalData(conn, userIdOf(conn, 'citizen')).ratings).toMatchObject([{ caseNo, comment: COMMENT }])
  })

  it('in the department\'s answer too, for staff; the applicant it answers reads it whole', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    const id = rate(conn, caseNo, 'citizen', { score: 1, comment: '电话+8613912345678 一直打不通' }).rectification!.id
    const answered = writeTransaction(conn, () => answerRectification(conn, id, actor(conn, 'clerk'), '已回电 13800138000，办件 SZ20260921000001 已处理', null, new Date('2026-10-09T02:00:00Z')))
    expect(answered).toMatchObject({ comment: '电话+86139****5678 一直打不通', answer: '已回电 138****8000，办件 SZ20260921000001 已处理' })
    expect(getCaseRating(conn, caseNo, actor(conn, 'manager'))!.rectification!.answer).toBe('已回电 138****8000，办件 SZ20260921000001 已处理')
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen'))!.rectification!.answer).toBe('已回电 13800138000，办件 SZ20260921000001 已处理')
  })

  it('a comment without such numbers reads the same for everyone', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    rate(conn, caseNo, 'citizen', { score: 2, comment: '办件 SZ20260921000001 等了 20 天，2026-09-21 提交' })
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk'))!.rating!.comment).toBe('办件 SZ20260921000001 等了 20 天，2026-09-21 提交')
  })
})

describe('prompting for a rating', () => {
  it('a clerk of the department asks once: a message and an SMS in the outbox, audited', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    expect(refusal(() => writeTransaction(conn, () => promptRating(conn, caseNo, actor(conn, 'clerk2'), null)))).toBe(404)
    const prompted = writeTransaction(conn, () => promptRating(conn, caseNo, actor(conn, 'clerk'), null))
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE case_no = ? AND kind = 'ratingPrompt'`).get(caseNo)).toEqual({ n: 1 })
    expect(conn.sqlite.prepare(`SELECT recipient FROM outbox WHERE template = 'case.ratingPrompt'`).all()).toEqual([{ recipient: '13800138000' }])
    expect(refusal(() => writeTransaction(conn, () => promptRating(conn, caseNo, actor(conn, 'clerk'), null)))).toBe(409)
    expect(getCaseRating(conn, caseNo, actor(conn, 'citizen'))!.promptedAt).toBe(prompted.promptedAt)
  })

  it('not before completion', () => {
    const conn = freshDatabase()
    expect(refusal(() => writeTransaction(conn, () => promptRating(conn, caseOf(conn, { until: 'submitted' }), actor(conn, 'clerk'), null)))).toBe(409)
  })

  it('not for a counter case of someone without a portal account, who could never rate it online', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    conn.sqlite.prepare('UPDATE cases SET applicant_id = NULL WHERE case_no = ?').run(caseNo)
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk'))!.canPrompt).toBe(false)
    expect(refusal(() => writeTransaction(conn, () => promptRating(conn, caseNo, actor(conn, 'clerk'), null)))).toBe(409)
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE template = 'case.ratingPrompt'`).get()).toEqual({ n: 0 })
  })

  it('not for an applicant who has closed their account: the clerk is offered no button that would fail', () => {
    const conn = freshDatabase()
    const caseNo = caseOf(conn, { until: 'approved' })
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk'))!.canPrompt).toBe(true)
    conn.sqlite.prepare('UPDATE users SET closed_at = ? WHERE id = ?').run('2026-09-22T00:00:00Z', userIdOf(conn, 'citizen'))
    expect(getCaseRating(conn, caseNo, actor(conn, 'clerk'))!.canPrompt).toBe(false)
    expect(refusal(() => writeTransaction(conn, () => promptRating(conn, caseNo, actor(conn, 'clerk'), null)))).toBe(409)
  })
})

describe('satisfaction statistics', () => {
  it('count, average, good and bad shares, indicators, and bad ratings rectified on time', () => {
    const conn = freshDatabase()
    const day = new Date('2026-09-21T03:00:00Z')
    const scores = [5, 4, 2, 1]
    const cases = scores.map(() => caseOf(conn, { until: 'approved' }))
    const ids = scores.map((score, i) => rate(conn, cases[i]!, 'citizen', { score, indicators: { efficiency: score } }, day).rectification?.id)
    // one bad rating answered on time, the other left open
    writeTransaction(conn, () => answerRectification(conn, ids[2]!, actor(conn, 'clerk'), '已整改', null, new Date('2026-10-12T02:00:00Z')))
    const before = satisfactionReport(conn, { from: '2026-09-01', to: '2026-09-30' }, new Date('2026-10-13T02:00:00Z'))!
    expect(before.overall).toMatchObject({ count: 4, averageScore: 3, goodShare: 0.5, badShare: 0.5, rectifiedOnTime: 1, rectificationDue: 1, rectifiedOnTimeRate: 1 })
    expect(before.overall.indicators).toMatchObject({ efficiency: 3, satisfaction: null })
    // after the open one's deadline (19 Oct) it counts against the department
    const after = satisfactionReport(conn, { from: '2026-09-01', to: '2026-09-30', dept: 'SZRS' }, new Date('2026-10-20T02:00:00Z'))!
    expect(after.overall).toMatchObject({ rectifiedOnTime: 1, rectificationDue: 2, rectifiedOnTimeRate: 0.5 })
    expect(after.byDepartment).toMatchObject([{ code: 'SZRS', count: 4 }])
    expect(after.byService).toMatchObject([{ code: 'SZRS-0006', count: 4, averageScore: 3 }])
    const elsewhere = satisfactionReport(conn, { from: '2026-09-22', to: '2026-12-31' })!
    expect(elsewhere.overall).toMatchObject({ count: 0, averageScore: null, goodShare: null, rectifiedOnTimeRate: null })
    expect(satisfactionReport(conn, { from: '2026-09-01', to: '2026-09-30', dept: 'SZGA' })!.overall.count).toBe(0)
    expect(satisfactionReport(conn, { from: '2026-09-01', to: '2026-09-30', dept: 'NOPE' })).toBeNull()
  })

  it('cuts averages down, so a department shows 5.00 only when every rating is a five', () => {
    const conn = freshDatabase()
    const day = new Date('2026-09-21T03:00:00Z')
    const scores = [5, 5, 4]
    for (const score of scores) rate(conn, caseOf(conn, { until: 'approved' }), 'citizen', { score, indicators: { efficiency: score, satisfaction: 5 } }, day)
    const overall = satisfactionReport(conn, { from: '2026-09-01', to: '2026-09-30' })!.overall
    // 14 ÷ 3 = 4.666…: 4.66, not 4.67
    expect(overall.averageScore).toBe(4.66)
    expect(overall.indicators).toMatchObject({ efficiency: 4.66, satisfaction: 5 })
  })

  it('counts a rating on the Shenzhen day it was given', () => {
    const conn = freshDatabase()
    // 23:30 on 21 September in Shenzhen is still 15:30 UTC the same day; 00:30 on the 22nd is 16:30 UTC on the 21st
    rate(conn, caseOf(conn, { until: 'approved' }), 'citizen', { score: 5 }, new Date('2026-09-21T16:30:00Z'))
    expect(satisfactionReport(conn, { from: '2026-09-21', to: '2026-09-21' })!.overall.count).toBe(0)
    expect(satisfactionReport(conn, { from: '2026-09-22', to: '2026-09-22' })!.overall.count).toBe(1)
  })
})
